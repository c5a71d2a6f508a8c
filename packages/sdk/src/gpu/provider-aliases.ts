import type { ModelPattern } from './aliases.js';
import type { GpuFormFactor } from './record.js';

/**
 * Provider-scoped knowledge, consulted before the global aliases. The same token means different
 * GPUs at different providers (Lambda's `rtx6000` is the Turing Quadro, Nebius's is the Blackwell
 * PRO), identifiers carry no model at all (Azure sizes, OCI shapes, AWS and GCP machine
 * families), and bare names follow each provider's own convention (a bare `A100` is 40 GB at
 * Lambda and SkyPilot, 80 GB at Vultr).
 */

/** An identifier that fixes the GPU by itself: matched on the whole lowercased string. */
export interface IdentifierRule {
  readonly pattern: RegExp;
  readonly model: string;
  readonly memoryGiB?: number;
  readonly formFactor?: GpuFormFactor;
  /** The identifier is a slice of one GPU (Azure NV*ads_A10_v5 below 36 vCPU). */
  readonly fractional?: boolean;
}

/** What a bare model name means at a provider when the string gives no memory or form factor. */
export interface Convention {
  readonly model: string;
  readonly memoryGiB?: number;
  readonly formFactor?: GpuFormFactor;
}

export interface ProviderKnowledge {
  readonly identifiers?: readonly IdentifierRule[];
  readonly patterns?: readonly ModelPattern[];
  readonly conventions?: readonly Convention[];
  /** Applies only when the context says so (SkyPilot's conventions hold for its AcceleratorName). */
  readonly appliesTo?: (context: Readonly<Record<string, unknown>>) => boolean;
}

const id = (
  pattern: RegExp,
  model: string,
  memoryGiB?: number,
  formFactor?: GpuFormFactor,
  fractional?: boolean,
): IdentifierRule => ({
  pattern,
  model,
  ...(memoryGiB !== undefined ? { memoryGiB } : {}),
  ...(formFactor !== undefined ? { formFactor } : {}),
  ...(fractional ? { fractional } : {}),
});

/**
 * AWS instance families (the `InstanceType` beside a GPU string, from any source that reports
 * it): each family is one hardware configuration.
 */
export const AWS_INSTANCE_FAMILIES: readonly IdentifierRule[] = [
  id(/^p6-b300\./, 'B300', 288, 'SXM6'),
  id(/^p6-b200\./, 'B200', 180, 'SXM6'),
  id(/^p5e[n]?\./, 'H200', 141, 'SXM5'),
  id(/^p5\./, 'H100', 80, 'SXM5'),
  id(/^p4de\./, 'A100', 80, 'SXM4'),
  id(/^p4d\./, 'A100', 40, 'SXM4'),
  id(/^p3dn\./, 'V100', 32, 'SXM2'),
  id(/^p3\./, 'V100', 16, 'SXM2'),
  id(/^p2\./, 'K80', 12, 'PCIe'),
  id(/^g7e\./, 'RTXPRO6000', 96, 'PCIe'),
  id(/^g6e\./, 'L40S', 48, 'PCIe'),
  id(/^g6f\./, 'L4', 24, 'PCIe', true),
  id(/^gr?6\./, 'L4', 24, 'PCIe'),
  id(/^g5g\./, 'T4', 16, 'PCIe'),
  id(/^g5\./, 'A10G', 24, 'PCIe'),
  id(/^g4dn\./, 'T4', 16, 'PCIe'),
  id(/^g4ad\./, 'V520', 8, 'PCIe'),
  id(/^g3s?\./, 'M60', 8, 'PCIe'),
  id(/^trn1n?\./, 'TRAINIUM', 32),
  id(/^inf2\./, 'INFERENTIA2', 32),
  id(/^dl1\./, 'GAUDI', 32, 'OAM'),
];

const GCP: ProviderKnowledge = {
  identifiers: [
    id(/^a2-(high|mega)gpu-/, 'A100', 40, 'SXM4'),
    id(/^a2-ultragpu-/, 'A100', 80, 'SXM4'),
    id(/^a3-ultragpu-/, 'H200', 141, 'SXM5'),
    id(/^a3-(high|mega|edge)gpu-/, 'H100', 80, 'SXM5'),
    id(/^a4-highgpu-/, 'B200', 180, 'SXM6'),
    id(/^a4x-highgpu-/, 'GB200', 186, 'Superchip'),
    id(/^g2-standard-/, 'L4', 24, 'PCIe'),
    id(/^g4-standard-/, 'RTXPRO6000', 96, 'PCIe'),
  ],
  // GCP runs A100s only in a2 machines (HGX), H100/H200 only in a3 (HGX), 16 GB P100 and V100.
  conventions: [
    { model: 'A100', memoryGiB: 40, formFactor: 'SXM4' },
    { model: 'H100', formFactor: 'SXM5' },
    { model: 'H200', formFactor: 'SXM5' },
    { model: 'P100', memoryGiB: 16 },
    { model: 'V100', memoryGiB: 16 },
  ],
};

const AZURE: ProviderKnowledge = {
  identifiers: [
    id(/^standard_nc\d+ads_a100_v4$/, 'A100', 80, 'PCIe'),
    id(/^standard_nd\d+amsr_a100_v4$/, 'A100', 80, 'SXM4'),
    id(/^standard_nd\d+asr_v4$/, 'A100', 40, 'SXM4'),
    id(/^standard_ncc?\d+ads_h100_v5$/, 'H100', 94, 'NVL'),
    id(/^standard_nd\d+isr_h100_v5$/, 'H100', 80, 'SXM5'),
    id(/^standard_nd\d+isr_h200_v5$/, 'H200', 141, 'SXM5'),
    id(/^standard_nd\d+isr_mi300x_v5$/, 'MI300X', 192, 'OAM'),
    id(/^standard_nd\d+rs_v2$/, 'V100', 32, 'SXM2'),
    id(/^standard_nc\d+r?s_v3$/, 'V100', 16),
    id(/^standard_nc\d+r?s_v2$/, 'P100', 16),
    id(/^standard_nc\d+as_t4_v3$/, 'T4', 16, 'PCIe'),
    id(/^standard_nv(6|12|18)ads_a10_v5$/, 'A10', 24, 'PCIe', true),
    id(/^standard_nv\d+ads_a10_v5$/, 'A10', 24, 'PCIe'),
    id(/^standard_nv\d+s_v3$/, 'M60', 8, 'PCIe'),
    id(/^standard_nv\d+as_v4$/, 'MI25', 16, 'PCIe'),
    id(/^standard_nc\d+r?$/, 'K80', 12, 'PCIe'),
  ],
};

const OCI: ProviderKnowledge = {
  identifiers: [
    id(/^bm\.gpu4\.8/, 'A100', 40, 'SXM4'),
    id(/^bm\.gpu\.a100-v2\.8/, 'A100', 80, 'SXM4'),
    id(/^(bm|vm)\.gpu3\./, 'V100', 16, 'SXM2'),
    id(/^(bm|vm)\.gpu2\./, 'P100', 16, 'PCIe'),
  ],
  // OCI's bare-metal H100 and H200 shapes are HGX boards.
  conventions: [
    { model: 'H100', formFactor: 'SXM5' },
    { model: 'H200', formFactor: 'SXM5' },
  ],
};

export const PROVIDER_KNOWLEDGE: Readonly<Record<string, ProviderKnowledge>> = {
  gcp: GCP,
  gke: GCP,
  azure: AZURE,
  oci: OCI,
  lambda: {
    patterns: [{ tokens: 'rtx 6000', models: ['QRTX6000'] }],
    conventions: [
      { model: 'A100', memoryGiB: 40 },
      { model: 'GH200', memoryGiB: 96 },
    ],
  },
  nebius: { patterns: [{ tokens: 'rtx 6000', models: ['RTXPRO6000'] }] },
  vultr: {
    patterns: [{ tokens: 'l 40', models: ['L40S'] }],
    conventions: [
      { model: 'A100', memoryGiB: 80 },
      { model: 'H100', memoryGiB: 80 },
      { model: 'GH200', memoryGiB: 96 },
    ],
  },
  // nvidia-smi names: the H200 NVL card calls itself "H200 NVL", so a bare H200 is the SXM part.
  runpod: { conventions: [{ model: 'H200', formFactor: 'SXM5' }] },
  'nvidia-smi': { conventions: [{ model: 'H200', formFactor: 'SXM5' }] },
  skypilot: {
    appliesTo: (context) => context.column === 'AcceleratorName',
    conventions: [
      { model: 'A100', memoryGiB: 40 },
      { model: 'V100', memoryGiB: 16 },
      { model: 'H100', memoryGiB: 80 },
    ],
  },
  gpuhunt: { conventions: [{ model: 'H100', memoryGiB: 80 }] },
  ray: { patterns: [{ tokens: 'gaudi', models: ['GAUDI', 'GAUDI2', 'GAUDI3'] }] },
};

export function knowledgeFor(
  source: string | undefined,
  context: Readonly<Record<string, unknown>>,
): ProviderKnowledge {
  const known = source === undefined ? undefined : PROVIDER_KNOWLEDGE[source.toLowerCase()];
  if (!known || (known.appliesTo && !known.appliesTo(context))) return {};
  return known;
}
