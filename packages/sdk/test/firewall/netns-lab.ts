import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, cpSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throw-away network lab for the firewall tests: an "instance" namespace and a "client"
 * namespace joined by a veth pair, optionally a Docker-like bridge with a "container"
 * namespace inside the instance. Addresses live only inside namespaces made here.
 */

export function requireRootAndTools(): void {
  if (process.getuid?.() !== 0) {
    throw new Error('firewall integration tests need root (network namespaces and iptables)');
  }
  for (const tool of ['ip', 'iptables', 'iptables-save', 'ufw']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} is missing: apt-get install iproute2 iptables ufw`);
    }
  }
}

export function sh(command: string, input?: string): string {
  return execFileSync('sh', ['-c', command], {
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export const INSTANCE_IP = '10.213.1.1';
export const CLIENT_IP = '10.213.1.2';
export const CLIENT_IP_2 = '10.213.1.3';
export const CONTAINER_IP = '172.17.0.2';

export class NetnsLab {
  readonly id = randomBytes(3).toString('hex');
  readonly instance = `cpfw-i-${this.id}`;
  readonly client = `cpfw-c-${this.id}`;
  readonly container = `cpfw-k-${this.id}`;
  readonly root = mkdtempSync(join(tmpdir(), 'cpfw-root-'));
  private readonly children: ChildProcess[] = [];

  create(): void {
    sh(`ip netns add ${this.instance} && ip netns add ${this.client}`);
    const vi = `vfi${this.id}`;
    const vc = `vfc${this.id}`;
    sh(`ip link add ${vi} type veth peer name ${vc}`);
    sh(`ip link set ${vi} netns ${this.instance} && ip link set ${vc} netns ${this.client}`);
    this.in(
      this.instance,
      `ip addr add ${INSTANCE_IP}/24 dev ${vi} && ip link set ${vi} up && ip link set lo up`,
    );
    this.in(
      this.client,
      `ip addr add ${CLIENT_IP}/24 dev ${vc} && ip addr add ${CLIENT_IP_2}/24 dev ${vc} && ip link set ${vc} up && ip link set lo up`,
    );
    this.privateUfwConfig();
  }

  /** `ip netns exec` bind-mounts /etc/netns/NAME/* over /etc: ufw then writes only our copy. */
  private privateUfwConfig(): void {
    const etc = `/etc/netns/${this.instance}`;
    mkdirSync(join(etc, 'default'), { recursive: true });
    cpSync('/etc/ufw', join(etc, 'ufw'), { recursive: true });
    if (existsSync('/etc/default/ufw')) cpSync('/etc/default/ufw', join(etc, 'default', 'ufw'));
  }

  /** A Docker-like bridge inside the instance: docker0, one container, a published port map. */
  addDockerLikeContainer(publish: Record<number, number>): void {
    const vk = `vfk${this.id}`;
    const vb = `vfb${this.id}`;
    sh(`ip netns add ${this.container}`);
    this.in(
      this.instance,
      'ip link add docker0 type bridge && ip addr add 172.17.0.1/16 dev docker0 && ip link set docker0 up',
    );
    sh(`ip link add ${vb} type veth peer name ${vk}`);
    sh(`ip link set ${vb} netns ${this.instance} && ip link set ${vk} netns ${this.container}`);
    this.in(
      this.instance,
      `ip link set ${vb} master docker0 && ip link set ${vb} up && sysctl -qw net.ipv4.ip_forward=1`,
    );
    this.in(
      this.container,
      `ip addr add ${CONTAINER_IP}/16 dev ${vk} && ip link set ${vk} up && ip link set lo up && ip route add default via 172.17.0.1`,
    );
    // What dockerd sets up: the DOCKER-USER hook first in FORWARD, forwarding for the bridge,
    // masquerade for container egress, and a DNAT per published port.
    const rules = [
      'iptables -N DOCKER-USER',
      'iptables -A DOCKER-USER -j RETURN',
      'iptables -A FORWARD -j DOCKER-USER',
      'iptables -A FORWARD -o docker0 -j ACCEPT',
      'iptables -A FORWARD -i docker0 -j ACCEPT',
      'iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE',
      ...Object.entries(publish).map(
        ([host, inner]) =>
          `iptables -t nat -A PREROUTING -p tcp --dport ${host} -j DNAT --to-destination ${CONTAINER_IP}:${inner}`,
      ),
    ];
    this.in(this.instance, rules.join(' && '));
  }

  in(ns: string, command: string, input?: string): string {
    return sh(`ip netns exec ${ns} sh -c '${command.replace(/'/g, `'\\''`)}'`, input);
  }

  /** Runs the generated script in the instance, as a cloud's boot would (stdin, as root). */
  applyScript(script: string, backend: 'ufw' | 'iptables'): string {
    return sh(
      `ip netns exec ${this.instance} env CLOUDPLANE_ROOT=${this.root} CLOUDPLANE_FIREWALL_BACKEND=${backend} sh -s`,
      script,
    );
  }

  /** Starts TCP (and UDP) listeners in a namespace; resolves when they are bound. */
  async listen(ns: string, tcpPorts: number[], udpPorts: number[] = []): Promise<void> {
    const code = `
      const net = require('node:net'); const dgram = require('node:dgram');
      const tcp = ${JSON.stringify(tcpPorts)}; const udp = ${JSON.stringify(udpPorts)};
      let pending = tcp.length + udp.length;
      const ready = () => { if (--pending === 0) console.log('ready'); };
      for (const p of tcp) net.createServer((s) => { s.end('hello'); }).listen(p, '0.0.0.0', ready);
      for (const p of udp) { const s = dgram.createSocket('udp4'); s.on('message', (m, r) => s.send('pong', r.port, r.address)); s.bind(p, '0.0.0.0', ready); }
      if (pending === 0) console.log('ready');`;
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', code], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) resolve();
      });
      child.once('exit', (c) => {
        reject(new Error(`listener in ${ns} exited with ${c}`));
      });
    });
  }

  /** Tries TCP connections from a namespace; returns 'open' or 'blocked' per target. */
  probe(
    ns: string,
    targets: { host: string; port: number; from?: string; udp?: boolean }[],
  ): string[] {
    const code = `
      const net = require('node:net'); const dgram = require('node:dgram');
      const targets = ${JSON.stringify(targets)};
      const one = (t) => new Promise((resolve) => {
        if (t.udp) {
          const s = dgram.createSocket('udp4');
          const timer = setTimeout(() => { s.close(); resolve('blocked'); }, 1500);
          s.on('message', () => { clearTimeout(timer); s.close(); resolve('open'); });
          s.send('ping', t.port, t.host);
          return;
        }
        const s = net.connect({ host: t.host, port: t.port, localAddress: t.from, timeout: 1500 });
        s.once('data', () => { s.destroy(); resolve('open'); });
        s.once('timeout', () => { s.destroy(); resolve('blocked'); });
        s.once('error', (e) => resolve(e.code === 'ECONNREFUSED' ? 'refused' : 'blocked'));
      });
      (async () => { const out = []; for (const t of targets) out.push(await one(t)); console.log(JSON.stringify(out)); })();`;
    const out = execFileSync('ip', ['netns', 'exec', ns, process.execPath, '-e', code], {
      encoding: 'utf8',
    });
    return JSON.parse(out.trim()) as string[];
  }

  /** iptables-save of a namespace without counters and comments, for idempotency checks. */
  rules(ns: string): string {
    return this.in(ns, 'iptables-save')
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .map((l) => l.replace(/\[\d+:\d+\]/g, '[0:0]'))
      .join('\n');
  }

  destroy(): void {
    for (const child of this.children) child.kill('SIGKILL');
    for (const ns of [this.instance, this.client, this.container]) {
      try {
        sh(
          `ip netns pids ${ns} 2>/dev/null | xargs -r kill -9; ip netns del ${ns} 2>/dev/null || true`,
        );
      } catch {
        // already gone
      }
    }
    rmSync(`/etc/netns/${this.instance}`, { recursive: true, force: true });
    rmSync(this.root, { recursive: true, force: true });
  }

  /** Names this lab created that still exist (namespaces or links), for the cleanup assertion. */
  leftovers(): string[] {
    const namespaces = sh('ip netns list');
    const links = sh('ip -o link show');
    return [
      this.instance,
      this.client,
      this.container,
      `vfi${this.id}`,
      `vfc${this.id}`,
      `vfb${this.id}`,
      `vfk${this.id}`,
    ].filter((name) => namespaces.includes(name) || links.includes(name));
  }
}

export function writeExecutable(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o755 });
}
