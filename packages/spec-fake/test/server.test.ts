import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  FakeCloud,
  FaultQueue,
  HttpAnswer,
  routeMatcher,
  type InjectedFault,
  type ReceivedRequest,
} from '../src/index.js';

describe('routeMatcher', () => {
  const match = routeMatcher(['GET /items', 'GET /items/{id}', 'POST /items/{id}/tags/{tag}']);

  it('matches method and path, decoding parameters', () => {
    assert.deepEqual(match('GET', '/items/a%20b'), {
      route: 'GET /items/{id}',
      template: '/items/{id}',
      params: { id: 'a b' },
    });
    assert.deepEqual(match('POST', '/items/1/tags/x')?.params, { id: '1', tag: 'x' });
  });

  it('matches nothing for another method, a longer path or a parameter spanning segments', () => {
    assert.equal(match('POST', '/items'), undefined);
    assert.equal(match('GET', '/items/1/more'), undefined);
    assert.equal(match('POST', '/items/1/2/tags/x'), undefined);
  });
});

describe('FaultQueue', () => {
  it('hands out faults per route, first in first out, each `times` times', () => {
    const queue = new FaultQueue<InjectedFault & { readonly name: string }>();
    queue.inject('GET /a', { name: 'one', times: 2 });
    queue.inject('GET /a', { name: 'two' });
    assert.equal(queue.take('GET /b'), undefined);
    assert.deepEqual(
      [queue.take('GET /a'), queue.take('GET /a'), queue.take('GET /a'), queue.take('GET /a')].map(
        (f) => f?.name,
      ),
      ['one', 'one', 'two', undefined],
    );
  });

  it('removes a fault that was never used up', () => {
    const queue = new FaultQueue();
    const remove = queue.inject('GET /a', { times: 5 });
    queue.take('GET /a');
    remove();
    assert.equal(queue.take('GET /a'), undefined);
  });
});

interface Fault extends InjectedFault {
  readonly message?: string;
}

/** A tiny cloud: one counter, bearer auth, error bodies `{ error }`, and a check on answers. */
class CounterFake extends FakeCloud<Fault> {
  readonly requests: ReceivedRequest[] = [];
  count = 0;

  private constructor() {
    super('k', '/v1', ['GET /count', 'POST /count/{by}']);
  }

  static async start(): Promise<CounterFake> {
    const fake = new CounterFake();
    await fake.listen();
    return fake;
  }

  protected received(request: ReceivedRequest): void {
    this.requests.push(request);
  }
  protected authorized(request: ReceivedRequest): boolean {
    return request.headers.authorization === `Bearer ${this.apiKey}`;
  }
  protected notFound(): HttpAnswer {
    return new HttpAnswer(404, { error: 'not found' });
  }
  protected unauthorized(): HttpAnswer {
    return new HttpAnswer(401, { error: 'bad key' });
  }
  protected handle(route: string, params: Record<string, string>): HttpAnswer {
    if (route === 'POST /count/{by}') {
      const by = Number(params.by);
      if (!Number.isInteger(by)) throw new HttpAnswer(400, { error: 'not a number' });
      this.count += by;
    }
    return new HttpAnswer(200, { count: this.count });
  }
  protected faultBody(fault: Fault): unknown {
    return { error: fault.message ?? 'boom' };
  }
  protected checkAnswer(_method: string, _template: string, status: number, body: unknown): void {
    if (status === 200 && (body as { count: number }).count > 100) throw new Error('too many');
  }
}

describe('FakeCloud', () => {
  let fake: CounterFake;
  before(async () => {
    fake = await CounterFake.start();
  });
  after(async () => {
    await fake.close();
  });

  const call = (method: string, path: string, key = fake.apiKey) =>
    fetch(`${fake.url}${path}`, { method, headers: { authorization: `Bearer ${key}` } });

  it('routes below the base path, records requests, answers thrown HttpAnswers', async () => {
    assert.match(fake.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.deepEqual(fake.credential, { apiKey: 'k', baseUrl: fake.url });
    assert.deepEqual(await (await call('POST', '/count/2')).json(), { count: 2 });
    const refused = await call('POST', '/count/x');
    assert.equal(refused.status, 400);
    assert.deepEqual(await refused.json(), { error: 'not a number' });
    assert.equal((await call('GET', '/nope')).status, 404);
    assert.equal((await call('GET', '/count', 'wrong')).status, 401);
    assert.deepEqual(
      fake.requests.slice(-4).map((r) => `${r.method} ${r.path}`),
      ['POST /count/2', 'POST /count/x', 'GET /nope', 'GET /count'],
    );
  });

  it('injects faults before or after handling, with Retry-After, or drops the connection', async () => {
    fake.inject('POST /count/{by}', { status: 429, retryAfter: '3', message: 'slow down' });
    const refused = await call('POST', '/count/1');
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '3');
    assert.deepEqual(await refused.json(), { error: 'slow down' });
    const before = fake.count;
    fake.inject('POST /count/{by}', { afterHandling: true });
    assert.equal((await call('POST', '/count/1')).status, 500);
    assert.equal(fake.count, before + 1, 'handled, then failed');
    fake.inject('GET /count', { drop: true });
    await assert.rejects(call('GET', '/count'));
    assert.equal((await call('GET', '/count')).status, 200, 'a fault hits once by default');
  });

  it('never sends an answer its check refuses: it records a violation instead', async () => {
    await assert.rejects(call('POST', '/count/500'));
    assert.equal(fake.violations.length, 1);
    assert.match(fake.violations[0]?.message ?? '', /too many/);
  });
});
