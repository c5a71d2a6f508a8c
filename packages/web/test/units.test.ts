import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseParser } from '../src/api/sse.js';
import { toApiError } from '../src/api/client.js';
import { feedTail } from '../src/lib/feed-tail.js';
import { NO_FILTERS, toQuery } from '../src/lib/filters.js';
import { byPricePerGpu, money, perGpu, sshCommand } from '../src/lib/format.js';
import { toRule } from '../src/lib/firewall.js';

describe('SSE parser', () => {
  it('reads messages split anywhere, with comments, ids and CRLF', () => {
    const text =
      ': hello\n\nevent: instance\nid: 7\ndata: {"a":1}\n\r\nevent: instance\r\nid: 8\r\ndata: x\r\ndata: y\r\n\r\n';
    for (const size of [1, 3, 7, text.length]) {
      const parser = new SseParser();
      const got = [];
      for (let i = 0; i < text.length; i += size) got.push(...parser.push(text.slice(i, i + size)));
      assert.deepEqual(got, [
        { event: 'instance', id: '7', data: '{"a":1}' },
        { event: 'instance', id: '8', data: 'x\ny' },
      ]);
    }
  });
});

describe('format', () => {
  const offer = (perHour: string, count: number) => ({
    price: { perHour, currency: 'USD' },
    gpu: { count },
  });
  it('sorts a page by price per GPU, keeping ties in order', () => {
    const page = [offer('8', 8), offer('2', 1), offer('3', 4), offer('1', 1)];
    assert.deepEqual(
      byPricePerGpu(page).map((o) => perGpu(o)),
      [0.75, 1, 1, 2],
    );
    assert.equal(byPricePerGpu(page)[1], page[0]);
  });
  it('prints money and the SSH command', () => {
    assert.equal(money('2.49', 'USD'), '2.49 USD');
    assert.equal(money('0.4183', 'USD'), '0.418 USD');
    assert.equal(
      sshCommand({ user: 'ubuntu', host: '10.0.0.5', port: 2222 }),
      'ssh -p 2222 ubuntu@10.0.0.5',
    );
  });
});

describe('filters', () => {
  it('sends only what is filled in and readable', () => {
    assert.deepEqual(toQuery(NO_FILTERS, 50), { limit: 50, available: 'true' });
    assert.deepEqual(
      toQuery(
        {
          gpu: ' H100 ',
          minGpuCount: '8',
          minGpuMemoryGiB: 'x',
          region: 'us-east-1',
          provider: '',
          maxPrice: '2.5',
          availability: 'any',
        },
        50,
        'c1',
      ),
      {
        limit: 50,
        gpu: 'H100',
        minGpuCount: 8,
        region: 'us-east-1',
        maxPrice: '2.5',
        cursor: 'c1',
      },
    );
    assert.equal(toQuery({ ...NO_FILTERS, maxPrice: '2.5.1' }, 10).maxPrice, undefined);
  });
});

describe('firewall rule drafts', () => {
  it('reads ports and CIDRs, and says what is wrong', () => {
    assert.deepEqual(
      toRule({ protocol: 'tcp', ports: '8000-8100', cidrs: '10.0.0.0/8, 1.2.3.4/32' }),
      {
        protocol: 'tcp',
        fromPort: 8000,
        toPort: 8100,
        cidrs: ['10.0.0.0/8', '1.2.3.4/32'],
      },
    );
    assert.match(
      toRule({ protocol: 'udp', ports: 'web', cidrs: '0.0.0.0/0' }) as string,
      /not a port/,
    );
    assert.match(toRule({ protocol: 'udp', ports: '53', cidrs: ' ' }) as string, /CIDR/);
  });
});

describe('API errors', () => {
  it("keep the server's message and details", () => {
    const err = toApiError(
      {
        error: {
          code: 'request/invalid',
          message: 'the request body is not valid',
          details: [{ path: 'name', message: 'too long' }],
        },
      },
      400,
    );
    assert.equal(err.code, 'request/invalid');
    assert.equal(err.message, 'the request body is not valid (name: too long)');
    assert.equal(toApiError('oops', 502).message, 'the server answered HTTP 502');
  });
});

describe('feedTail', () => {
  it('finds the newest entries in O(log n) reads', async () => {
    for (const total of [0, 1, 2, 5, 100, 1000, 100_000]) {
      const ids = Array.from({ length: total }, (_, i) => ({ id: i + 1 }));
      let reads = 0;
      const tail = await feedTail((after, limit) => {
        reads++;
        const changes = ids.filter((c) => c.id > after).slice(0, limit);
        return Promise.resolve({ changes, last: changes.at(-1)?.id ?? after });
      }, 3);
      assert.deepEqual(
        tail.map((c) => c.id),
        ids
          .slice(-3)
          .reverse()
          .map((c) => c.id),
        `total ${String(total)}`,
      );
      assert.ok(
        reads <= 2 * Math.log2(total + 2) + 3,
        `${String(reads)} reads for ${String(total)}`,
      );
    }
  });
});
