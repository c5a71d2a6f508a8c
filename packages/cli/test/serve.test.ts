import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { MAIN, serve } from './helpers/serve-process.js';

/**
 * `cloudplane serve` as an operator runs it: a real process on an embedded database in a data
 * directory, stopped by a signal, started again on the same data.
 */

const run = promisify(execFile);

describe('cloudplane serve', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloudplane-serve-'));
  const tokenFile = join(dataDir, '..', `${dataDir.split('/').at(-1)}.token`);
  after(() => {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(tokenFile, { force: true });
  });

  it('starts with a synced built-in catalog, stops cleanly, and reuses its data', async () => {
    const first = await serve(dataDir, ['--token-out', tokenFile]);
    let token: string;
    try {
      token = readFileSync(tokenFile, 'utf8').trim();
      assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
      assert.ok(first.banner.includes(token), 'the first start prints the token');
      assert.match(first.banner, /devcloud: +built-in, 40 offers in the catalog \(sync: ok\)/);
      const offers = (await (
        await fetch(`${first.url}/v1/offers?gpu=H100`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as { offers: { gpu: { name: string } }[] };
      assert.ok(offers.offers.length > 0);
      assert.ok(offers.offers.every((o) => o.gpu.name === 'H100'));

      // A second serve on the same data directory is refused while the first runs.
      await assert.rejects(serve(dataDir), /another cloudplane serve \(pid \d+\) is using/);

      // The CLI reaches the API with the token.
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', MAIN, 'credentials', 'list', '--json'],
        {
          env: { ...process.env, CLOUDPLANE_URL: first.url, CLOUDPLANE_TOKEN: token },
        },
      );
      const listed = JSON.parse(stdout) as { name: string; sync: { state: string } }[];
      assert.deepEqual(
        listed.map((c) => [c.name, c.sync.state]),
        [['devcloud-builtin', 'ok']],
      );
      const env = { ...process.env, CLOUDPLANE_URL: first.url, CLOUDPLANE_TOKEN: token };
      const created = await run(
        process.execPath,
        ['--import', 'tsx', MAIN, 'tokens', 'create', '--name', 'ci'],
        { env },
      );
      assert.match(created.stdout, /^cpt_[\w-]{43}\n$/);
      await assert.rejects(
        run(
          process.execPath,
          [
            '--import',
            'tsx',
            MAIN,
            'credentials',
            'add',
            '--provider',
            'lambda',
            '--name',
            'x',
            '--credential',
            'env:BAD_CREDENTIAL',
          ],
          { env: { ...env, BAD_CREDENTIAL: '{"apiKey":""}' } },
        ),
        (err: unknown) => {
          const stderr = (err as { stderr?: string }).stderr ?? '';
          assert.match(stderr, /credential\/invalid/);
          assert.match(stderr, /apiKey/);
          return (err as { code?: number }).code === 1;
        },
      );
    } finally {
      first.child.kill('SIGTERM');
    }
    assert.equal(await first.exited, 0, 'SIGTERM stops it cleanly');

    const second = await serve(dataDir);
    try {
      assert.doesNotMatch(second.banner, /admin token/, 'no new token on a later start');
      const headers = { authorization: `Bearer ${token}` };
      const credentials = (await (
        await fetch(`${second.url}/v1/credentials`, { headers })
      ).json()) as {
        credentials: { id: string }[];
      };
      assert.equal(credentials.credentials.length, 1, 'the credential survived the restart');
      const id = credentials.credentials[0]?.id ?? '';
      const history = (await (
        await fetch(`${second.url}/v1/credentials/${id}/syncs`, { headers })
      ).json()) as {
        syncs: { outcome: string; rowsWritten: number }[];
      };
      assert.equal(history.syncs[0]?.outcome, 'ok');
      assert.equal(history.syncs[0].rowsWritten, 0, 'an unchanged catalog writes no row');
    } finally {
      second.child.kill('SIGINT');
    }
    assert.equal(await second.exited, 0, 'SIGINT stops it cleanly');
  });
});
