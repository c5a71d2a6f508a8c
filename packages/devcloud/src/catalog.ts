import { seededRandom } from './random.js';

/**
 * The devcloud's catalog: regions and GPU instance types described the way a real provider
 * would (its own type names, GPU descriptions in free text, prices as decimal strings).
 */

export interface Region {
  readonly id: string;
  readonly name: string;
  readonly country: string;
  readonly zones: readonly string[];
  available: boolean;
}

export interface Offer {
  /** The provider's type name, unique within (region, zone). */
  readonly name: string;
  readonly region: string;
  readonly zone: string | null;
  readonly gpuCount: number;
  /** Free text, like a real cloud's: "8x NVIDIA H100 80GB HBM3". */
  readonly gpuDescription: string;
  readonly vcpus: number;
  readonly memoryGib: number;
  readonly diskGb: number;
  /** Decimal string, USD per hour. */
  pricePerHour: string;
  /** Machines of this offer that can still be launched. */
  capacity: number;
  readonly stoppable: boolean;
}

export const REGIONS: readonly Omit<Region, 'available'>[] = [
  {
    id: 'us-east-1',
    name: 'US East (Virginia)',
    country: 'US',
    zones: ['us-east-1a', 'us-east-1b'],
  },
  { id: 'us-west-2', name: 'US West (Oregon)', country: 'US', zones: [] },
  { id: 'eu-central-1', name: 'EU Central (Frankfurt)', country: 'DE', zones: ['eu-central-1a'] },
  { id: 'ap-northeast-1', name: 'Asia Pacific (Tokyo)', country: 'JP', zones: [] },
];

interface GpuShape {
  readonly slug: string;
  readonly description: string;
  readonly hourlyPerGpu: number;
  readonly vcpuPerGpu: number;
  readonly ramPerGpu: number;
  readonly counts: readonly number[];
}

/** GPU descriptions in this cloud's own style; the SDK normalizer turns them into records. */
const SHAPES: readonly GpuShape[] = [
  {
    slug: 'h100.sxm',
    description: 'NVIDIA H100 80GB HBM3',
    hourlyPerGpu: 2.99,
    vcpuPerGpu: 26,
    ramPerGpu: 225,
    counts: [1, 2, 4, 8],
  },
  {
    slug: 'h100.pcie',
    description: 'NVIDIA H100 PCIe 80GB',
    hourlyPerGpu: 2.49,
    vcpuPerGpu: 16,
    ramPerGpu: 120,
    counts: [1, 2],
  },
  {
    slug: 'h200',
    description: 'NVIDIA H200 141GB SXM5',
    hourlyPerGpu: 3.79,
    vcpuPerGpu: 24,
    ramPerGpu: 240,
    counts: [8],
  },
  {
    slug: 'a100.80',
    description: 'NVIDIA A100-SXM4-80GB',
    hourlyPerGpu: 1.79,
    vcpuPerGpu: 16,
    ramPerGpu: 120,
    counts: [1, 8],
  },
  {
    slug: 'a100.40',
    description: 'NVIDIA A100 PCIe 40GB',
    hourlyPerGpu: 1.29,
    vcpuPerGpu: 12,
    ramPerGpu: 85,
    counts: [1, 2, 4],
  },
  {
    slug: 'a10',
    description: 'NVIDIA A10 24GB PCIe',
    hourlyPerGpu: 0.75,
    vcpuPerGpu: 30,
    ramPerGpu: 200,
    counts: [1],
  },
  {
    slug: 'l40s',
    description: 'NVIDIA L40S 48GB',
    hourlyPerGpu: 1.19,
    vcpuPerGpu: 16,
    ramPerGpu: 96,
    counts: [1, 4, 8],
  },
  {
    slug: 'l4',
    description: 'NVIDIA L4 24GB',
    hourlyPerGpu: 0.49,
    vcpuPerGpu: 8,
    ramPerGpu: 32,
    counts: [1, 2],
  },
  {
    slug: 'rtx4090',
    description: 'NVIDIA GeForce RTX 4090 24GB',
    hourlyPerGpu: 0.44,
    vcpuPerGpu: 8,
    ramPerGpu: 48,
    counts: [1, 2, 4],
  },
  {
    slug: 'rtxa6000',
    description: 'NVIDIA RTX A6000 48GB',
    hourlyPerGpu: 0.8,
    vcpuPerGpu: 14,
    ramPerGpu: 100,
    counts: [1, 2, 4],
  },
  {
    slug: 'mi300x',
    description: 'AMD Instinct MI300X OAM 192GB',
    hourlyPerGpu: 2.69,
    vcpuPerGpu: 24,
    ramPerGpu: 256,
    counts: [8],
  },
  {
    slug: 'b200',
    description: 'NVIDIA B200 180GB SXM6',
    hourlyPerGpu: 5.29,
    vcpuPerGpu: 28,
    ramPerGpu: 280,
    counts: [8],
  },
];

export interface CatalogOptions {
  readonly seed: number;
  /** Number of instance types; default 40 (one per shape, count and some regions). */
  readonly size?: number;
  /** Capacity of each offer; default 4. */
  readonly capacityPerOffer?: number;
}

/**
 * Builds `size` offers deterministically. The base set is every shape × count in a
 * seed-chosen region; beyond that, numbered "generation" variants (`dc.h100x8.sxm.g2`) fill up
 * large catalogs for scale tests.
 */
export function generateCatalog(options: CatalogOptions): Offer[] {
  const random = seededRandom(options.seed);
  const size = options.size ?? 40;
  const capacity = options.capacityPerOffer ?? 4;
  const offers: Offer[] = [];
  for (let generation = 1; offers.length < size; generation++) {
    for (const shape of SHAPES) {
      for (const count of shape.counts) {
        if (offers.length >= size) break;
        const region = REGIONS[Math.floor(random() * REGIONS.length)] ?? REGIONS[0];
        if (!region) throw new Error('no regions');
        const zone =
          region.zones.length > 0
            ? (region.zones[Math.floor(random() * region.zones.length)] ?? null)
            : null;
        const suffix = generation === 1 ? '' : `.g${generation}`;
        const jitter = 1 + Math.round((random() - 0.5) * 20) / 100;
        offers.push({
          name: offerName(shape.slug, count, suffix),
          region: region.id,
          zone,
          gpuCount: count,
          gpuDescription: `${count}x ${shape.description}`,
          vcpus: shape.vcpuPerGpu * count,
          memoryGib: shape.ramPerGpu * count,
          diskGb: 500 * count,
          pricePerHour: (shape.hourlyPerGpu * count * jitter).toFixed(3),
          capacity,
          stoppable: !shape.slug.startsWith('b200'),
        });
      }
    }
  }
  return offers;
}

/** `h100.sxm`, 8 → `dc.h100x8.sxm`; `a10`, 1 → `dc.a10x1`. */
function offerName(slug: string, count: number, suffix: string): string {
  const [base, ...rest] = slug.split('.');
  return ['dc', `${base ?? slug}x${count}`, ...rest].join('.') + suffix;
}
