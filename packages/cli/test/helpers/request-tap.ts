import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, request as forward, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP pass-through between control-plane nodes and a cloud (devcloud) that knows which
 * process sent each request. Several `cloudplane serve` processes share one credential, so the
 * cloud cannot tell them apart, and a job lease names its holder by a per-process random id
 * that nothing outside the process can map to a pid. The tap can: a request arrives on a TCP
 * connection whose client end is a socket of exactly one process, and Linux lists every socket
 * (/proc/net/tcp*, by inode) and every process's open sockets (/proc/<pid>/fd). So "the node
 * whose create is hanging at the cloud" is the pid owning the client end of that connection.
 */

const BODY_KEPT = 64 * 1024;

export interface TappedRequest {
  readonly method: string;
  readonly path: string;
  /** The node process that sent it, or null when none of the watched pids owns the socket. */
  readonly pid: number | null;
  readonly startedAt: number;
  /** The request body as sent (its first 64 KiB): a launch's tags name its refId. */
  body: string;
  /** When the cloud's answer began (null while it has not: in flight). */
  answeredAt: number | null;
  /** When the connection closed before the answer ended (the sender died or gave up). */
  abandonedAt: number | null;
}

export interface RequestTap {
  /** Where the nodes should send their requests instead of the cloud. */
  readonly url: string;
  /** Every request so far, oldest first. */
  readonly requests: readonly TappedRequest[];
  /** Requests whose answer has not begun and whose sender is still connected. */
  inFlight(method: string, pathPrefix: string): TappedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a tap in front of `upstream` (an http:// URL). `pids` names the processes a request's
 * sender is looked for among (the nodes, as they are now).
 */
export async function startRequestTap(
  upstream: string,
  pids: () => readonly number[],
): Promise<RequestTap> {
  const target = new URL(upstream);
  const requests: TappedRequest[] = [];
  let tapPort = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const tapped: TappedRequest = {
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      pid: senderPid(incoming, tapPort, pids()),
      startedAt: Date.now(),
      body: '',
      answeredAt: null,
      abandonedAt: null,
    };
    requests.push(tapped);
    const upstreamRequest = forward(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host },
      },
      (answer) => {
        tapped.answeredAt = Date.now();
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstreamRequest.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    // A sender that goes away (kill -9) must not leave the cloud holding a hung request: the
    // cloud's own "hang" faults end when their connection closes.
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) {
        tapped.abandonedAt = Date.now();
        upstreamRequest.destroy();
      }
    });
    incoming.on('data', (chunk: Buffer) => {
      if (tapped.body.length < BODY_KEPT) tapped.body += chunk.toString();
    });
    incoming.pipe(upstreamRequest);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tapPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${String(tapPort)}`,
    requests,
    inFlight: (method, pathPrefix) =>
      requests.filter(
        (r) =>
          r.method === method &&
          r.path.startsWith(pathPrefix) &&
          r.answeredAt === null &&
          r.abandonedAt === null,
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** The pid among `candidates` that owns the client end of `incoming`'s connection. */
function senderPid(
  incoming: IncomingMessage,
  tapPort: number,
  candidates: readonly number[],
): number | null {
  const clientPort = incoming.socket.remotePort;
  if (clientPort === undefined) return null;
  const inode = socketInode(clientPort, tapPort);
  if (inode === null) return null;
  const link = `socket:[${inode}]`;
  for (const pid of candidates) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${String(pid)}/fd`);
    } catch {
      continue; // gone
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${String(pid)}/fd/${fd}`) === link) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}

/**
 * The inode of the established TCP socket whose local port is `localPort` and whose peer port
 * is `peerPort` (the node's end of a connection to the tap), from /proc/net/tcp and tcp6.
 */
function socketInode(localPort: number, peerPort: number): string | null {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const [, local, remote, state, , , , , , inode] = fields;
      if (local === undefined || remote === undefined || inode === undefined) continue;
      if (state !== '01') continue; // ESTABLISHED
      if (portOf(local) === localPort && portOf(remote) === peerPort) return inode;
    }
  }
  return null;
}

function portOf(address: string): number {
  return parseInt(address.slice(address.lastIndexOf(':') + 1), 16);
}
