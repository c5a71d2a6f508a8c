import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSshKeyPair } from '@cloudplane/sdk';
import type { MachineAddress, MachineBackend, MachineSpec } from '../backend.js';
import { available, run } from './shell.js';

/**
 * Real machines for devcloud (root only): each instance is a network namespace on a bridge,
 * with its own address, an sshd that accepts exactly the launch's public key, and the launch's
 * boot script run inside it, so a firewall script really firewalls. Stop kills the machine's
 * processes (the namespace, its iptables rules and its files stay, like a stopped VM's disk);
 * start brings sshd back; destroy removes everything.
 */

export interface NetnsBackendOptions {
  /** The /24 the machines live in, as its first three octets; default a random free 10.214.x. */
  readonly subnet?: string;
  /** The SSH user the machines report; root, because it exists on every host. */
  readonly sshUser?: string;
}

interface Machine {
  readonly id: string;
  readonly ns: string;
  readonly hostVeth: string;
  readonly ip: string;
  readonly dir: string;
  sshd: ChildProcess | undefined;
}

const SSHD = '/usr/sbin/sshd';

export async function createNetnsBackend(options: NetnsBackendOptions = {}): Promise<NetnsBackend> {
  if (process.getuid?.() !== 0) {
    throw new Error('the netns backend needs root (network namespaces, veth pairs, iptables)');
  }
  for (const tool of ['ip', SSHD, 'iptables']) {
    if (!(await available(tool))) {
      throw new Error(
        `the netns backend needs ${tool}: apt-get install iproute2 openssh-server iptables`,
      );
    }
  }
  const backend = new NetnsBackend({ ...options, subnet: options.subnet ?? (await freeSubnet()) });
  await backend.init();
  return backend;
}

/**
 * A 10.214.x/24 no interface on this host has an address in. Two bridges with the same subnet
 * (another devcloud's, or one a killed process left behind) would send a machine's traffic to
 * the wrong namespace.
 */
async function freeSubnet(): Promise<string> {
  const used = new Set(
    [...(await run('ip', ['-o', '-4', 'addr', 'show'])).matchAll(/inet 10\.214\.(\d+)\./g)].map(
      (m) => Number(m[1]),
    ),
  );
  const free = Array.from({ length: 250 }, (_, i) => i + 1).filter((x) => !used.has(x));
  const pick = free[Math.floor(Math.random() * free.length)];
  if (pick === undefined) {
    throw new Error(
      'no free 10.214.x/24 left for devcloud machines: remove leftover bridges (ip -br link show type bridge | grep cpdc; ip link del <name>)',
    );
  }
  return `10.214.${String(pick)}`;
}

export class NetnsBackend implements MachineBackend {
  readonly kind = 'netns';
  private readonly tag = randomBytes(2).toString('hex');
  readonly bridge = `cpdc${this.tag}`;
  readonly subnet: string;
  private readonly sshUser: string;
  private readonly machines = new Map<string, Machine>();
  private readonly leases = new Set<number>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private counter = 0;

  constructor(options: NetnsBackendOptions) {
    this.subnet = options.subnet ?? `10.214.${Math.floor(Math.random() * 250) + 1}`;
    this.sshUser = options.sshUser ?? 'root';
  }

  get gateway(): string {
    return `${this.subnet}.1`;
  }

  async init(): Promise<void> {
    await run('ip', ['link', 'add', this.bridge, 'type', 'bridge']);
    await run('ip', ['addr', 'add', `${this.gateway}/24`, 'dev', this.bridge]);
    await run('ip', ['link', 'set', this.bridge, 'up']);
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  }

  /** Operations on one machine run one at a time. */
  private serial<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(id) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.queues.set(
      id,
      next.catch(() => undefined),
    );
    return next;
  }

  start(spec: MachineSpec, firstBoot: boolean): Promise<MachineAddress> {
    return this.serial(spec.id, async () => {
      const machine = this.machines.get(spec.id) ?? (await this.create(spec));
      if (firstBoot && spec.userData !== undefined)
        await this.runBootScript(machine, spec.userData);
      await this.startSshd(machine);
      return { publicIp: machine.ip, privateIp: machine.ip, sshPort: 22, sshUser: this.sshUser };
    });
  }

  private lease(): number {
    for (let host = 2; host < 255; host++) {
      if (!this.leases.has(host)) {
        this.leases.add(host);
        return host;
      }
    }
    throw new Error(`no free address left in ${this.subnet}.0/24`);
  }

  private async create(spec: MachineSpec): Promise<Machine> {
    const n = ++this.counter;
    const host = this.lease();
    const machine: Machine = {
      id: spec.id,
      ns: `cpdc-${this.tag}-${n}`,
      hostVeth: `vh${this.tag}${n}`,
      ip: `${this.subnet}.${host}`,
      dir: mkdtempSync(join(tmpdir(), `cpdc-${this.tag}-${n}-`)),
      sshd: undefined,
    };
    this.machines.set(spec.id, machine);
    const inner = `vi${this.tag}${n}`;
    await run('ip', ['netns', 'add', machine.ns]);
    await run('ip', ['link', 'add', machine.hostVeth, 'type', 'veth', 'peer', 'name', inner]);
    await run('ip', ['link', 'set', machine.hostVeth, 'master', this.bridge]);
    await run('ip', ['link', 'set', machine.hostVeth, 'up']);
    await run('ip', ['link', 'set', inner, 'netns', machine.ns]);
    await this.inNs(machine, ['ip', 'link', 'set', 'lo', 'up']);
    await this.inNs(machine, ['ip', 'link', 'set', inner, 'name', 'eth0']);
    await this.inNs(machine, ['ip', 'addr', 'add', `${machine.ip}/24`, 'dev', 'eth0']);
    await this.inNs(machine, ['ip', 'link', 'set', 'eth0', 'up']);
    await this.inNs(machine, ['ip', 'route', 'add', 'default', 'via', this.gateway]);
    this.privateEtc(machine);
    this.writeSshdFiles(machine, spec.publicKey);
    return machine;
  }

  /** `ip netns exec` bind-mounts /etc/netns/NS/* over /etc/*: ufw then changes only this copy. */
  private privateEtc(machine: Machine): void {
    const etc = `/etc/netns/${machine.ns}`;
    mkdirSync(join(etc, 'default'), { recursive: true });
    if (existsSync('/etc/ufw')) cpSync('/etc/ufw', join(etc, 'ufw'), { recursive: true });
    if (existsSync('/etc/default/ufw')) cpSync('/etc/default/ufw', join(etc, 'default', 'ufw'));
  }

  private writeSshdFiles(machine: Machine, publicKey: string): void {
    const hostKey = generateSshKeyPair(`devcloud-${machine.id}`);
    writeFileSync(join(machine.dir, 'host_ed25519'), hostKey.privateKey, { mode: 0o600 });
    writeFileSync(join(machine.dir, 'authorized_keys'), `${publicKey}\n`, { mode: 0o600 });
    writeFileSync(
      join(machine.dir, 'sshd_config'),
      [
        `ListenAddress ${machine.ip}`,
        'Port 22',
        `HostKey ${join(machine.dir, 'host_ed25519')}`,
        `AuthorizedKeysFile ${join(machine.dir, 'authorized_keys')}`,
        `PidFile ${join(machine.dir, 'sshd.pid')}`,
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        'PermitRootLogin prohibit-password',
        `AllowUsers ${this.sshUser}`,
        'UsePAM no',
        // The key files live in a temp dir whose parents sshd's ownership check would refuse.
        'StrictModes no',
        '',
      ].join('\n'),
    );
  }

  private inNs(machine: Machine, command: string[], input?: string): Promise<string> {
    return run('ip', ['netns', 'exec', machine.ns, ...command], input);
  }

  /** Runs the launch's user data as the machine's first boot would; a failure fails the boot. */
  private async runBootScript(machine: Machine, userData: string): Promise<void> {
    if (!userData.startsWith('#!')) {
      throw new Error(
        'the netns backend runs user data that is a script ("#!..."); cloud-config is not supported',
      );
    }
    const root = join(machine.dir, 'root');
    mkdirSync(root, { recursive: true });
    const output = await this.inNs(
      machine,
      ['env', `CLOUDPLANE_ROOT=${root}`, 'sh', '-s'],
      userData,
    );
    writeFileSync(join(machine.dir, 'boot.log'), output);
  }

  private async startSshd(machine: Machine): Promise<void> {
    if (machine.sshd && machine.sshd.exitCode === null) return;
    const child = spawn(
      'ip',
      ['netns', 'exec', machine.ns, SSHD, '-D', '-e', '-f', join(machine.dir, 'sshd_config')],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    machine.sshd = child;
    const deadline = Date.now() + 15_000;
    while (!(await listening(machine.ip, 22))) {
      if (child.exitCode !== null) throw new Error(`sshd exited at boot: ${stderr.trim()}`);
      if (Date.now() > deadline)
        throw new Error(`sshd did not listen on ${machine.ip}:22 within 15 s: ${stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async killAll(machine: Machine): Promise<void> {
    const pids = (await run('ip', ['netns', 'pids', machine.ns]).catch(() => ''))
      .split('\n')
      .map((p) => Number(p.trim()))
      .filter((p) => Number.isInteger(p) && p > 0);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    machine.sshd = undefined;
  }

  stop(id: string): Promise<void> {
    return this.serial(id, async () => {
      const machine = this.machines.get(id);
      if (machine) await this.killAll(machine);
    });
  }

  destroy(id: string): Promise<void> {
    return this.serial(id, async () => {
      const machine = this.machines.get(id);
      if (!machine) return;
      await this.killAll(machine);
      await run('ip', ['netns', 'del', machine.ns]).catch(() => undefined);
      await run('ip', ['link', 'del', machine.hostVeth]).catch(() => undefined);
      rmSync(`/etc/netns/${machine.ns}`, { recursive: true, force: true });
      rmSync(machine.dir, { recursive: true, force: true });
      this.leases.delete(Number(machine.ip.split('.').pop()));
      this.machines.delete(id);
    });
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.machines.keys()].map((id) => this.destroy(id)));
    await run('ip', ['link', 'del', this.bridge]).catch(() => undefined);
  }

  /** Namespaces, links and processes this backend created that still exist (leak checks). */
  async leftovers(): Promise<string[]> {
    const namespaces = await run('ip', ['netns', 'list']);
    const links = await run('ip', ['-o', 'link', 'show']);
    const processes = await run('ps', ['-eo', 'pid,args']);
    return [...namespaces.split('\n'), ...links.split('\n'), ...processes.split('\n')]
      .filter(
        (line) =>
          line.includes(`cpdc-${this.tag}`) ||
          line.includes(`vh${this.tag}`) ||
          line.includes(this.bridge),
      )
      .map((line) => line.trim());
  }
}

function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 500 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
