import type { CloudErrorCode, HttpErrorRule } from '@cloudplane/sdk';

/** Lambda's `errorCode` enum, copied from the spec (a test keeps the two equal). */
export const LAMBDA_ERROR_CODES = [
  'global/unknown',
  'global/invalid-api-key',
  'global/account-inactive',
  'global/invalid-address',
  'global/invalid-parameters',
  'global/object-does-not-exist',
  'global/quota-exceeded',
  'instance-operations/launch/insufficient-capacity',
  'instance-operations/launch/file-system-in-wrong-region',
  'ssh-keys/key-in-use',
] as const;
export type LambdaErrorCode = (typeof LAMBDA_ERROR_CODES)[number];

/**
 * What each Lambda code means in the contract. `by-status` leaves the decision to the HTTP status
 * (Lambda's catch-all code says nothing more); `not-found` depends on what was asked for: an
 * instance operation gives INSTANCE_NOT_FOUND, anything else RESOURCE_NOT_FOUND.
 */
export const LAMBDA_ERROR_TABLE: Readonly<
  Record<LambdaErrorCode, CloudErrorCode | 'by-status' | 'not-found'>
> = {
  'global/unknown': 'by-status',
  'global/invalid-api-key': 'UNAUTHENTICATED',
  // The account cannot launch until its owner fixes it (inactive, or no valid billing address).
  'global/account-inactive': 'PERMISSION_DENIED',
  'global/invalid-address': 'PERMISSION_DENIED',
  'global/invalid-parameters': 'INVALID_ARGUMENT',
  'global/object-does-not-exist': 'not-found',
  'global/quota-exceeded': 'OUT_OF_QUOTA',
  'instance-operations/launch/insufficient-capacity': 'INSUFFICIENT_CAPACITY',
  'instance-operations/launch/file-system-in-wrong-region': 'INVALID_ARGUMENT',
  'ssh-keys/key-in-use': 'INVALID_ARGUMENT',
};

/** What "does not exist" means for a request: an instance, or another object. */
export type NotFoundCode = 'INSTANCE_NOT_FOUND' | 'RESOURCE_NOT_FOUND';

/** The rules for cloudErrorFromHttp; Lambda's own code wins over the status. */
export function errorRules(notFound: NotFoundCode): HttpErrorRule[] {
  const rules: HttpErrorRule[] = [];
  for (const providerCode of LAMBDA_ERROR_CODES) {
    const meaning = LAMBDA_ERROR_TABLE[providerCode];
    if (meaning === 'by-status') continue;
    rules.push({ providerCode, code: meaning === 'not-found' ? notFound : meaning });
  }
  // A bare 404 (a proxy's page, a wrong base URL) is not Lambda saying the object does not
  // exist: taken as "not there", a terminate would count as done and a sync would end the row
  // of a machine that still bills. It falls to the status table (RESOURCE_NOT_FOUND).
  return rules;
}
