/**
 * Defect switches: each makes the adapter break the contract in one known way, so that the
 * conformance suite can be shown to catch it. Off by default; set in the credential's `defects`.
 */
export const DEVCLOUD_DEFECTS = [
  /** Instance-type ids change between calls. */
  'unstable-type-ids',
  /** Two catalog entries share one id. */
  'duplicate-type-ids',
  /** Instances carry an instanceTypeId the catalog never gave. */
  'instance-type-id-mismatch',
  /** Instances come back without the refId they were created with. */
  'missing-ref-id',
  /** Instances report the calling credential's cloudCredRefId instead of the creator's. */
  'wrong-cloud-cred-ref-id',
  /** listInstances returns what it has when a page fails, instead of failing. */
  'partial-list',
  /** Terminating an already-terminated instance fails. */
  'terminate-not-idempotent',
  /** Out-of-capacity surfaces as INTERNAL instead of INSUFFICIENT_CAPACITY. */
  'generic-capacity-error',
  /** `reboot` is declared but the client has no reboot group. */
  'missing-declared-capability',
  /** The boot firewall leaves a non-allowed port open (netns backend). */
  'firewall-leaves-port-open',
  /** The launch's public key is not the one installed (netns backend). */
  'wrong-public-key',
] as const;
export type DevcloudDefect = (typeof DEVCLOUD_DEFECTS)[number];
