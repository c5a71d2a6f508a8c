import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Probes } from '@cloudplane/conformance';

/**
 * The probes of a fake, reachable from another process: `cloudplane conformance` takes probes
 * as shell commands (`--probe-capacity-error CMD`), run with CLOUDPLANE_PROBE=provoke before the
 * check and =restore after it. This serves a fake's probes on 127.0.0.1 and names the command
 * (bin/fake-probe.mjs) that calls them, so a fake started by a script can be tested with the CLI.
 */

export type ProbeName = keyof Probes;
type Probe = NonNullable<Probes[ProbeName]>;

/** The CLI flag of each probe. */
export const PROBE_FLAGS: Readonly<Record<ProbeName, string>> = {
  provokeCapacityError: '--probe-capacity-error',
  failListPage: '--probe-fail-list-page',
};

const PROBE_CLI = fileURLToPath(new URL('../bin/fake-probe.mjs', import.meta.url));

export interface ProbeServer {
  readonly url: string;
  /** The shell command for a probe's CLI flag (its parts quoted for /bin/sh where needed). */
  command(name: ProbeName): string;
  /** `['--probe-...', command, ...]` for every probe the fake offers, as arguments. */
  flags(): string[];
  /** The same flags as one line to paste into a shell. */
  shellFlags(): string;
  close(): Promise<void>;
}

/** Quotes `text` for /bin/sh unless it is made only of characters the shell leaves alone. */
export const shellQuote = (text: string) =>
  /^[\w./:@=-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;

export async function serveProbes(probes: Probes): Promise<ProbeServer> {
  const undo = new Map<string, () => Promise<void>>();
  const answer = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(text);
  };
  const act = async (name: ProbeName, probe: Probe, action: string): Promise<string> => {
    if (action === 'provoke') {
      await undo.get(name)?.();
      undo.set(name, await probe());
      return `${name} provoked`;
    }
    if (action === 'restore') {
      await undo.get(name)?.();
      undo.delete(name);
      return `${name} restored`;
    }
    throw new Error(`unknown action ${action}: provoke or restore`);
  };
  const server: Server = createServer((req, res) => {
    const [, prefix, name = '', action = ''] = (req.url ?? '').split('/');
    const known = prefix === 'probes' && Object.hasOwn(probes, name);
    const probe = known ? probes[name as ProbeName] : undefined;
    if (req.method !== 'POST' || !probe) {
      answer(res, 404, `no probe ${name}`);
      return;
    }
    act(name as ProbeName, probe, action).then(
      (said) => {
        answer(res, 200, said);
      },
      (err: unknown) => {
        answer(res, 500, err instanceof Error ? err.message : String(err));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/probes`;
  const command = (name: ProbeName) =>
    [process.execPath, PROBE_CLI, `${url}/${name}`].map(shellQuote).join(' ');
  const offered = (Object.keys(PROBE_FLAGS) as ProbeName[]).filter((n) => probes[n] !== undefined);
  return {
    url,
    command,
    flags: () => offered.flatMap((name) => [PROBE_FLAGS[name], command(name)]),
    shellFlags: () =>
      offered.map((name) => `${PROBE_FLAGS[name]} ${shellQuote(command(name))}`).join(' '),
    close: async () => {
      for (const restore of undo.values()) await restore();
      server.closeAllConnections();
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}
