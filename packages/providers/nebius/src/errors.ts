import { status as GrpcStatus, type ServiceError as GrpcError } from '@grpc/grpc-js';
import { CloudError, type CloudErrorCode } from '@cloudplane/sdk';
import { nebiusApi, type ServiceErrorMessage, type StatusMessage } from './proto.js';

/**
 * Nebius reports failures as a google.rpc.Status: on the RPC itself (the gRPC status, with the
 * full Status in the `grpc-status-details-bin` trailer) or in a finished Operation's `status`.
 * Either may carry nebius.common.v1.ServiceError details, which say more than the status code
 * (proto/README.md, "Error Details"). The code decides first; a ServiceError detail, when there is
 * one, refines it (a RESOURCE_EXHAUSTED is quota, capacity or a rate limit only by its detail).
 */

export type GrpcCodeName = keyof typeof GrpcStatus;

/** What "not found" means for a request: an instance, or another object (project, subnet). */
export type NotFoundCode = 'INSTANCE_NOT_FOUND' | 'RESOURCE_NOT_FOUND';

type Meaning = CloudErrorCode | 'not-found' | 'by-detail';

/** Every gRPC status code (the compiler insists) and what it means in the contract. */
export const GRPC_CODE_TABLE = {
  OK: 'INTERNAL',
  // Nebius cancelled the call (we abort with our own signal, which is handled before this).
  CANCELLED: 'SERVICE_UNAVAILABLE',
  UNKNOWN: 'INTERNAL',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  DEADLINE_EXCEEDED: 'SERVICE_UNAVAILABLE',
  NOT_FOUND: 'not-found',
  ALREADY_EXISTS: 'INVALID_ARGUMENT',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  // Quota, capacity or a rate limit: only the ServiceError detail tells which.
  RESOURCE_EXHAUSTED: 'by-detail',
  // The resource is in the wrong state for the request (e.g. start a running instance).
  FAILED_PRECONDITION: 'INVALID_ARGUMENT',
  // Another operation on the same resource won; trying again later is right.
  ABORTED: 'INTERNAL',
  OUT_OF_RANGE: 'INVALID_ARGUMENT',
  UNIMPLEMENTED: 'NOT_IMPLEMENTED',
  INTERNAL: 'INTERNAL',
  UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  DATA_LOSS: 'INTERNAL',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
} as const satisfies Record<GrpcCodeName, Meaning>;

/** The ServiceError detail kinds (the `details` oneof of error.proto) and their meaning. */
export const SERVICE_ERROR_TABLE = {
  badRequest: 'INVALID_ARGUMENT',
  badResourceState: 'INVALID_ARGUMENT',
  resourceNotFound: 'not-found',
  resourceAlreadyExists: 'INVALID_ARGUMENT',
  outOfRange: 'INVALID_ARGUMENT',
  permissionDenied: 'PERMISSION_DENIED',
  resourceConflict: 'INVALID_ARGUMENT',
  operationAborted: 'INTERNAL',
  operationConflict: 'INTERNAL',
  tooManyRequests: 'RATE_LIMITED',
  quotaFailure: 'OUT_OF_QUOTA',
  notEnoughResources: 'INSUFFICIENT_CAPACITY',
  internalError: 'INTERNAL',
} as const satisfies Record<NonNullable<ServiceErrorMessage['details']>, Meaning>;

/**
 * Codes that only say "something went wrong" in broad terms: for these the ServiceError detail,
 * when there is one, decides. Specific codes (NOT_FOUND, PERMISSION_DENIED, UNAUTHENTICATED,
 * INVALID_ARGUMENT, UNAVAILABLE...) decide themselves.
 */
const REFINED_BY_DETAIL: ReadonlySet<GrpcCodeName> = new Set([
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'UNKNOWN',
  'INTERNAL',
  'CANCELLED',
]);

/** Details that describe a passing conflict: the same request may succeed a moment later. */
const TRANSIENT_DETAILS = new Set(['operationAborted', 'operationConflict', 'tooManyRequests']);

export interface FailureContext {
  /** "get instance computeinstance-e00…": the start of the message. */
  readonly operation: string;
  readonly notFound: NotFoundCode;
  /**
   * Where the failure came from: the RPC, or a finished Operation. A RESOURCE_EXHAUSTED without
   * a detail is a rate limit on an RPC, and lack of capacity in an operation (operations are not
   * rate limited; they fail when the cloud cannot place the machine).
   */
  readonly source: 'rpc' | 'operation';
}

/** A gRPC or Operation status (code, message, detail) as a CloudError. */
export function cloudErrorFromStatus(
  code: number,
  message: string,
  detail: ServiceErrorMessage | undefined,
  context: FailureContext,
  cause?: unknown,
): CloudError {
  const codeName = grpcCodeName(code);
  const kind = detail?.details;
  let meaning: Meaning = codeName === undefined ? 'INTERNAL' : GRPC_CODE_TABLE[codeName];
  if (
    kind !== undefined &&
    kind !== 'internalError' &&
    (codeName === undefined || REFINED_BY_DETAIL.has(codeName))
  ) {
    meaning = SERVICE_ERROR_TABLE[kind];
  }
  if (meaning === 'by-detail') {
    meaning = context.source === 'rpc' ? 'RATE_LIMITED' : 'INSUFFICIENT_CAPACITY';
  }
  const cloudCode: CloudErrorCode = meaning === 'not-found' ? context.notFound : meaning;
  const retryable = retryableOf(cloudCode, detail);
  const said = [message, describeDetail(detail)].filter((s) => s !== '').join('; ');
  return new CloudError(cloudCode, {
    message: `${context.operation}: ${said || (codeName ?? `gRPC status ${code}`)}`,
    ...(retryable === undefined ? {} : { retryable }),
    detail: {
      providerCode: [codeName ?? String(code), detail?.code].filter(Boolean).join('/'),
      raw: said,
    },
    cause,
  });
}

/** A failed RPC as a CloudError, reading the ServiceError from the status trailer. */
export function cloudErrorFromGrpc(
  err: GrpcError,
  context: Omit<FailureContext, 'source'>,
): CloudError {
  const status = statusFromTrailer(err);
  const detail = status ? serviceErrorOf(status) : undefined;
  return cloudErrorFromStatus(err.code, err.details, detail, { ...context, source: 'rpc' }, err);
}

/** A finished operation's failed status as a CloudError. */
export function cloudErrorFromOperationStatus(
  status: StatusMessage,
  context: Omit<FailureContext, 'source'>,
): CloudError {
  return cloudErrorFromStatus(status.code, status.message, serviceErrorOf(status), {
    ...context,
    source: 'operation',
  });
}

export function isGrpcError(err: unknown): err is GrpcError {
  return (
    err instanceof Error &&
    typeof (err as Partial<GrpcError>).code === 'number' &&
    (err as Partial<GrpcError>).metadata !== undefined
  );
}

const NAME_OF_CODE = new Map<number, GrpcCodeName>(
  (Object.keys(GRPC_CODE_TABLE) as GrpcCodeName[]).map((name) => [GrpcStatus[name], name]),
);

function grpcCodeName(code: number): GrpcCodeName | undefined {
  return NAME_OF_CODE.get(code);
}

/**
 * Whether to try again: the ServiceError's retry_type when Nebius gave one (CALL: yes, NOTHING:
 * no), a passing conflict yes; otherwise the code's default (undefined).
 */
function retryableOf(
  code: CloudErrorCode,
  detail: ServiceErrorMessage | undefined,
): boolean | undefined {
  if (detail?.retryType === 'CALL') return true;
  if (detail?.retryType === 'NOTHING') return false;
  if (detail?.details !== undefined && TRANSIENT_DETAILS.has(detail.details)) return true;
  return code === 'INSUFFICIENT_CAPACITY' || code === 'OUT_OF_QUOTA' ? false : undefined;
}

const STATUS_TRAILER = 'grpc-status-details-bin';
const SERVICE_ERROR_TYPE = 'type.googleapis.com/nebius.common.v1.ServiceError';

function statusFromTrailer(err: GrpcError): StatusMessage | undefined {
  const [bytes] = err.metadata.get(STATUS_TRAILER);
  if (!Buffer.isBuffer(bytes)) return undefined;
  try {
    return nebiusApi().google.rpc.Status.deserialize(bytes);
  } catch {
    return undefined;
  }
}

/** The first ServiceError among the status details, if any can be read. */
export function serviceErrorOf(status: StatusMessage): ServiceErrorMessage | undefined {
  for (const any of status.details) {
    if (any.type_url !== SERVICE_ERROR_TYPE || !Buffer.isBuffer(any.value)) continue;
    try {
      return nebiusApi().nebius.common.v1.ServiceError.deserialize(any.value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The detail in words, for the message: quota names and limits, what is lacking, and so on. */
function describeDetail(detail: ServiceErrorMessage | undefined): string {
  if (!detail) return '';
  const parts: string[] = [];
  for (const v of detail.quotaFailure?.violations ?? []) {
    parts.push(`quota ${v.quota}: ${v.message} (limit ${v.limit}, requested ${v.requested})`);
  }
  for (const v of detail.notEnoughResources?.violations ?? []) {
    parts.push(`not enough ${v.resourceType || 'resources'}: ${v.message}`);
  }
  for (const v of detail.badRequest?.violations ?? []) parts.push(`${v.field}: ${v.message}`);
  if (detail.badResourceState) parts.push(detail.badResourceState.message);
  if (detail.resourceConflict) parts.push(detail.resourceConflict.message);
  if (detail.tooManyRequests) parts.push(`too many requests (${detail.tooManyRequests.violation})`);
  return parts.filter((p) => p !== '').join('; ');
}
