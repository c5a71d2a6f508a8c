import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli, startTestPlane, type TestPlane } from './helpers/cli.js';

/** `cloudplane users` and `tokens create --user`, as processes against a real control plane. */

describe('cloudplane users', () => {
  let stack: TestPlane;
  const admin = (args: string[]) => runCli(stack.env, args);
  /** The CLI with another user's token. */
  const as = (token: string, args: string[]) =>
    runCli({ ...stack.env, CLOUDPLANE_TOKEN: token }, args);
  before(async () => {
    stack = await startTestPlane();
  });
  after(async () => {
    await stack.close();
  });

  it('adds, lists and removes users; a token made --user acts as that user', async () => {
    const added = await admin(['users', 'add', 'alice', '--json']);
    assert.equal(added.code, 0, added.stderr);
    const alice = JSON.parse(added.stdout) as { id: string; name: string; role: string };
    assert.equal(alice.name, 'alice');
    assert.equal(alice.role, 'member', 'member is the default role');

    const boss = await admin(['users', 'add', 'bob@example.com', '--role', 'admin']);
    assert.equal(boss.code, 0, boss.stderr);
    assert.match(boss.stdout, /^added bob@example\.com \([\w-]+\), admin\n$/);

    const listed = await admin(['users', 'list']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^ID +NAME +ROLE +CREATED\n/);
    assert.match(listed.stdout, /alice +member/);
    assert.match(listed.stdout, /admin +admin/);

    const made = await admin([
      'tokens',
      'create',
      '--name',
      'alice-laptop',
      '--user',
      'alice',
      '--json',
    ]);
    assert.equal(made.code, 0, made.stderr);
    const token = JSON.parse(made.stdout) as { token: string; userId: string };
    assert.equal(token.userId, alice.id);
    const me = (await (
      await fetch(`${stack.plane.url}/v1/users/me`, {
        headers: { authorization: `Bearer ${token.token}` },
      })
    ).json()) as { name: string };
    assert.equal(me.name, 'alice');

    // A member may not manage users; the API's refusal comes through as the command's error.
    const refused = await as(token.token, ['users', 'list']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /cloudplane users: auth\/forbidden/);

    const bad = await admin(['users', 'add', 'no spaces']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /<name>: a user name is 1-64/);
    const badRole = await admin(['users', 'add', 'carol', '--role', 'owner']);
    assert.equal(badRole.code, 1);
    assert.match(badRole.stderr, /argument 'owner' is invalid/);

    const removed = await admin(['users', 'remove', 'alice']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(removed.stdout, `removed alice (${alice.id})\n`);
    const after = await admin(['users', 'list', '--json']);
    assert.deepEqual((JSON.parse(after.stdout) as { name: string }[]).map((u) => u.name).sort(), [
      'admin',
      'bob@example.com',
    ]);
    const revoked = await as(token.token, ['keys', 'list']);
    assert.equal(revoked.code, 1, "the removed user's token no longer works");
    assert.match(revoked.stderr, /auth\/invalid-token/);

    const missing = await admin(['users', 'remove', 'alice']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no user with id or name "alice"/);
  });
});
