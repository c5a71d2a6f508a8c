import type { ModelPattern } from './aliases.js';
import type { GpuFormFactor } from './record.js';

/**
 * Provider-scoped knowledge, consulted before the global aliases. The same token means different
 * GPUs at different providers (Lambda's `rtx6000` is the Turing Quadro, Nebius's is the Blackwell
 * PRO), and bare names follow each provider's own convention (a bare `A100` is 40 GB at Lambda
 * and SkyPilot, 80 GB at Vultr). Instance SKUs (Azure sizes, OCI shapes, AWS and GCP machine
 * types, DigitalOcean and Vultr slugs) are not here: their grammars cannot be mistaken for one
 * another, so skus/ reads them whatever the source.
 */

/** What a bare model name means at a provider when the string gives no memory or form factor. */
export interface Convention {
  readonly model: string;
  readonly memoryGiB?: number;
  readonly formFactor?: GpuFormFactor;
}

export interface ProviderKnowledge {
  readonly patterns?: readonly ModelPattern[];
  readonly conventions?: readonly Convention[];
  /** Applies only when the context says so (SkyPilot's conventions hold for its AcceleratorName). */
  readonly appliesTo?: (context: Readonly<Record<string, unknown>>) => boolean;
}

const GCP: ProviderKnowledge = {
  // GCP runs A100s only in a2 machines (HGX), H100/H200 only in a3 (HGX), 16 GB P100 and V100.
  conventions: [
    { model: 'A100', memoryGiB: 40, formFactor: 'SXM4' },
    { model: 'H100', formFactor: 'SXM5' },
    { model: 'H200', formFactor: 'SXM5' },
    { model: 'P100', memoryGiB: 16 },
    { model: 'V100', memoryGiB: 16 },
  ],
};

const OCI: ProviderKnowledge = {
  // OCI's bare-metal H100 and H200 shapes are HGX boards.
  conventions: [
    { model: 'H100', formFactor: 'SXM5' },
    { model: 'H200', formFactor: 'SXM5' },
  ],
};

export const PROVIDER_KNOWLEDGE: Readonly<Record<string, ProviderKnowledge>> = {
  gcp: GCP,
  gke: GCP,
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
