/** Why a normalized record may not be the whole truth, for the syncer to log. */
export const GPU_WARNING_KINDS = [
  'unknown-model',
  'ambiguous-model',
  'name-memory-conflict',
  'form-factor-conflict',
  'total-instead-of-per-gpu',
  'host-ram-in-gpu-field',
  'fractional-gpu',
  'per-board-memory',
  'aftermarket',
  'truncated-name',
] as const;
export type GpuWarningKind = (typeof GPU_WARNING_KINDS)[number];

export interface GpuWarning {
  readonly kind: GpuWarningKind;
  readonly message: string;
}
