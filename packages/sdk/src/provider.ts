import type { z } from 'zod';
import type { FirewallRules } from './firewall/rules.js';
import type { Logger } from './logger.js';
import type { InstanceType } from './types/instance-type.js';
import type { Instance, Tags } from './types/instance.js';
import type { Location } from './types/location.js';
import type {
  CreateInstanceAttrs,
  GetInstanceTypesArgs,
  ListInstancesArgs,
} from './types/requests.js';
import type { Bytes } from './units/bytes.js';
import type { Money } from './units/money.js';

/**
 * The provider contract. A provider engineer writes one `Provider` (a factory) whose clients
 * speak to their cloud. docs/contract.md walks through every method; the conformance suite
 * proves an implementation keeps it.
 */

/** Optional method groups. A group is present on the client exactly when declared here. */
export const CAPABILITIES = [
  'stopStart',
  'reboot',
  'tags',
  'firewall',
  'resizeVolume',
  'changeInstanceType',
  'images',
  'quota',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/**
 * `global`: one API endpoint serves every location, so the catalog is fetched once.
 * `locational`: a client is bound to one location, so syncers make one client per location.
 */
export type ApiType = 'global' | 'locational';

/** How create applies CreateInstanceAttrs.firewallRules. */
export type FirewallAtCreate =
  /** The cloud's firewall API (security groups and the like). */
  | 'native'
  /** The SDK's firewall script in the boot script / cloud-init (firewall/ in this package). */
  | 'boot-script'
  /** The cloud accepts only a source-IP allowlist (firewall/allowlist). */
  | 'allowlist'
  /** Rules cannot be applied; create must reject non-empty rules with INVALID_ARGUMENT. */
  | 'unsupported';

export interface PollIntervals {
  /** How often the catalog syncer asks for instance types. Default 60 000 ms. */
  readonly instanceTypesMs: number;
  /** How often the instance syncer lists instances. Default 5 000 ms. */
  readonly instancesMs: number;
}

export const DEFAULT_POLL_INTERVALS: PollIntervals = {
  instanceTypesMs: 60_000,
  instancesMs: 5_000,
};
export const DEFAULT_MAX_CREATES_PER_MINUTE = 10;

/** What a client is made with. */
export interface ClientContext<C> {
  /** The parsed credential (already validated with the provider's credentialSchema). */
  readonly credential: C;
  /** The control plane's id of this credential; every instance created must carry it back. */
  readonly cloudCredRefId: string;
  /** For `locational` providers: the location this client serves. */
  readonly location?: string;
  readonly logger?: Logger;
  /** Injected fetch (tests, proxies); defaults to the global fetch. */
  readonly fetch?: typeof fetch;
  /** Aborts every in-flight request of this client (shutdown). */
  readonly signal?: AbortSignal;
}

export interface Provider<C = unknown> {
  /** Stable lowercase id: `lambda`, `shadeform`, `devcloud`. */
  readonly id: string;
  readonly displayName: string;
  /** Validates a credential before it is stored or used; messages must not echo secrets. */
  readonly credentialSchema: z.ZodType<C>;
  /** Names of credential fields that are secret (redacted in logs and API responses). */
  readonly secretFields: readonly (keyof C & string)[];
  readonly apiType: ApiType;
  readonly firewallAtCreate: FirewallAtCreate;
  readonly pollIntervals: PollIntervals;
  /** The cloud's own launch rate limit, which the control plane keeps under. */
  readonly maxCreatesPerMinute: number;
  capabilities(): readonly Capability[];
  makeClient(context: ClientContext<C>): CloudClient;
}

export interface StopStartOps {
  /** Stops a running instance; resolves once the cloud accepted the request. */
  stopInstance(cloudId: string): Promise<void>;
  startInstance(cloudId: string): Promise<void>;
}

export interface RebootOps {
  rebootInstance(cloudId: string): Promise<void>;
}

export interface TagOps {
  /** Merges `tags` into the instance's tags (existing keys are overwritten). */
  updateTags(cloudId: string, tags: Tags): Promise<void>;
}

export interface FirewallOps {
  /** Replaces the instance's rules. A rule the cloud already has: DUPLICATE_FIREWALL_RULE. */
  updateFirewallRules(cloudId: string, rules: FirewallRules): Promise<void>;
}

export interface ResizeVolumeOps {
  resizeVolume(cloudId: string, size: Bytes): Promise<void>;
}

export interface ChangeInstanceTypeOps {
  /** The instance must be stopped; `instanceType` is the provider's type name. */
  changeInstanceType(cloudId: string, instanceType: string): Promise<void>;
}

export interface Image {
  readonly id: string;
  readonly name: string;
  readonly architecture: 'x86_64' | 'arm64';
  readonly location?: string;
  readonly description?: string;
}

export interface ImageOps {
  getImages(args?: { locations?: readonly string[] }): Promise<Image[]>;
}

export interface Quota {
  /** What is limited: `instances`, `gpus`, `gpus:H100`, `spend`. */
  readonly resource: string;
  readonly limit: number;
  readonly used: number;
  readonly location?: string;
  readonly spendLimit?: Money;
}

export interface QuotaOps {
  getQuotas(): Promise<Quota[]>;
}

/** A client for one credential (and, for locational providers, one location). */
export interface CloudClient {
  readonly providerId: string;
  readonly cloudCredRefId: string;

  /** Every location the credential can see. Unavailable ones are included, marked so. */
  getLocations(): Promise<Location[]>;
  /**
   * The catalog. Complete or an error: never a partial list. Each type's `id` comes from
   * instanceTypeId() (or the provider's stable id), and must not change between calls.
   */
  getInstanceTypes(args?: GetInstanceTypesArgs): Promise<InstanceType[]>;

  /**
   * Launches one instance. The result carries `refId`, `cloudCredRefId` and an
   * `instanceTypeId` equal to the catalog's. All or nothing: if anything fails after the cloud
   * accepted the launch, terminate what was created before throwing.
   * No capacity: INSUFFICIENT_CAPACITY. Account limit: OUT_OF_QUOTA.
   */
  createInstance(attrs: CreateInstanceAttrs): Promise<Instance>;
  /** One instance by cloud id; INSTANCE_NOT_FOUND when the cloud does not know it. */
  getInstance(cloudId: string): Promise<Instance>;
  /**
   * Instances this credential created (foreign ones are skipped with a warning). Complete or an
   * error: paginate to the end; any failed page fails the call. Filters: types/requests.ts.
   */
  listInstances(args?: ListInstancesArgs): Promise<Instance[]>;
  /** Idempotent: terminating an instance that is gone or terminating succeeds. */
  terminateInstance(cloudId: string): Promise<void>;

  readonly stopStart?: StopStartOps;
  readonly reboot?: RebootOps;
  readonly tags?: TagOps;
  readonly firewall?: FirewallOps;
  readonly resizeVolume?: ResizeVolumeOps;
  readonly changeInstanceType?: ChangeInstanceTypeOps;
  readonly images?: ImageOps;
  readonly quota?: QuotaOps;
}

/** The client member that holds each capability's methods. */
export const CAPABILITY_GROUP: Readonly<Record<Capability, keyof CloudClient>> = {
  stopStart: 'stopStart',
  reboot: 'reboot',
  tags: 'tags',
  firewall: 'firewall',
  resizeVolume: 'resizeVolume',
  changeInstanceType: 'changeInstanceType',
  images: 'images',
  quota: 'quota',
};

/** Declared capabilities whose group is missing, and present groups that are not declared. */
export function capabilityMismatches(
  declared: readonly Capability[],
  client: CloudClient,
): { missing: Capability[]; undeclared: Capability[] } {
  const missing: Capability[] = [];
  const undeclared: Capability[] = [];
  for (const cap of CAPABILITIES) {
    const present = client[CAPABILITY_GROUP[cap]] !== undefined;
    const isDeclared = declared.includes(cap);
    if (isDeclared && !present) missing.push(cap);
    if (!isDeclared && present) undeclared.push(cap);
  }
  return { missing, undeclared };
}

export type ProviderDefinition<C> = Omit<Provider<C>, 'pollIntervals' | 'maxCreatesPerMinute'> & {
  readonly pollIntervals?: Partial<PollIntervals>;
  readonly maxCreatesPerMinute?: number;
};

/** Fills the implementer-chosen defaults (poll times, create rate) and checks them. */
export function defineProvider<C>(definition: ProviderDefinition<C>): Provider<C> {
  const pollIntervals = { ...DEFAULT_POLL_INTERVALS, ...definition.pollIntervals };
  const maxCreatesPerMinute = definition.maxCreatesPerMinute ?? DEFAULT_MAX_CREATES_PER_MINUTE;
  if (pollIntervals.instanceTypesMs < 1000 || pollIntervals.instancesMs < 500) {
    throw new RangeError(
      `${definition.id}: poll intervals below 1 s (catalog) / 0.5 s (instances)`,
    );
  }
  if (!Number.isInteger(maxCreatesPerMinute) || maxCreatesPerMinute < 1) {
    throw new RangeError(`${definition.id}: maxCreatesPerMinute must be a whole number >= 1`);
  }
  if (!/^[a-z][a-z0-9-]*$/.test(definition.id)) {
    throw new RangeError(`provider id "${definition.id}" must be lowercase letters, digits, "-"`);
  }
  return { ...definition, pollIntervals, maxCreatesPerMinute };
}
