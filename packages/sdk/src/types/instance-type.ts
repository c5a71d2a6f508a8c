import { z } from 'zod';
import { GpuRecordSchema } from '../gpu/record.js';
import { BytesSchema } from '../units/bytes.js';
import { MoneySchema } from '../units/money.js';

export const CPU_ARCHITECTURES = ['x86_64', 'arm64'] as const;
export type CpuArchitecture = (typeof CPU_ARCHITECTURES)[number];

export const GpuSpecSchema = z.object({
  /** How many of this GPU the instance has. Fractional slices use `fraction` instead. */
  count: z.number().int().nonnegative(),
  /** The normalized record, from the SDK's normalizeGpu(), never parsed by hand. */
  gpu: GpuRecordSchema,
  /** The provider's own description of the GPU, kept verbatim for audits. */
  raw: z.string(),
  /** For partitions (MIG, vGPU): the share of one physical GPU, 0 < fraction < 1. */
  fraction: z.number().positive().lt(1).optional(),
  /** Whether the GPUs are joined by NVLink, when the provider says. */
  nvlink: z.boolean().optional(),
});
export type GpuSpec = z.infer<typeof GpuSpecSchema>;

export const STORAGE_KINDS = ['nvme', 'ssd', 'hdd', 'network'] as const;

export const StorageSchema = z.object({
  kind: z.enum(STORAGE_KINDS),
  count: z.number().int().positive(),
  /** Size of each device. For elastic storage, the default size. */
  size: BytesSchema,
  /** True when the size is chosen at launch (between minSize and maxSize). */
  elastic: z.boolean(),
  minSize: BytesSchema.optional(),
  maxSize: BytesSchema.optional(),
  /** Price per GiB per hour for elastic storage; required when `elastic` is true. */
  pricePerGiBHour: MoneySchema.optional(),
});
export type Storage = z.infer<typeof StorageSchema>;

export const InstanceTypeSchema = z
  .object({
    /** From instanceTypeId(); the same function gives Instance.instanceTypeId. Stable over time. */
    id: z.string().min(1),
    /** The provider's own name for the type, as passed in CreateInstanceAttrs.instanceType. */
    type: z.string().min(1),
    /** The provider (adapter) id, e.g. `shadeform`. */
    provider: z.string().min(1),
    /** The cloud that runs the machine; equals `provider` unless the provider is a broker. */
    cloud: z.string().min(1),
    location: z.string().min(1),
    subLocation: z.string().min(1).optional(),
    /** Zones inside `location` where this type can launch. */
    availableZones: z.array(z.string()),
    gpus: z.array(GpuSpecSchema),
    vcpu: z.number().int().positive(),
    memory: BytesSchema,
    storage: z.array(StorageSchema),
    architecture: z.enum(CPU_ARCHITECTURES),
    /** On-demand price per hour of the whole instance. */
    price: MoneySchema,
    /** True when the provider reports capacity to launch it now. */
    available: z.boolean(),
    stoppable: z.boolean(),
    rebootable: z.boolean(),
    /** True when firewall rules can change after launch (the `firewall` capability). */
    canModifyFirewallRules: z.boolean(),
    /** Typical seconds from create to running, when the provider knows. */
    estimatedDeploySeconds: z.number().positive().optional(),
  })
  .superRefine((t, ctx) => {
    for (const [i, s] of t.storage.entries()) {
      if (s.elastic && s.pricePerGiBHour === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['storage', i, 'pricePerGiBHour'],
          message: 'elastic storage needs pricePerGiBHour so that launches can be priced',
        });
      }
    }
  });
export type InstanceType = z.infer<typeof InstanceTypeSchema>;
