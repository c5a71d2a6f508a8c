import { fluidstackSpec } from './spec.js';

/**
 * The fake's catalog: the spec's own `InstanceType` example (h100-hgx-80gb.8x) and types in the
 * same shape, with the capacity each region has for them. Test code only.
 */

export interface FakeInstanceType {
  readonly name: string;
  readonly cpu: number;
  readonly memory: string;
  readonly gpuModel?: string;
  readonly gpuCount?: number;
}

export interface FakeRegionSetup {
  readonly name: string;
  /** Instances that can still launch, per type name; a type absent here is not sold there. */
  readonly capacity: Record<string, number>;
}

export const SPEC_EXAMPLE_TYPE = fluidstackSpec.examplesOf('InstanceType')[0] as FakeInstanceType;

export const FAKE_TYPES: readonly FakeInstanceType[] = [
  SPEC_EXAMPLE_TYPE,
  {
    name: 'h200-sxm-141gb.8x',
    cpu: 192,
    memory: '1920Gi',
    gpuModel: 'H200_SXM5_141GB',
    gpuCount: 8,
  },
  {
    name: 'a100-sxm-80gb.1x',
    cpu: 12,
    memory: '120Gi',
    gpuModel: 'GA100_A100_SXM4_80GB',
    gpuCount: 1,
  },
  { name: 'l40s-48gb.1x', cpu: 16, memory: '128Gi', gpuModel: 'L40S_48GB', gpuCount: 1 },
  // Sold, but the operator's price list in the tests has no price for it.
  { name: 'gh200-96gb.1x', cpu: 72, memory: '480Gi', gpuModel: 'GH200_96GB', gpuCount: 1 },
];

/** USD per hour, as an operator would put them in the credential (gh200 left out on purpose). */
export const FAKE_PRICES: Readonly<Record<string, number>> = {
  'h100-hgx-80gb.8x': 23.92,
  'h200-sxm-141gb.8x': 28.5,
  'a100-sxm-80gb.1x': 1.65,
  'l40s-48gb.1x': 0.95,
};

/** A fresh copy each call: tests change capacities. */
export function defaultRegions(): FakeRegionSetup[] {
  return [
    {
      name: 'us-west-1',
      capacity: {
        'h100-hgx-80gb.8x': 1,
        'a100-sxm-80gb.1x': 3,
        'l40s-48gb.1x': 2,
        'gh200-96gb.1x': 1,
      },
    },
    { name: 'eu-north-1', capacity: { 'h200-sxm-141gb.8x': 1, 'l40s-48gb.1x': 0 } },
  ];
}
