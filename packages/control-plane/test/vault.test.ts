import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMasterKey, MasterKeyError, Vault, VaultError } from '../src/index.js';

const secret = { apiKey: 'sk-live-VERY-SECRET-123', baseUrl: 'https://api.example' };

describe('credential vault', () => {
  const vault = new Vault(randomBytes(32));

  it('seals so the secret does not appear, and opens back', () => {
    const sealed = vault.seal('cred-1', secret);
    assert.equal(sealed.includes(Buffer.from('VERY-SECRET')), false);
    assert.equal(sealed.readUInt8(0), 1, 'key version byte');
    assert.deepEqual(vault.open('cred-1', sealed), secret);
    assert.notDeepEqual(vault.seal('cred-1', secret), sealed, 'a fresh nonce each time');
  });

  it('refuses a blob moved to another record (the record id is authenticated)', () => {
    const sealed = vault.seal('cred-1', secret);
    assert.throws(
      () => vault.open('cred-2', sealed),
      (e: unknown) => e instanceof VaultError && /altered/.test(e.message),
    );
  });

  it('refuses a flipped bit and says so without the secret', () => {
    const sealed = vault.seal('cred-1', secret);
    sealed.writeUInt8(sealed.readUInt8(sealed.length - 1) ^ 1, sealed.length - 1);
    assert.throws(
      () => vault.open('cred-1', sealed),
      (e: unknown) => e instanceof VaultError && !e.message.includes('SECRET'),
    );
  });

  it('refuses the wrong master key with a clear message, and unknown key versions', () => {
    const sealed = vault.seal('cred-1', secret);
    assert.throws(() => new Vault(randomBytes(32)).open('cred-1', sealed), /wrong master key/);
    const future = Buffer.from(sealed);
    future[0] = 9;
    assert.throws(() => vault.open('cred-1', future), /key version 9/);
  });
});

describe('master key', () => {
  it('comes from CLOUDPLANE_MASTER_KEY when set, and must be 32 bytes of base64', () => {
    const key = randomBytes(32);
    assert.deepEqual(
      loadMasterKey({
        env: { CLOUDPLANE_MASTER_KEY: key.toString('base64') },
        keyFile: '/nonexistent/key',
      }),
      key,
    );
    assert.throws(
      () => loadMasterKey({ env: { CLOUDPLANE_MASTER_KEY: 'short' }, keyFile: '/x' }),
      (e: unknown) => e instanceof MasterKeyError && /openssl rand -base64 32/.test(e.message),
    );
  });

  it('is created as a 0600 file on first start and reused after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-key-'));
    try {
      const file = join(dir, 'state', 'master.key');
      const first = loadMasterKey({ env: {}, keyFile: file });
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.deepEqual(loadMasterKey({ env: {}, keyFile: file }), first);
      chmodSync(file, 0o644);
      assert.throws(() => loadMasterKey({ env: {}, keyFile: file }), /chmod 600/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
