import { lambdaSpec } from './spec.js';

/**
 * The fake's catalog. The spec's own `instanceType` and `region` examples are used as one entry
 * (a made-up part, "RTX A100 (24 GB)", but valid under the schema); the others follow the
 * shapes of Lambda's public offers. The spec's example of the whole /instance-types answer cannot
 * be served: it breaks its own schema (prices as strings, no gpu_description, no specs.gpus),
 * which test/fake.test.ts shows.
 */

export interface FakeRegion {
  readonly name: string;
  readonly description: string;
}

export interface FakeInstanceType {
  readonly name: string;
  readonly description: string;
  readonly gpu_description: string;
  readonly price_cents_per_hour: number;
  readonly specs: {
    readonly vcpus: number;
    readonly memory_gib: number;
    readonly storage_gib: number;
    readonly gpus: number;
  };
}

export interface FakeOffer {
  readonly instanceType: FakeInstanceType;
  /** Instances that can still launch, per region name. */
  readonly capacity: Record<string, number>;
}

export const FAKE_REGIONS: readonly FakeRegion[] = [
  { name: 'us-east-1', description: 'Virginia, USA' },
  { name: 'us-west-1', description: 'California, USA' },
  { name: 'us-west-3', description: 'Utah, USA' },
  { name: 'us-south-1', description: 'Texas, USA' },
  { name: 'us-east-3', description: 'Washington DC, USA' },
];

function specExample(schema: string): unknown {
  const [example] = lambdaSpec.examplesOf(schema);
  if (example === undefined) throw new Error(`the Lambda spec has no example for ${schema}`);
  return example;
}

/** The spec's examples: `gpu_1x_a100` in `us-tx-1` ("Austin, Texas"). */
// The spec validates these examples itself: the fake checks every answer that carries them.
export const SPEC_EXAMPLE_TYPE = specExample('instanceType') as FakeInstanceType;
export const SPEC_EXAMPLE_REGION = specExample('region') as FakeRegion;

const type = (
  name: string,
  gpus: number,
  gpu: string,
  cents: number,
  vcpus: number,
  memory_gib: number,
  storage_gib: number,
): FakeInstanceType => ({
  name,
  description: `${gpus}x ${gpu}`,
  gpu_description: gpu,
  price_cents_per_hour: cents,
  specs: { vcpus, memory_gib, storage_gib, gpus },
});

/** A fresh copy each call: tests change capacities. */
export function defaultOffers(): FakeOffer[] {
  return [
    { instanceType: SPEC_EXAMPLE_TYPE, capacity: { [SPEC_EXAMPLE_REGION.name]: 2 } },
    {
      instanceType: type('gpu_1x_a10', 1, 'A10 (24 GB PCIe)', 75, 30, 200, 1400),
      capacity: { 'us-east-1': 3, 'us-west-1': 1 },
    },
    {
      instanceType: type('gpu_1x_h100_pcie', 1, 'H100 (80 GB PCIe)', 249, 26, 200, 1000),
      capacity: { 'us-west-3': 2 },
    },
    {
      instanceType: type('gpu_8x_h100_sxm5', 8, 'H100 (80 GB SXM5)', 2392, 208, 1800, 22_528),
      capacity: { 'us-west-3': 1, 'us-south-1': 1 },
    },
    {
      instanceType: type('gpu_1x_gh200', 1, 'GH200 (96 GB)', 149, 64, 432, 4096),
      capacity: { 'us-east-3': 1 },
    },
    {
      instanceType: type('gpu_8x_a100_80gb_sxm4', 8, 'A100 (80 GB SXM4)', 1432, 240, 1800, 19_500),
      capacity: {},
    },
    {
      instanceType: type('gpu_1x_rtx6000', 1, 'RTX 6000 (24 GB)', 50, 14, 46, 512),
      capacity: { 'us-south-1': 0 },
    },
  ];
}

export function regionsOf(offers: readonly FakeOffer[]): FakeRegion[] {
  const byName = new Map<string, FakeRegion>();
  for (const r of [...FAKE_REGIONS, SPEC_EXAMPLE_REGION]) byName.set(r.name, r);
  for (const offer of offers) {
    for (const name of Object.keys(offer.capacity)) {
      if (!byName.has(name)) byName.set(name, { name, description: name });
    }
  }
  return [...byName.values()];
}
