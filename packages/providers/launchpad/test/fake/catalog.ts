/**
 * The fake's catalog, in the shape of the spec's `InstanceType`. The first entry follows the
 * spec's own example (an A100-80GB at "oci" in us-tx-1), with its interconnect written in the
 * enum's case: the example's "SXM" breaks the spec's own enum (test/fake.test.ts shows it). The
 * others follow LaunchPad's public offers. Test code only.
 */

export interface FakeInstanceType {
  readonly cloud: string;
  readonly cpu: number;
  readonly memory_gb: number;
  readonly gpu: {
    readonly count: number;
    readonly family: string;
    readonly interconnection_type: 'pcie' | 'sxm';
    readonly manufacturer: string;
    readonly memory_gb: number;
    readonly model: string;
  };
  readonly price: { readonly currency: string; readonly on_demand_per_hour: number };
  readonly storage: readonly { readonly size_gb: number; readonly type: 'nvme' | 'ssd' }[];
  readonly system_arch: 'amd64' | 'arm64';
  readonly workshop_id: string;
}

export interface FakeOffer {
  readonly type: FakeInstanceType;
  /** Clusters still free, per region name. */
  readonly capacity: Record<string, number>;
}

const gpu = (
  model: string,
  family: string,
  count: number,
  memory_gb: number,
  interconnection_type: 'pcie' | 'sxm',
) => ({ count, family, interconnection_type, manufacturer: 'NVIDIA', memory_gb, model });

/** A fresh copy each call: tests change capacities. */
export function defaultOffers(): FakeOffer[] {
  return [
    {
      type: {
        cloud: 'oci',
        cpu: 16,
        memory_gb: 120,
        gpu: gpu('A100-80GB', 'A100', 1, 80, 'sxm'),
        price: { currency: 'USD', on_demand_per_hour: 2.5 },
        storage: [
          { size_gb: 1024, type: 'ssd' },
          { size_gb: 2048, type: 'ssd' },
        ],
        system_arch: 'amd64',
        workshop_id: '',
      },
      capacity: { 'us-tx-1': 10 },
    },
    {
      type: {
        cloud: 'dmz',
        cpu: 26,
        memory_gb: 200,
        gpu: gpu('H100', 'H100', 1, 80, 'pcie'),
        price: { currency: 'USD', on_demand_per_hour: 2.37 },
        storage: [{ size_gb: 1000, type: 'nvme' }],
        system_arch: 'amd64',
        workshop_id: '',
      },
      capacity: { pdx: 3, 'us-east': 1 },
    },
    {
      type: {
        cloud: 'nebius',
        cpu: 8,
        memory_gb: 32,
        gpu: gpu('L4', 'L4', 1, 24, 'pcie'),
        price: { currency: 'USD', on_demand_per_hour: 0.8 },
        storage: [{ size_gb: 256, type: 'ssd' }],
        system_arch: 'amd64',
        workshop_id: 'January training',
      },
      capacity: { 'eu-north1': 2 },
    },
    {
      // LaunchPad gives this one no price: only an operator's price list can publish it.
      type: {
        cloud: 'dmz',
        cpu: 32,
        memory_gb: 256,
        gpu: gpu('L40S', 'L40S', 2, 48, 'pcie'),
        price: { currency: 'USD', on_demand_per_hour: 0 },
        storage: [{ size_gb: 2000, type: 'nvme' }],
        system_arch: 'amd64',
        workshop_id: '',
      },
      capacity: { pdx: 2 },
    },
    {
      type: {
        cloud: 'oci',
        cpu: 72,
        memory_gb: 480,
        gpu: gpu('GH200', 'GH200', 1, 96, 'sxm'),
        price: { currency: 'USD', on_demand_per_hour: 3.2 },
        storage: [{ size_gb: 4000, type: 'nvme' }],
        system_arch: 'arm64',
        workshop_id: '',
      },
      capacity: { 'us-tx-1': 0 },
    },
  ];
}

/** The operator price the tests' credential gives the unpriced L40S type. */
export const OPERATOR_PRICES = { 'dmz.l40sx2.pcie': { hourly: '3.10', currency: 'USD' } } as const;
