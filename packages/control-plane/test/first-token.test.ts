import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startControlPlane } from '../src/control-plane.js';
import { makeLogger } from '../src/logger.js';
import { migratedTemplate } from './helpers/storage.js';

/**
 * The first admin token is shown only by the start that made it, so a start that fails must not
 * leave one behind: the next start would find a token nobody was shown and make none.
 */

describe('the first admin token', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloudplane-first-token-'));
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is not made by a start that cannot listen; the next start makes it', async () => {
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    const { port } = taken.address() as AddressInfo;
    const options = {
      masterKey: randomBytes(32),
      logger: makeLogger({ level: 'silent' }),
      host: '127.0.0.1',
    };
    try {
      const storage = { kind: 'pglite' as const, dataDir, template: await migratedTemplate() };
      await assert.rejects(startControlPlane({ ...options, storage, port }), /EADDRINUSE/);
    } finally {
      await new Promise((done) => taken.close(done));
    }
    // The data directory exists now: no template.
    const storage = { kind: 'pglite' as const, dataDir };
    const plane = await startControlPlane({ ...options, storage, port: 0 });
    try {
      assert.ok(plane.firstToken, 'the start that listens makes the token');
      const me = await fetch(`${plane.url}/v1/credentials`, {
        headers: { authorization: `Bearer ${plane.firstToken.token}` },
      });
      assert.equal(me.status, 200);
    } finally {
      await plane.close();
    }
  });
});
