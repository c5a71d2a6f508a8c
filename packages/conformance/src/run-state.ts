import type {
  CloudClient,
  Instance,
  InstanceType,
  Location,
  Provider,
  SshKeyPair,
} from '@cloudplane/sdk';
import type { Cleanup } from './cleanup.js';
import type { ConformanceOptions, Timeouts } from './options.js';

/** What the checks share as the run goes: the client, what the catalog said, the instance. */
export interface RunState {
  readonly options: ConformanceOptions;
  readonly provider: Provider;
  readonly timeouts: Timeouts;
  readonly runId: string;
  readonly cleanup: Cleanup;
  readonly facts: Record<string, string>;
  credential?: unknown;
  client?: CloudClient;
  locations?: Location[];
  types?: InstanceType[];
  chosen?: InstanceType;
  keys?: SshKeyPair;
  refId?: string;
  created?: Instance;
  /** A port the instance's firewall allows, and one it does not. */
  readonly allowedPort: number;
  readonly blockedPort: number;
}
