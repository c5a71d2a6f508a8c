/**
 * Where devcloud's machines live. `virtual` keeps state only (scale tests, the control plane's
 * embedded cloud); `netns` runs each machine as a network namespace with its own sshd (root).
 */
export interface MachineSpec {
  readonly id: string;
  /** The launch's public key: the only key that may log in. */
  readonly publicKey: string;
  readonly sshUser: string;
  /** Boot script or cloud-config given at launch; run at first boot. */
  readonly userData: string | undefined;
}

export interface MachineAddress {
  readonly publicIp: string | null;
  readonly privateIp: string | null;
  readonly sshPort: number;
  readonly sshUser: string;
}

export interface MachineBackend {
  readonly kind: string;
  /** Boots the machine (first boot or after a stop); rejects when the boot fails. */
  start(spec: MachineSpec, firstBoot: boolean): Promise<MachineAddress>;
  /** Stops every process of the machine; its disk state stays. */
  stop(id: string): Promise<void>;
  /** Removes everything the machine had. Idempotent. */
  destroy(id: string): Promise<void>;
  /** Destroys every machine and shared resource (server shutdown). */
  dispose(): Promise<void>;
}

/** State only: machines "boot" instantly, have no processes and no reachable address. */
export class VirtualBackend implements MachineBackend {
  readonly kind = 'virtual';

  start(spec: MachineSpec): Promise<MachineAddress> {
    return Promise.resolve({ publicIp: null, privateIp: null, sshPort: 22, sshUser: spec.sshUser });
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  destroy(): Promise<void> {
    return Promise.resolve();
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }
}
