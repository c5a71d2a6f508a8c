import {
  CloudError,
  cloudErrorFromHttp,
  type CloudErrorCode,
  type HttpErrorRule,
} from '@cloudplane/sdk';

/**
 * EC2 error codes (the `<Code>` of EC2's error answers, which the SDK puts in `error.name`) and
 * what each means in the contract. Codes not listed fall back to the HTTP status. Sources: EC2's
 * "Error codes for the Amazon EC2 API" reference.
 */
export const EC2_ERROR_TABLE = {
  // No capacity for the type in the zone: another type or zone may have some.
  InsufficientInstanceCapacity: 'INSUFFICIENT_CAPACITY',
  InsufficientHostCapacity: 'INSUFFICIENT_CAPACITY',
  InsufficientReservedInstanceCapacity: 'INSUFFICIENT_CAPACITY',
  InsufficientCapacity: 'INSUFFICIENT_CAPACITY',
  // Account limits: the operator must ask AWS for more.
  InstanceLimitExceeded: 'OUT_OF_QUOTA',
  VcpuLimitExceeded: 'OUT_OF_QUOTA',
  MaxSpotInstanceCountExceeded: 'OUT_OF_QUOTA',
  VolumeLimitExceeded: 'OUT_OF_QUOTA',
  SecurityGroupLimitExceeded: 'OUT_OF_QUOTA',
  RulesPerSecurityGroupLimitExceeded: 'OUT_OF_QUOTA',
  ResourceLimitExceeded: 'OUT_OF_QUOTA',
  KeyPairLimitExceeded: 'OUT_OF_QUOTA',
  // Throttling of the API itself.
  RequestLimitExceeded: 'RATE_LIMITED',
  Throttling: 'RATE_LIMITED',
  ThrottlingException: 'RATE_LIMITED',
  // The key is wrong, expired or unsigned.
  AuthFailure: 'UNAUTHENTICATED',
  InvalidClientTokenId: 'UNAUTHENTICATED',
  SignatureDoesNotMatch: 'UNAUTHENTICATED',
  IncompleteSignature: 'UNAUTHENTICATED',
  MissingAuthenticationToken: 'UNAUTHENTICATED',
  ExpiredToken: 'UNAUTHENTICATED',
  RequestExpired: 'UNAUTHENTICATED',
  // The key is fine but may not do this (IAM policy, region not enabled, account on hold).
  UnauthorizedOperation: 'PERMISSION_DENIED',
  OptInRequired: 'PERMISSION_DENIED',
  Blocked: 'PERMISSION_DENIED',
  PendingVerification: 'PERMISSION_DENIED',
  // An instance id that is unknown, or not even the shape of one (i-...), names no instance.
  'InvalidInstanceID.NotFound': 'INSTANCE_NOT_FOUND',
  'InvalidInstanceID.Malformed': 'INSTANCE_NOT_FOUND',
  'InvalidAMIID.NotFound': 'IMAGE_NOT_FOUND',
  'InvalidAMIID.Malformed': 'IMAGE_NOT_FOUND',
  'InvalidAMIID.Unavailable': 'IMAGE_NOT_FOUND',
  'InvalidKeyPair.NotFound': 'RESOURCE_NOT_FOUND',
  'InvalidGroup.NotFound': 'RESOURCE_NOT_FOUND',
  'InvalidSubnetID.NotFound': 'RESOURCE_NOT_FOUND',
  'InvalidVpcID.NotFound': 'RESOURCE_NOT_FOUND',
  'InvalidPermission.Duplicate': 'DUPLICATE_FIREWALL_RULE',
  // The request cannot be honoured as asked.
  InvalidParameterValue: 'INVALID_ARGUMENT',
  InvalidParameterCombination: 'INVALID_ARGUMENT',
  InvalidParameter: 'INVALID_ARGUMENT',
  MissingParameter: 'INVALID_ARGUMENT',
  UnknownParameter: 'INVALID_ARGUMENT',
  InvalidAction: 'INVALID_ARGUMENT',
  IdempotentParameterMismatch: 'INVALID_ARGUMENT',
  IncorrectInstanceState: 'INVALID_ARGUMENT',
  IncorrectState: 'INVALID_ARGUMENT',
  UnsupportedOperation: 'INVALID_ARGUMENT',
  Unsupported: 'INVALID_ARGUMENT',
  InvalidInstanceType: 'INVALID_ARGUMENT',
  'InvalidKeyPair.Duplicate': 'INVALID_ARGUMENT',
  'InvalidGroup.Duplicate': 'INVALID_ARGUMENT',
  VPCIdNotSpecified: 'INVALID_ARGUMENT',
  // AWS's side.
  InternalError: 'INTERNAL',
  InternalFailure: 'INTERNAL',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Unavailable: 'SERVICE_UNAVAILABLE',
} as const satisfies Record<string, CloudErrorCode>;
export type Ec2ErrorCode = keyof typeof EC2_ERROR_TABLE;

const RULES: readonly HttpErrorRule[] = Object.entries(EC2_ERROR_TABLE).map(
  ([providerCode, code]) => ({ providerCode, code }),
);

/** Codes whose failover reach differs from the contract's default for the code. */
const SCOPES: Partial<Record<Ec2ErrorCode, CloudError['scope']>> = {
  // A region that is not enabled for the account: another region may be.
  OptInRequired: 'location',
  // A type this region does not sell: another offer may do.
  Unsupported: 'offer',
  InvalidInstanceType: 'offer',
};

/** The parts of an SDK service exception the mapping reads (the SDK's classes vary by op). */
export interface ServiceFailure {
  /** EC2's error code. */
  readonly code: string;
  readonly message: string;
  readonly httpStatus: number;
}

/** The CloudError for an EC2 error answer: EC2's code first, then the HTTP status. */
export function cloudErrorFromEc2(failure: ServiceFailure, operation: string): CloudError {
  const mapped = cloudErrorFromHttp(
    {
      status: failure.httpStatus,
      bodyText: `${failure.code}: ${failure.message}`,
      providerCode: failure.code,
      providerMessage: `${failure.message} (${failure.code})`,
      operation,
    },
    RULES,
  );
  const scope = (SCOPES as Record<string, CloudError['scope'] | undefined>)[failure.code];
  if (scope === undefined) return mapped;
  return new CloudError(mapped.code, {
    message: mapped.message,
    scope,
    detail: mapped.detail,
  });
}
