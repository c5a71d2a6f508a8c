import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isCloudError, silentLogger } from '@cloudplane/sdk';
import { z } from 'zod';
import { AnswerMemo, ProviderHttp, type RawResult } from '../src/index.js';

const Page = z.looseObject({ items: z.array(z.looseObject({ id: z.string() })) });
type Page = z.infer<typeof Page>;

/** An HTTP layer that answers each call with the next body of `bodies`, through `memo`. */
function pagesFrom(bodies: string[], memo: AnswerMemo<Page>, key = 'page 1') {
  return answersFrom(Page, bodies, memo, key);
}

function answersFrom<T>(schema: z.ZodType<T>, bodies: string[], memo: AnswerMemo<T>, key: string) {
  const http = new ProviderHttp({
    providerId: 'acme',
    displayName: 'Acme',
    logger: silentLogger,
    retry: { attempts: 1, minDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 },
    timeoutMs: 10_000,
  });
  let sent = 0;
  return () =>
    http.call({
      operation: 'list items',
      schema,
      replay: 'never',
      memo: { store: memo, key },
      send: (): Promise<RawResult> => {
        const body = bodies[sent++] ?? '';
        return Promise.resolve({ response: new Response(body, { status: 200 }), data: body });
      },
    });
}

describe('AnswerMemo through ProviderHttp', () => {
  it('returns the very value of last time for a body that came back byte for byte', async () => {
    const body = JSON.stringify({ items: [{ id: 'a' }, { id: 'b' }] });
    const call = pagesFrom([body, body], new AnswerMemo(4));
    const first = await call();
    const second = await call();
    assert.equal(second, first, 'an identical body must not be parsed into a new value');
    assert.deepEqual(second.items, [{ id: 'a' }, { id: 'b' }]);
  });

  it('parses a body that changed, even by one byte', async () => {
    const before = JSON.stringify({ items: [{ id: 'a' }] });
    const after = JSON.stringify({ items: [{ id: 'b' }] });
    const call = pagesFrom([before, after, after], new AnswerMemo(4));
    const first = await call();
    const second = await call();
    assert.notEqual(second, first);
    assert.deepEqual(second.items, [{ id: 'b' }]);
    assert.equal(await call(), second);
  });

  it('hands back last time’s objects for the items of a changed body that did not change', async () => {
    const before = JSON.stringify({ items: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] });
    const after = JSON.stringify({ items: [{ id: 'a' }, { id: 'B' }, { id: 'c' }] });
    const call = pagesFrom([before, after], new AnswerMemo(4));
    const first = await call();
    const second = await call();
    assert.deepEqual(second.items, [{ id: 'a' }, { id: 'B' }, { id: 'c' }]);
    assert.equal(second.items[0], first.items[0]);
    assert.equal(second.items[2], first.items[2]);
    assert.notEqual(second.items[1], first.items[1]);
  });

  it('still refuses a bad body after a good one, and keeps nothing for it', async () => {
    const good = JSON.stringify({ items: [{ id: 'a' }] });
    const bad = JSON.stringify({ items: [{ id: 7 }] });
    const memo = new AnswerMemo<Page>(4);
    const call = pagesFrom([good, bad, bad, good], memo);
    const first = await call();
    for (let i = 0; i < 2; i++) {
      await assert.rejects(call(), (err: unknown) => {
        assert.ok(isCloudError(err, 'INTERNAL'), String(err));
        assert.match((err as Error).message, /items\.0\.id/);
        return true;
      });
    }
    const again = await call();
    assert.notEqual(again, first, 'the good page was parsed afresh after the bad one');
    assert.deepEqual(again, first);
  });

  it('keeps answers per key, and drops the key used longest ago past its bound', async () => {
    const memo = new AnswerMemo<Page>(2);
    const body = JSON.stringify({ items: [] });
    const a = await pagesFrom([body], memo, 'a')();
    await pagesFrom([body], memo, 'b')();
    assert.equal(await pagesFrom([body], memo, 'a')(), a, 'a is kept, and now the latest used');
    await pagesFrom([body], memo, 'c')();
    assert.equal(memo.size, 2);
    assert.equal(await pagesFrom([body], memo, 'a')(), a, 'b went, not a');
    const b = await pagesFrom([body], memo, 'b')();
    assert.notEqual(b, a);
  });

  it('with `list`, checks only the items that differ from last time’s', async () => {
    let checked = 0;
    const Counted = z.looseObject({
      items: z.array(
        z.looseObject({ id: z.string() }).check(() => {
          checked++;
        }),
      ),
      next: z.string().nullable(),
    });
    const memo = new AnswerMemo<z.infer<typeof Counted>>(4, { list: 'items' });
    const good = { items: [{ id: 'a' }, { id: 'B' }, { id: 'c' }, { id: 'd' }], next: 'y' };
    const bodies = [
      { items: [{ id: 'a' }, { id: 'b' }, { id: 'c' }], next: 'x' },
      good,
      { ...good, next: 5 },
      good,
      { ...good, items: [{ id: 'a' }, { id: 'B' }, { id: 7 }, { id: 'd' }] },
    ].map((body) => JSON.stringify(body));
    const call = answersFrom(Counted, bodies, memo, 'page 1');
    const first = await call();
    assert.equal(checked, 3);
    const second = await call();
    assert.equal(checked, 5, 'only the changed item and the new one were checked');
    assert.deepEqual(second, {
      items: [{ id: 'a' }, { id: 'B' }, { id: 'c' }, { id: 'd' }],
      next: 'y',
    });
    assert.equal(second.items[0], first.items[0]);
    assert.equal(second.items[2], first.items[2]);
    // Every item as last time, but the page's other field is wrong: still refused.
    await assert.rejects(call(), /\(next: /);
    assert.deepEqual(await call(), second);
    // The only item checked is the third: the error still names its place in the page.
    await assert.rejects(call(), /\(items\.2\.id: /);
  });

  it('refuses a bound that is not a positive integer', () => {
    assert.throws(() => new AnswerMemo(0), /maxKeys must be a positive integer, got 0/);
  });
});
