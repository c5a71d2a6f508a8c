import { spawn } from 'node:child_process';
import { access, readdir, readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { parsePublicKey } from '@cloudplane/sdk';
import { z } from 'zod';

/**
 * How `cloudplane instances ssh` runs the system `ssh`: the instance's user, host and port, one
 * identity, and a known-hosts file of cloudplane's own where a host key is pinned on first contact
 * and a changed one refused.
 */

/** An instance's `ssh` block; the user and host must not be readable as ssh options. */
export const SshEndpoint = z.object({
  user: z.string().regex(/^[A-Za-z0-9._][A-Za-z0-9._-]*$/, 'not a plausible login name'),
  host: z
    .string()
    .regex(/^[A-Za-z0-9.:_[\]%-]+$/, 'not a host name or address')
    .refine((host) => !host.startsWith('-'), 'a host cannot start with "-"'),
  port: z.number().int().min(1).max(65535),
});
export type SshEndpoint = z.infer<typeof SshEndpoint>;

export interface SshInvocation {
  readonly endpoint: SshEndpoint;
  /** The private key file. */
  readonly identity: string;
  /** cloudplane's known-hosts file (`<state dir>/known_hosts`). */
  readonly knownHosts: string;
  /** More ssh options and/or the remote command, after the destination. */
  readonly extra?: readonly string[];
}

/** The arguments of `ssh` (without the program name). */
export function sshArgs(invocation: SshInvocation): string[] {
  const { endpoint, identity, knownHosts, extra = [] } = invocation;
  return [
    '-p',
    String(endpoint.port),
    '-i',
    identity,
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-o',
    'StrictHostKeyChecking=accept-new',
    '-o',
    'IdentitiesOnly=yes',
    `${endpoint.user}@${endpoint.host}`,
    ...extra,
  ];
}

export function knownHostsFile(stateDir: string): string {
  return join(stateDir, 'known_hosts');
}

/**
 * The private key file in `sshDir` whose public half (`<file>.pub`) has one of `fingerprints`
 * (`SHA256:...`), or null. Files that do not parse as public keys are skipped.
 */
export async function findIdentity(
  sshDir: string,
  fingerprints: ReadonlySet<string>,
): Promise<string | null> {
  let names: string[];
  try {
    names = await readdir(sshDir);
  } catch {
    return null;
  }
  for (const name of names.filter((n) => n.endsWith('.pub')).sort()) {
    const publicPath = join(sshDir, name);
    let fingerprint: string;
    try {
      const line = (await readFile(publicPath, 'utf8')).split('\n')[0] ?? '';
      fingerprint = parsePublicKey(line).fingerprint;
    } catch {
      continue;
    }
    if (!fingerprints.has(fingerprint)) continue;
    const privatePath = publicPath.slice(0, -'.pub'.length);
    try {
      await access(privatePath);
      return privatePath;
    } catch {
      continue;
    }
  }
  return null;
}

/** Runs `ssh` with the terminal; resolves with its exit code (128 + n when killed by signal n). */
export function runSsh(args: readonly string[], program = 'ssh'): Promise<number> {
  // Ctrl-C reaches ssh (same terminal, same process group); it decides, and we report its code.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  return new Promise<number>((done, fail) => {
    const child = spawn(program, args, { stdio: 'inherit' });
    child.once('error', (err: NodeJS.ErrnoException) => {
      fail(
        err.code === 'ENOENT'
          ? new Error(`${program} is not installed (Debian: apt-get install openssh-client)`)
          : err,
      );
    });
    child.once('exit', (code, signal) => {
      done(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
    });
  }).finally(() => {
    process.off('SIGINT', ignore);
  });
}
