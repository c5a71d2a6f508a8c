// Original file: src/generated/proto/nebius/compute/v1/instance.proto


// Original file: src/generated/proto/nebius/compute/v1/instance.proto

export const _nebius_compute_v1_PreemptibleSpec_PreemptionPolicy = {
  UNSPECIFIED: 'UNSPECIFIED',
  STOP: 'STOP',
} as const;

export type _nebius_compute_v1_PreemptibleSpec_PreemptionPolicy =
  | 'UNSPECIFIED'
  | 0
  | 'STOP'
  | 1

export type _nebius_compute_v1_PreemptibleSpec_PreemptionPolicy__Output = typeof _nebius_compute_v1_PreemptibleSpec_PreemptionPolicy[keyof typeof _nebius_compute_v1_PreemptibleSpec_PreemptionPolicy]

export interface PreemptibleSpec {
  'onPreemption'?: (_nebius_compute_v1_PreemptibleSpec_PreemptionPolicy);
  'priority'?: (number);
}

export interface PreemptibleSpec__Output {
  'onPreemption': (_nebius_compute_v1_PreemptibleSpec_PreemptionPolicy__Output);
  'priority': (number);
}
