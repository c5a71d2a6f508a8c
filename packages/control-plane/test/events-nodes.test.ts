import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { EventDto } from '../src/api/instance-dto.js';
import { startControlPlane, type ControlPlane } from '../src/control-plane.js';
import { openStorage, type StorageTarget } from '../src/db/open.js';
import { writeEvents } from '../src/instances/events.js';
import { makeLogger } from '../src/logger.js';
import {
  addKey,
  admin,
  anOffer,
  json,
  launch,
  streamEvents,
  waitForState,
} from './helpers/instances.js';
import { fastRegistry, startPlane, type Plane } from './helpers/plane.js';
import { freshTarget, stopClusterAfterAll } from './helpers/storage.js';

/**
 * Server-sent events across nodes on one PostgreSQL: an event committed anywhere wakes every
 * node's streams through NOTIFY. The second node's streams never poll here (an hour between
 * reads), and the event is written by a connection that is neither node, so only the
 * notification can bring it.
 */

stopClusterAfterAll();

describe('event streams across nodes on postgres', () => {
  let target: StorageTarget;
  let first: Plane;
  let second: ControlPlane;

  before(async () => {
    target = await freshTarget('postgres');
    const masterKey = randomBytes(32);
    first = await startPlane(target, masterKey);
    second = await startControlPlane({
      storage: target,
      masterKey,
      logger: makeLogger({ level: 'silent' }),
      providers: fastRegistry(),
      jobPollingIntervalSeconds: 0.5,
      eventPollMs: 3_600_000,
    });
  });
  after(async () => {
    await second.close();
    await first.close();
  });

  it("delivers another process's event to a stream on the second node", async () => {
    const root = admin(first);
    const key = await addKey(root, 'nodes');
    const offerId = await anOffer(first);
    const launched = z
      .object({ id: z.string() })
      .parse(await json(await launch(root, { offerId, name: 'across', sshKeyIds: [key.id] }), 202));
    await waitForState(first, root, launched.id, 'running');

    const seen: z.infer<typeof EventDto>[] = [];
    const controller = new AbortController();
    const stream = await streamEvents(
      second,
      root,
      (data) => seen.push(EventDto.parse(data)),
      controller.signal,
    );
    const writer = await openStorage(target);
    try {
      await writer.db.transaction((tx) =>
        writeEvents(
          tx,
          { id: launched.id, userId: root.userId },
          [{ kind: 'state', from: 'running', to: 'running', message: 'from a third process' }],
          new Date(),
        ),
      );
    } finally {
      await writer.close();
    }
    await first.until(
      () => Promise.resolve(seen.some((e) => e.message === 'from a third process')),
      'the second node to stream the event',
      30_000,
    );
    controller.abort();
    await stream.closed;
    assert.ok(seen.every((e) => e.instanceId === launched.id));
  });
});
