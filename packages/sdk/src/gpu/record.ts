import { z } from 'zod';

/**
 * The closed enums of the GPU record (docs/spec/gpu-normalization.md, sections 1 and 3).
 * The model table and the normalizer live beside this file; this file only fixes the shape.
 */
export const GPU_MANUFACTURERS = ['NVIDIA', 'AMD', 'Intel', 'Google', 'AWS'] as const;
export type GpuManufacturer = (typeof GPU_MANUFACTURERS)[number];

export const GPU_MEMORY_TYPES = [
  'GDDR5',
  'GDDR6',
  'GDDR6X',
  'GDDR7',
  'HBM2',
  'HBM2e',
  'HBM3',
  'HBM3e',
] as const;
export type GpuMemoryType = (typeof GPU_MEMORY_TYPES)[number];

/** Form factor and interconnect of a GPU variant. NVLink presence is not a form factor. */
export const GPU_FORM_FACTORS = [
  'PCIe',
  'SXM2',
  'SXM3',
  'SXM4',
  'SXM5',
  'SXM6',
  'NVL',
  'Superchip',
  'OAM',
] as const;
export type GpuFormFactor = (typeof GPU_FORM_FACTORS)[number];

/**
 * One normalized GPU. `(name, memoryGiB, formFactor)` identifies the variant; a null means the
 * provider's description could not decide that field (never a guess).
 */
export const GpuRecordSchema = z.object({
  /** Canonical model name, `^[A-Z][A-Z0-9]*$`, for example `H100`, `RTX6000ADA`. */
  name: z
    .string()
    .regex(/^[A-Z][A-Z0-9]*$/)
    .nullable(),
  manufacturer: z.enum(GPU_MANUFACTURERS).nullable(),
  /** Nominal per-GPU memory of the variant in GiB (a variant key, not a measurement). */
  memoryGiB: z.number().int().positive().nullable(),
  memoryType: z.enum(GPU_MEMORY_TYPES).nullable(),
  formFactor: z.enum(GPU_FORM_FACTORS).nullable(),
  /** Taken from the model table, never parsed from the raw string. */
  architecture: z.string().min(1).nullable(),
});
export type GpuRecord = z.infer<typeof GpuRecordSchema>;
