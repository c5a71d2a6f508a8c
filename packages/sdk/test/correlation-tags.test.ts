import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkUserTags,
  CloudError,
  correlatedOnly,
  correlationTags,
  defineTagScheme,
  launchTags,
  memoryLogger,
  parseCreatedAtTag,
  readCorrelationTags,
  userTagsOf,
} from '../src/index.js';

const ids = { refId: 'inst-7f3a', cloudCredRefId: 'cred-42' };
const launchedAt = new Date('2026-12-02T01:24:49.123Z');

describe('tag schemes', () => {
  it('spells keys with the cloud separator and the default names', () => {
    const scheme = defineTagScheme({ separator: '.', createdAt: 'basic' });
    assert.deepEqual(correlationTags(scheme, ids, launchedAt), {
      'cloudplane.ref-id': 'inst-7f3a',
      'cloudplane.cred-ref-id': 'cred-42',
      'cloudplane.created-at': '20261202T012449Z',
    });
  });

  it('takes other names and writes the extended time format', () => {
    const scheme = defineTagScheme({
      separator: ':',
      names: { cloudCredRefId: 'cred-id' },
      createdAt: 'extended',
    });
    assert.deepEqual(correlationTags(scheme, ids, launchedAt), {
      'cloudplane:ref-id': 'inst-7f3a',
      'cloudplane:cred-id': 'cred-42',
      'cloudplane:created-at': '2026-12-02T01:24:49.123Z',
    });
  });

  it('writes no time where the scheme keeps none', () => {
    const scheme = defineTagScheme({ separator: '-' });
    assert.deepEqual(Object.keys(correlationTags(scheme, ids, launchedAt)), [
      'cloudplane-ref-id',
      'cloudplane-cred-ref-id',
    ]);
  });

  it('refuses an empty id rather than writing a tag that reads as foreign', () => {
    const scheme = defineTagScheme({ separator: '-' });
    assert.throws(
      () => correlationTags(scheme, { refId: '', cloudCredRefId: 'c' }, launchedAt),
      (err: unknown) => err instanceof CloudError && err.code === 'INVALID_ARGUMENT',
    );
  });
});

describe('reading correlation tags back', () => {
  const scheme = defineTagScheme({ separator: '.', createdAt: 'basic' });

  it('round-trips any non-empty ids and the launch time (to the second in basic form)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2200-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        (refId, cloudCredRefId, at) => {
          const read = readCorrelationTags(
            scheme,
            correlationTags(scheme, { refId, cloudCredRefId }, at),
          );
          const second = new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString();
          assert.deepEqual(read, { refId, cloudCredRefId, createdAt: second });
        },
      ),
    );
  });

  it('answers null for an instance without both ids (foreign, or its tags edited)', () => {
    for (const tags of [
      undefined,
      null,
      {},
      { team: 'ml' },
      { 'cloudplane.ref-id': 'r' },
      { 'cloudplane.ref-id': 'r', 'cloudplane.cred-ref-id': '' },
      { 'cloudplane.ref-id': 7, 'cloudplane.cred-ref-id': 'c' },
    ]) {
      assert.equal(readCorrelationTags(scheme, tags), null, JSON.stringify(tags));
    }
  });

  it('leaves out a launch time that is missing or unreadable, keeping the ids', () => {
    for (const createdAt of [undefined, '', 'yesterday', '20261399T000000Z']) {
      const tags = {
        'cloudplane.ref-id': 'r',
        'cloudplane.cred-ref-id': 'c',
        ...(createdAt === undefined ? {} : { 'cloudplane.created-at': createdAt }),
      };
      assert.deepEqual(readCorrelationTags(scheme, tags), { refId: 'r', cloudCredRefId: 'c' });
    }
  });

  it('reads both time formats as ISO 8601', () => {
    assert.equal(parseCreatedAtTag('20250304T050607Z'), '2025-03-04T05:06:07.000Z');
    assert.equal(parseCreatedAtTag('2025-03-04T05:06:07.000Z'), '2025-03-04T05:06:07.000Z');
    assert.equal(parseCreatedAtTag('2025-03-04T07:06:07+02:00'), '2025-03-04T05:06:07.000Z');
    assert.equal(parseCreatedAtTag('March 4, 2025'), undefined);
  });
});

describe('user tags beside ours', () => {
  const byPrefix = defineTagScheme({ separator: ':', cloudPrefixes: ['aws:'] });
  const byKeys = defineTagScheme({ separator: '-', reserve: 'keys', extraNames: ['location'] });

  it('refuses user tags in our space or the cloud namespace, naming the key', () => {
    for (const [scheme, key, pattern] of [
      [byPrefix, 'cloudplane:anything', /reserved prefix "cloudplane:"/],
      [byPrefix, 'AWS:cloudformation', /reserved prefix \("aws:"\)/],
      [byKeys, 'cloudplane-ref-id', /kept by cloudplane/],
      [byKeys, 'cloudplane-location', /kept by cloudplane/],
    ] as const) {
      assert.throws(
        () => checkUserTags(scheme, { team: 'ml', [key]: 'x' }, 'create instance'),
        (err: unknown) =>
          err instanceof CloudError &&
          err.code === 'INVALID_ARGUMENT' &&
          err.message.startsWith(`create instance: tag "${key}"`) &&
          pattern.test(err.message),
      );
    }
  });

  it('lets keys-only schemes leave the rest of the prefix to users', () => {
    assert.deepEqual(checkUserTags(byKeys, { 'cloudplane-team': 'ml' }, 'create instance'), {
      'cloudplane-team': 'ml',
    });
  });

  it('sends the user tags with ours, ours last', () => {
    assert.deepEqual(launchTags(byPrefix, ids, { team: 'ml' }), {
      team: 'ml',
      'cloudplane:ref-id': 'inst-7f3a',
      'cloudplane:cred-ref-id': 'cred-42',
    });
  });

  it('reports only the user tags of an instance', () => {
    const stored = {
      team: 'ml',
      ...correlationTags(byPrefix, ids),
      'cloudplane:firewall': 'abc',
      'aws:autoscaling:groupName': 'g',
    };
    assert.deepEqual(userTagsOf(byPrefix, stored), { team: 'ml' });
    assert.deepEqual(
      userTagsOf(byKeys, { ...correlationTags(byKeys, ids), 'cloudplane-team': 'ml' }),
      { 'cloudplane-team': 'ml' },
    );
  });
});

describe('correlatedOnly', () => {
  const scheme = defineTagScheme({ separator: '-' });
  const warnings = () => {
    const logger = memoryLogger();
    const seen = new Set<string>();
    return {
      logger,
      warn(key: string, fields: Record<string, unknown>, message: string) {
        if (seen.has(key)) return;
        seen.add(key);
        logger.warn(fields, message);
      },
    };
  };
  const listed = [
    { id: 'a', tags: correlationTags(scheme, ids) },
    { id: 'b', tags: { team: 'ml' } },
    { id: 'c', tags: { ...correlationTags(scheme, ids), 'cloudplane-cred-ref-id': 'other-cred' } },
  ];

  it("keeps ours and another credential's, skips foreign ones with one warning each", () => {
    const sink = warnings();
    const options = {
      correlate: (w: (typeof listed)[number]) => readCorrelationTags(scheme, w.tags),
      cloudIdOf: (w: (typeof listed)[number]) => w.id,
      warnings: sink,
      fields: { region: 'r1' },
    };
    const kept = correlatedOnly(listed, options);
    correlatedOnly(listed, options);
    assert.deepEqual(
      kept.map((k) => [k.item.id, k.ids.cloudCredRefId]),
      [
        ['a', 'cred-42'],
        ['c', 'other-cred'],
      ],
    );
    assert.deepEqual(
      sink.logger.entries.map((e) => e.obj),
      [{ cloudId: 'b', region: 'r1' }],
    );
  });
});
