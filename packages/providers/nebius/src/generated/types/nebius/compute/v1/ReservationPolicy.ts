// Original file: src/generated/proto/nebius/compute/v1/instance.proto


// Original file: src/generated/proto/nebius/compute/v1/instance.proto

export const _nebius_compute_v1_ReservationPolicy_Policy = {
  AUTO: 'AUTO',
  FORBID: 'FORBID',
  STRICT: 'STRICT',
} as const;

export type _nebius_compute_v1_ReservationPolicy_Policy =
  | 'AUTO'
  | 0
  | 'FORBID'
  | 1
  | 'STRICT'
  | 2

export type _nebius_compute_v1_ReservationPolicy_Policy__Output = typeof _nebius_compute_v1_ReservationPolicy_Policy[keyof typeof _nebius_compute_v1_ReservationPolicy_Policy]

export interface ReservationPolicy {
  'policy'?: (_nebius_compute_v1_ReservationPolicy_Policy);
  'reservationIds'?: (string)[];
}

export interface ReservationPolicy__Output {
  'policy': (_nebius_compute_v1_ReservationPolicy_Policy__Output);
  'reservationIds': (string)[];
}
