import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { silentLogger } from '@cloudplane/sdk';
import { CatalogSyncer } from '../src/catalog/syncer.js';
import { CredentialStore } from '../src/credentials/store.js';
import type { Storage } from '../src/db/open.js';
import { ControlPlaneError } from '../src/errors.js';
import { BUILT_IN_PROVIDERS, providerRegistry } from '../src/providers.js';
import { Vault } from '../src/vault/index.js';
import { ENGINES, freshStorage, stopClusterAfterAll } from './helpers/storage.js';

stopClusterAfterAll();

function storeOn(storage: Storage): CredentialStore {
  return new CredentialStore(
    storage.db,
    new Vault(randomBytes(32)),
    providerRegistry(BUILT_IN_PROVIDERS),
  );
}

const SECRET = 'dck_live_6f2b9c0d4e1a8f7b3c5d';

for (const engine of ENGINES) {
  describe(`credential store on ${engine}`, () => {
    it('keeps the secret only sealed: the raw table holds no trace of it', async () => {
      const storage = await freshStorage(engine);
      try {
        const store = storeOn(storage);
        const added = await store.add({
          provider: 'devcloud',
          name: 'prod',
          credential: { apiKey: SECRET, baseUrl: 'http://127.0.0.1:9' },
        });
        assert.deepEqual(added.settings, { baseUrl: 'http://127.0.0.1:9', defects: [] });
        const dump = await storage.db.execute(
          sql`SELECT row_to_json(c)::text AS row, encode(sealed, 'escape') AS raw FROM credentials c`,
        );
        const text = JSON.stringify(dump);
        assert.ok(text.includes('prod'), 'the dump does show the row');
        assert.ok(!text.includes(SECRET), 'the API key is not in the table, in any encoding');
        assert.ok(!text.includes(Buffer.from(SECRET).toString('base64')));
        assert.ok(!text.includes(Buffer.from(SECRET).toString('hex')));
        const opened = await store.open(added.id);
        assert.deepEqual(opened.credential, {
          apiKey: SECRET,
          baseUrl: 'http://127.0.0.1:9',
          defects: [],
        });
      } finally {
        await storage.close();
      }
    });

    it('refuses invalid credentials and duplicate names, storing nothing', async () => {
      const storage = await freshStorage(engine);
      try {
        const store = storeOn(storage);
        await assert.rejects(
          store.add({ provider: 'lambda', name: 'l', credential: { apiKey: '' } }),
          (err: unknown) =>
            err instanceof ControlPlaneError &&
            err.code === 'credential/invalid' &&
            err.details?.some((d) => d.path === 'apiKey') === true,
        );
        await store.add({ provider: 'lambda', name: 'l', credential: { apiKey: 'secret_abc' } });
        await assert.rejects(
          store.add({ provider: 'lambda', name: 'l', credential: { apiKey: 'secret_def' } }),
          (err: unknown) => err instanceof ControlPlaneError && err.status === 409,
        );
        assert.equal((await store.list()).length, 1);
        await assert.rejects(
          store.add({ provider: 'lambda', name: '../etc', credential: { apiKey: 'x' } }),
          (err: unknown) =>
            err instanceof ControlPlaneError && err.code === 'credential/invalid-name',
        );
      } finally {
        await storage.close();
      }
    });

    it('cannot open a credential with another master key', async () => {
      const storage = await freshStorage(engine);
      try {
        const registry = providerRegistry(BUILT_IN_PROVIDERS);
        const store = new CredentialStore(storage.db, new Vault(randomBytes(32)), registry);
        const { id } = await store.add({
          provider: 'lambda',
          name: 'l',
          credential: { apiKey: 'secret_abc' },
        });
        const other = new CredentialStore(storage.db, new Vault(randomBytes(32)), registry);
        await assert.rejects(other.open(id), /wrong master key/);
        const listed = await other.list();
        assert.deepEqual(
          listed.map((c) => [c.id, c.settings]),
          [[id, {}]],
          'a credential that cannot be opened is still listed, without settings',
        );
        const syncer = new CatalogSyncer({
          db: storage.db,
          credentials: other,
          logger: silentLogger,
        });
        const result = await syncer.sync(id);
        assert.equal(result.outcome, 'failed');
        assert.match(result.reason ?? '', /wrong master key/);
        const [summary] = await other.list();
        assert.equal(summary?.sync.state, 'degraded');
      } finally {
        await storage.close();
      }
    });
  });
}

describe('credentials whose schema transforms them', () => {
  it('opens what was added, and scrubs every string inside an object-valued secret field', async () => {
    const storage = await freshStorage('pglite');
    try {
      const store = storeOn(storage);
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const added = await store.add({
        provider: 'nebius',
        name: 'nebius',
        credential: {
          serviceAccount: {
            serviceAccountId: 'serviceaccount-e00test',
            publicKeyId: 'publickey-e00test',
            privateKey: pem,
          },
          projectId: 'project-e00test',
          // Prices are parsed into Money: the schema's output is not its input.
          prices: { 'gpu-h100-sxm': { '1gpu-16vcpu-200gb': '2.95' } },
        },
      });
      const opened = await store.open(added.id);
      assert.equal(opened.provider.id, 'nebius');
      const leaked = `exchange failed for ${pem} (key publickey-e00test)`;
      const scrubbed = opened.scrub(leaked);
      assert.ok(!scrubbed.includes(pem.split('\n')[1] ?? pem), 'the private key is scrubbed');
      assert.ok(!('serviceAccount' in added.settings), 'the secret field is not shown');
    } finally {
      await storage.close();
    }
  });
});
