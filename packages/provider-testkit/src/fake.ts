import assert from 'node:assert/strict';
import {
  FakeCloud,
  loadOpenApiSpec,
  type InjectedFault,
  type OpenApiSpec,
  type ReceivedRequest,
} from '@cloudplane/spec-fake';

/**
 * The part of a stateful fake cloud that is the same for every adapter: the cloud's published
 * spec loaded once, every answer checked against it before it leaves (a broken answer is not
 * sent but recorded in `violations`), request bodies checked against the spec's request schemas,
 * and every request recorded for tests to count. A fake extends `SpecCheckedFake` and keeps only
 * what is its cloud's own: routes, state, authentication and error bodies.
 */

/** A request as the fake saw it, for tests that count or inspect requests. */
export interface RecordedRequest {
  readonly method: string;
  /** The path below the fake's base path, e.g. `/instances/abc`. */
  readonly path: string;
  readonly body: unknown;
  readonly headers: ReceivedRequest['headers'];
  /** When it arrived (Date.now()). */
  readonly at: number;
}

/** Where the spec is and how the fake checks its answers against it. */
export interface SpecCheck {
  /** The loaded spec (see `loadSpec`), shared by every fake of the cloud. */
  readonly spec: OpenApiSpec;
  /**
   * A component schema every error answer must fit when the operation does not declare the
   * status (the cloud's edge answers 429 and 5xx anyway). Leave it out when the spec names none.
   */
  readonly errorSchema?: string;
  /**
   * Check answers without a body too (default). Turn it off for a spec that declares a JSON body
   * on answers the real API sends empty (Lambda's DELETE).
   */
  readonly checkEmptyBodies?: boolean;
}

/** Loads a spec file once per process (fakes are started many times). */
const loaded = new Map<string, OpenApiSpec>();
export function loadSpec(path: string | URL): OpenApiSpec {
  const key = String(path);
  let spec = loaded.get(key);
  if (!spec) {
    spec = loadOpenApiSpec(path);
    loaded.set(key, spec);
  }
  return spec;
}

export abstract class SpecCheckedFake<F extends InjectedFault> extends FakeCloud<F> {
  readonly requests: RecordedRequest[] = [];
  readonly spec: OpenApiSpec;
  private readonly errorSchema: string | undefined;
  private readonly checkEmptyBodies: boolean;

  protected constructor(
    apiKey: string,
    basePath: string,
    routes: readonly string[],
    check: SpecCheck,
  ) {
    super(apiKey, basePath, routes);
    this.spec = check.spec;
    this.errorSchema = check.errorSchema;
    this.checkEmptyBodies = check.checkEmptyBodies ?? true;
  }

  /** How many requests the fake saw for a route such as `POST /instances` (path, not template). */
  countRequests(route: string): number {
    return this.requests.filter((r) => `${r.method} ${r.path}` === route).length;
  }

  /** Problems with a request body per the spec's component schema (empty when it is valid). */
  requestProblems(schemaName: string, body: unknown): string[] {
    return this.spec.schemaProblems(schemaName, body);
  }

  /** Called for every request after it is recorded: let the fake's time pass here. */
  protected tick(): void {}

  protected received(request: ReceivedRequest): void {
    this.requests.push({
      method: request.method,
      path: request.path,
      body: request.body,
      headers: request.headers,
      at: Date.now(),
    });
    this.tick();
  }

  /** Every answer is checked against the spec (but see `checkEmptyBodies`). */
  protected checkAnswer(method: string, template: string, status: number, body: unknown): void {
    if (body === undefined && !this.checkEmptyBodies) return;
    this.spec.assertAnswer(
      method,
      template,
      status,
      body,
      this.errorSchema !== undefined ? { errorSchema: this.errorSchema } : {},
    );
  }
}

/**
 * Empties every region of every offer (`capacity` maps a region to what is left); returns a
 * function that puts it back. Fakes use it for the conformance capacity probe.
 */
export function exhaustCapacity(
  offers: readonly { readonly capacity: Record<string, number> }[],
): () => void {
  const saved = offers.map((o) => ({ ...o.capacity }));
  for (const offer of offers) {
    for (const region of Object.keys(offer.capacity)) offer.capacity[region] = 0;
  }
  return () => {
    offers.forEach((offer, i) => Object.assign(offer.capacity, saved[i]));
  };
}

/** Anything that records spec violations and can be closed: every fake. */
export interface Closable {
  readonly violations: readonly Error[];
  close(): Promise<void>;
}

/** Closes a fake and fails when it recorded a violation (an answer the real API could not send). */
export async function closeChecked(fake: Closable): Promise<void> {
  await fake.close();
  assert.deepEqual(
    fake.violations.map((v) => v.message),
    [],
    'the fake broke the spec (see the messages above)',
  );
}

type Hook = (fn: () => Promise<void>) => void;

/**
 * A fake for one describe block: started in `before`, closed in `after`, where it must have
 * recorded no violation. Call at describe level; read the fake with the returned function
 * inside tests (`const fake = useFake({ before, after }, () => MyFake.start())`).
 */
export function useFake<T extends Closable>(
  hooks: { readonly before: Hook; readonly after: Hook },
  start: () => Promise<T>,
  started?: (fake: T) => void,
): () => T {
  let fake: T | undefined;
  hooks.before(async () => {
    fake = await start();
    started?.(fake);
  });
  hooks.after(async () => {
    if (fake) await closeChecked(fake);
  });
  return () => {
    if (!fake) throw new Error('the fake is not started (call useFake at describe level)');
    return fake;
  };
}

/** Runs `body` against a fake of its own, then closes it: it must have recorded no violation. */
export async function withFake<T extends Closable, R>(
  start: () => Promise<T>,
  body: (fake: T) => Promise<R>,
): Promise<R> {
  const fake = await start();
  let result: R;
  try {
    result = await body(fake);
  } catch (err) {
    await fake.close();
    throw err;
  }
  await closeChecked(fake);
  return result;
}
