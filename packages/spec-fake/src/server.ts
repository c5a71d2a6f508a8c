import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP half of a fake cloud, the same for every cloud (`FakeCloud`). What a cloud answers,
 * how it authenticates and how its errors look stay in the fake that extends it.
 */

/** An answer; a handler may throw one from deep inside to answer early (an error, mostly). */
export class HttpAnswer extends Error {
  constructor(
    readonly status: number,
    /** JSON, or text when a string; no body when undefined. */
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** A fault a test injects on a route; a fake adds what its cloud's error answers carry. */
export interface InjectedFault {
  /** Answer with this status instead of handling the request. Default 500. */
  readonly status?: number;
  /** The answer's Retry-After header. */
  readonly retryAfter?: string;
  /** Handle the request first (so a launch really happens), then answer with the fault. */
  readonly afterHandling?: boolean;
  /** Close the connection without an answer (after handling, when afterHandling is set). */
  readonly drop?: boolean;
  /** How many requests it hits; default 1. */
  readonly times?: number;
}

/** Faults waiting per route (`POST /instances/{id}`), first in first out. */
export class FaultQueue<F extends InjectedFault> {
  private readonly pending = new Map<string, { readonly fault: F; left: number }[]>();

  /** Queues `fault` on `route`; returns its remover. */
  inject(route: string, fault: F): () => void {
    const entry = { fault, left: fault.times ?? 1 };
    const list = this.pending.get(route) ?? [];
    list.push(entry);
    this.pending.set(route, list);
    return () => {
      this.pending.set(
        route,
        (this.pending.get(route) ?? []).filter((f) => f !== entry),
      );
    };
  }

  /** The fault for this request on `route`, if one is queued; counts it against `times`. */
  take(route: string): F | undefined {
    const list = this.pending.get(route);
    const entry = list?.[0];
    if (!list || !entry) return undefined;
    entry.left--;
    if (entry.left <= 0) list.shift();
    return entry.fault;
  }
}

export interface RouteMatch {
  /** `METHOD template`, as listed. */
  readonly route: string;
  readonly template: string;
  /** Path parameters by name, decoded. */
  readonly params: Record<string, string>;
}

/** Matches a method and path against routes such as `GET /instances/{id}`, in order. */
export function routeMatcher(
  routes: readonly string[],
): (method: string, path: string) => RouteMatch | undefined {
  const compiled = routes.map((route) => {
    const [method = '', template = ''] = route.split(' ');
    const names: string[] = [];
    const pattern = new RegExp(
      `^${template.replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), '([^/]+)'))}$`,
    );
    return { route, method, template, names, pattern };
  });
  return (method, path) => {
    for (const candidate of compiled) {
      if (candidate.method !== method) continue;
      const found = candidate.pattern.exec(path);
      if (!found) continue;
      const params = Object.fromEntries(
        candidate.names.map((n, i) => [n, decodeURIComponent(found[i + 1] ?? '')]),
      );
      return { route: candidate.route, template: candidate.template, params };
    }
    return undefined;
  };
}

export interface ReceivedRequest {
  readonly method: string;
  /** The path below the base path; '' for a request outside it. */
  readonly path: string;
  /** Parsed JSON; the text when it is not JSON; undefined when empty. */
  readonly body: unknown;
  readonly headers: IncomingHttpHeaders;
  /** The query string's parameters (list filters, pages). */
  readonly query: URLSearchParams;
}

/**
 * A fake cloud's base: it listens on 127.0.0.1 (from the subclass's `start`), matches requests to
 * its routes, checks authentication, injects faults per route and has every answer checked before
 * it is sent; an answer that fails the check is not sent but recorded as a violation. The subclass
 * answers as its cloud does: routes, authentication, error bodies and the check itself.
 */
export abstract class FakeCloud<F extends InjectedFault> {
  /** Anything that went wrong inside the fake (an answer breaking the spec): tests assert none. */
  readonly violations: Error[] = [];
  private readonly faults = new FaultQueue<F>();
  private readonly server: Server;
  private readonly match: ReturnType<typeof routeMatcher>;

  protected constructor(
    readonly apiKey: string,
    /** The prefix of every route, e.g. `/api/v1`. */
    private readonly basePath: string,
    /** The routes it serves below the base path, e.g. `GET /instances/{id}`. */
    routes: readonly string[],
  ) {
    this.match = routeMatcher(routes);
    this.server = createServer((req, res) => {
      this.serve(req, res).catch((err: unknown) => {
        this.violations.push(err instanceof Error ? err : new Error(String(err)));
        res.socket?.destroy();
      });
    });
  }

  /** The base URL for the credential, base path included, e.g. http://127.0.0.1:41234/v1 */
  get url(): string {
    const address = this.server.address() as AddressInfo | null;
    if (!address) throw new Error('the fake is not listening');
    return `http://127.0.0.1:${address.port}${this.basePath}`;
  }

  get credential(): { apiKey: string; baseUrl: string } {
    return { apiKey: this.apiKey, baseUrl: this.url };
  }

  /** Injects a fault on a route such as `POST /instances/{id}`; returns its remover. */
  inject(route: string, fault: F): () => void {
    return this.faults.inject(route, fault);
  }

  async close(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
  }

  protected async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  /** Every request, first (record it, let the fake's time pass). */
  protected abstract received(request: ReceivedRequest): void;
  protected abstract authorized(request: ReceivedRequest): boolean;
  /** The answer to a path no route matches. */
  protected abstract notFound(): HttpAnswer;
  /** The answer to a request that is not authorized. */
  protected abstract unauthorized(): HttpAnswer;
  /** Handles a matched, authorized request (`route` as listed); may throw an HttpAnswer. */
  protected abstract handle(
    route: string,
    params: Record<string, string>,
    body: unknown,
  ): HttpAnswer;
  /** The body of the answer an injected (not dropped) fault gives. */
  protected abstract faultBody(fault: F): unknown;
  /**
   * Throws when an answer is not one the real API could send (`template` is '' for an
   * unmatched path).
   */
  protected abstract checkAnswer(
    method: string,
    template: string,
    status: number,
    body: unknown,
  ): void;

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const { pathname, searchParams } = new URL(req.url ?? '/', 'http://fake');
    const path = pathname.startsWith(this.basePath) ? pathname.slice(this.basePath.length) : '';
    const body = parseBody(await readBody(req));
    const request: ReceivedRequest = {
      method,
      path,
      body,
      headers: req.headers,
      query: searchParams,
    };
    this.received(request);
    const matched = this.match(method, path);
    if (!matched) {
      this.send(res, method, '', this.notFound());
      return;
    }
    const { route, template, params } = matched;
    if (!this.authorized(request)) {
      this.send(res, method, template, this.unauthorized());
      return;
    }
    const fault = this.faults.take(route);
    if (fault && fault.afterHandling !== true) {
      this.answerFault(res, method, template, fault);
      return;
    }
    let answer: HttpAnswer;
    try {
      answer = this.handle(route, params, body);
    } catch (err) {
      if (err instanceof HttpAnswer) answer = err;
      else throw err;
    }
    if (fault) {
      this.answerFault(res, method, template, fault);
      return;
    }
    this.send(res, method, template, answer);
  }

  private answerFault(res: ServerResponse, method: string, template: string, fault: F): void {
    if (fault.drop === true) {
      res.socket?.destroy();
      return;
    }
    const headers: Record<string, string> =
      fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {};
    this.send(
      res,
      method,
      template,
      new HttpAnswer(fault.status ?? 500, this.faultBody(fault), headers),
    );
  }

  private send(res: ServerResponse, method: string, template: string, answer: HttpAnswer): void {
    this.checkAnswer(method, template, answer.status, answer.body);
    const { body } = answer;
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(answer.status, {
      'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
      'content-length': Buffer.byteLength(text),
      ...answer.headers,
    });
    res.end(text);
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}
