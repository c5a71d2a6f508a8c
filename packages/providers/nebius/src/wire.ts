import { CloudError } from '@cloudplane/sdk';
import { z } from 'zod';

/**
 * What the adapter reads from Nebius's answers, checked. protobuf decoding already guarantees the
 * field types (and fills defaults); these schemas add what the adapter relies on beyond that: ids
 * that are present, timestamps that are real, a finished operation's status. An answer that fails
 * them is a clear INTERNAL error naming the field, never a silent wrong value.
 */

const Timestamp = z.object({
  seconds: z.string().regex(/^\d+$/, 'a whole number of seconds'),
  nanos: z.number().int().min(0),
});

export function timestampToIso(ts: z.infer<typeof Timestamp>): string {
  return new Date(Number(ts.seconds) * 1000 + Math.floor(ts.nanos / 1e6)).toISOString();
}

// protobufjs keeps google.protobuf.Any's field names as written in any.proto (type_url).
const AnyMessage = z.object({ type_url: z.string(), value: z.instanceof(Buffer) });

export const RpcStatus = z.object({
  code: z.number().int().min(0),
  message: z.string(),
  details: z.array(AnyMessage),
});

export const OperationWire = z.object({
  id: z.string().min(1, 'the operation has no id'),
  resourceId: z.string(),
  /** Null while the operation runs; set (OK or not) once it finished. */
  status: RpcStatus.nullable(),
});
export type OperationWire = z.infer<typeof OperationWire>;

const Metadata = z.object({
  id: z.string().min(1, 'no id'),
  parentId: z.string(),
  name: z.string(),
  createdAt: Timestamp,
  labels: z.record(z.string(), z.string()),
});

const Address = z.object({ address: z.string() }).nullable();

export const InstanceWire = z.object({
  metadata: Metadata,
  spec: z.object({
    resources: z.object({ platform: z.string().min(1), preset: z.string() }),
    hostname: z.string(),
    stopped: z.boolean(),
    bootDisk: z
      .object({
        managedDisk: z
          .object({
            spec: z
              .object({
                sizeGibibytes: z.string().optional(),
                sourceImageId: z.string().optional(),
                sourceImageFamily: z.object({ imageFamily: z.string() }).nullable().optional(),
              })
              .nullable(),
          })
          .nullable()
          .optional(),
      })
      .nullable(),
  }),
  status: z
    .object({
      state: z.string(),
      reconciling: z.boolean(),
      networkInterfaces: z.array(
        z.object({ ipAddress: Address, publicIpAddress: Address, fqdn: z.string() }),
      ),
    })
    .nullable(),
});
export type InstanceWire = z.infer<typeof InstanceWire>;

export const PresetWire = z.object({
  name: z.string().min(1),
  resources: z.object({
    vcpuCount: z.number().int(),
    memoryGibibytes: z.number().int(),
    gpuCount: z.number().int().min(0),
  }),
});
export type PresetWire = z.infer<typeof PresetWire>;

export const PlatformWire = z.object({
  metadata: z.object({ name: z.string().min(1, 'the platform has no name') }),
  spec: z.object({
    presets: z.array(z.unknown()),
    humanReadableName: z.string(),
    shortHumanReadableName: z.string(),
    gpuMemoryGigabytes: z.number().int(),
    gpuMemoryGibibytes: z.number().int(),
  }),
});
export type PlatformWire = z.infer<typeof PlatformWire>;

export const ProjectWire = z.object({
  spec: z.object({ region: z.string() }).nullable(),
  status: z.object({ region: z.string() }).nullable(),
});

export const SubnetWire = z.object({
  metadata: z.object({ id: z.string().min(1) }),
  status: z.object({ state: z.string() }).nullable(),
});

/** One page of a List answer: the items (read by the caller) and the next page's token. */
export const PageWire = z.object({ items: z.array(z.unknown()), nextPageToken: z.string() });

/** `value` as `schema` says, or an INTERNAL error naming the first field that is wrong. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, operation: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new CloudError('INTERNAL', {
    message: `${operation}: unreadable answer (${issue?.path.map(String).join('.') ?? ''}: ${issue?.message ?? 'unexpected shape'})`,
  });
}
