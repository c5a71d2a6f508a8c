import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseParser } from '../src/api/sse.js';
import { toApiError } from '../src/api/client.js';
import { feedTail } from '../src/lib/feed-tail.js';
import {
  DEFAULT_VIEW,
  NO_FILTERS,
  searchOf,
  toQuery,
  viewFromSearch,
  type CatalogView,
} from '../src/lib/filters.js';
import { money, perGpu, sshCommand } from '../src/lib/format.js';
import { toRule } from '../src/lib/firewall.js';
import { cellText, rateMeasures, timeMeasures } from '../src/lib/scorecard.js';

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
  it('prices per GPU, or whole when there is no GPU', () => {
    assert.equal(perGpu(offer('8', 8)), 1);
    assert.equal(perGpu(offer('3', 4)), 0.75);
    assert.equal(perGpu(offer('2', 0)), 2);
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
  it('sends only what is filled in and readable, with the sort', () => {
    assert.deepEqual(toQuery(DEFAULT_VIEW, 50), { limit: 50, sort: 'price', available: 'true' });
    assert.deepEqual(
      toQuery(
        {
          filters: {
            gpu: ' H100 ',
            minGpuCount: '8',
            minGpuMemoryGiB: 'x',
            region: 'us-east-1',
            provider: '',
            maxPrice: '2.5',
            availability: 'any',
          },
          sort: 'pricePerGpu',
        },
        50,
        'c1',
      ),
      {
        limit: 50,
        sort: 'pricePerGpu',
        gpu: 'H100',
        minGpuCount: 8,
        region: 'us-east-1',
        maxPrice: '2.5',
        cursor: 'c1',
      },
    );
    const badPrice = { ...DEFAULT_VIEW, filters: { ...NO_FILTERS, maxPrice: '2.5.1' } };
    assert.equal(toQuery(badPrice, 10).maxPrice, undefined);
  });

  it('round-trips a view through the URL, leaving defaults out', () => {
    assert.equal(searchOf(DEFAULT_VIEW), '');
    assert.deepEqual(viewFromSearch(''), DEFAULT_VIEW);
    const view: CatalogView = {
      filters: {
        ...NO_FILTERS,
        gpu: 'RTX4090',
        region: 'eu west/1',
        provider: 'devcloud',
        maxPrice: '1.25',
        availability: 'any',
      },
      sort: 'pricePerGpu',
    };
    const search = searchOf(view);
    assert.equal(
      search,
      '?gpu=RTX4090&region=eu+west%2F1&provider=devcloud&maxPrice=1.25&available=any&sort=pricePerGpu',
    );
    assert.deepEqual(viewFromSearch(search), view);
    const soldOut: CatalogView = {
      ...DEFAULT_VIEW,
      filters: { ...NO_FILTERS, availability: 'unavailable' },
    };
    assert.deepEqual(viewFromSearch(searchOf(soldOut)), soldOut);
  });

  it('drops what it does not know from a hand-edited URL', () => {
    const view = viewFromSearch(
      `?sort=cheapest&available=maybe&region=${'x'.repeat(600)}&token=cpt_x&gpu=%20H100%20`,
    );
    assert.deepEqual(view, { filters: { ...NO_FILTERS, gpu: 'H100' }, sort: 'price' });
  });
});

describe('scorecard figures', () => {
  const window = (launches: number, created: number | null, p50: number | null) => ({
    catalogSyncs: 12,
    catalogSyncSuccessRate: 0.75,
    launches,
    createSuccessRate: created,
    capacityErrorRate: created === null ? null : 1 - created,
    timeToRunningSeconds: { p50, p95: p50 === null ? null : p50 * 3 },
  });
  const card = {
    credentialId: 'c1',
    name: 'dev',
    provider: 'devcloud',
    windows: { hour: window(0, null, null), day: window(3, 2 / 3, 4.25) },
    lastError: null,
  };
  it('gives the charts percentages and seconds, null where there is no data', () => {
    assert.deepEqual(
      rateMeasures(card).map((m) => [m.label, m.values.hour, m.values.day]),
      [
        ['Catalog syncs ok', 75, 75],
        ['Launches ok', null, 66.7],
        ['Capacity errors', null, 33.3],
      ],
    );
    assert.deepEqual(
      timeMeasures(card).map((m) => [m.values.hour, m.values.day]),
      [
        [null, 4.25],
        [null, 12.75],
      ],
    );
  });
  it('writes the table cells with what a rate is out of', () => {
    const [syncs, launches] = rateMeasures(card);
    const [median, p95] = timeMeasures(card);
    assert.ok(syncs && launches && median && p95);
    assert.equal(cellText(syncs, 'hour'), '75% of 12 syncs');
    assert.equal(cellText(launches, 'hour'), 'no data');
    assert.equal(cellText(launches, 'day'), '66.7% of 3 launches');
    assert.equal(cellText(median, 'day'), '4.3 s');
    assert.equal(cellText(p95, 'day'), '13 s');
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
