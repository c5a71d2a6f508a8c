import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { CloudError, defineStatusMap } from '@cloudplane/sdk';
import { MachinesFake } from '../example/machines-fake.js';
import {
  assertCloudError,
  assertStatusMapping,
  assertStatusTableMatchesSpec,
  assertUnknownStatusLoggedOnce,
  closeChecked,
  errorTableTests,
  fakeProbes,
  garblingFetch,
  rewritingFetch,
  serveProbes,
  specEnum,
  UNKNOWN_FIELD,
  useFake,
  withFake,
  withUnknownFields,
} from '../src/index.js';

/** The kit against its example fake (example/machines-fake.ts, example/openapi.yaml). */

const auth = (fake: MachinesFake) => ({ authorization: `Bearer ${fake.apiKey}` });
const launch = (fake: MachinesFake, body: unknown) =>
  fetch(`${fake.url}/machines`, {
    method: 'POST',
    headers: { ...auth(fake), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the spec-checked fake', () => {
  const fake = useFake({ before, after }, () => MachinesFake.start());

  it('records every request, and counts them per route', async () => {
    assert.equal((await launch(fake(), { size: 'small' })).status, 201);
    const list = await fetch(`${fake().url}/machines`, { headers: auth(fake()) });
    assert.equal(list.status, 200);
    assert.equal(fake().countRequests('POST /machines'), 1);
    assert.deepEqual(fake().requests[0]?.body, { size: 'small' });
  });

  it('refuses a request body the spec forbids', async () => {
    const refused = await launch(fake(), { size: 'small', colour: 'red' });
    assert.equal(refused.status, 400);
    assert.match(((await refused.json()) as { message: string }).message, /additional/);
  });

  it('never sends an answer that breaks the spec: it records it, and closing fails', async () => {
    const broken = await MachinesFake.start();
    try {
      assert.equal((await launch(broken, { size: 'small' })).status, 201);
      broken.breakAnswers = true;
      await assert.rejects(fetch(`${broken.url}/machines`, { headers: auth(broken) }));
      assert.match(broken.violations[0]?.message ?? '', /breaks the spec/);
    } finally {
      await assert.rejects(closeChecked(broken), /the fake broke the spec/);
    }
  });

  it('checks error bodies against the error schema on statuses the spec does not declare', async () => {
    await assert.rejects(
      withFake(
        () => MachinesFake.start(),
        async (own) => {
          own.inject('GET /machines', { status: 503, message: 'fine' });
          assert.equal((await fetch(`${own.url}/machines`, { headers: auth(own) })).status, 503);
          // faultBody writes {message}; a body without it breaks the Error schema.
          Object.assign(own, { faultBody: () => ({ problem: 'no message' }) });
          own.inject('GET /machines', { status: 503 });
          await fetch(`${own.url}/machines`, { headers: auth(own) }).catch(() => undefined);
        },
      ),
      /the fake broke the spec/,
    );
  });
});

describe('probes', () => {
  const fake = useFake({ before, after }, () => MachinesFake.start());

  it('run out of capacity and fail the list until restored', async () => {
    const probes = fakeProbes(fake(), {
      exhaustCapacity: () => fake().exhaustCapacity(),
      listRoute: 'GET /machines',
    });
    assert.ok(probes.provokeCapacityError && probes.failListPage);
    const restoreCapacity = await probes.provokeCapacityError();
    assert.equal((await launch(fake(), { size: 'large' })).status, 409);
    await restoreCapacity();
    assert.equal((await launch(fake(), { size: 'large' })).status, 201);
    const restoreList = await probes.failListPage();
    for (let i = 0; i < 3; i++) {
      assert.equal((await fetch(`${fake().url}/machines`, { headers: auth(fake()) })).status, 503);
    }
    await restoreList();
    assert.equal((await fetch(`${fake().url}/machines`, { headers: auth(fake()) })).status, 200);
  });

  it('leave out what the fake cannot do', () => {
    assert.deepEqual(Object.keys(fakeProbes(fake(), {})), []);
  });

  it('are served to the CLI as shell commands (CLOUDPLANE_PROBE=provoke, then restore)', async () => {
    const server = await serveProbes(
      fakeProbes(fake(), { exhaustCapacity: () => fake().exhaustCapacity() }),
    );
    const sh = (action: string) =>
      new Promise<number | null>((resolve) => {
        const child = spawn('/bin/sh', ['-c', server.command('provokeCapacityError')], {
          env: { ...process.env, CLOUDPLANE_PROBE: action },
          stdio: 'ignore',
        });
        child.once('close', resolve);
      });
    try {
      assert.deepEqual(server.flags()[0], '--probe-capacity-error');
      assert.match(server.shellFlags(), /^--probe-capacity-error '.+fake-probe\.mjs .+'$/);
      assert.equal(await sh('provoke'), 0);
      assert.equal(fake().offers[0]?.capacity.small, 0);
      assert.equal(await sh('restore'), 0);
      assert.ok((fake().offers[0]?.capacity.small ?? 0) > 0);
      assert.equal(await sh('explode'), 2, 'an unknown action is refused');
    } finally {
      await server.close();
    }
  });
});

describe('table helpers', () => {
  const spec = () => MachinesFake.start().then(async (f) => (await f.close(), f.spec));
  const table = { provisioning: 'pending', running: 'running', deleting: 'terminating' } as const;
  const statusMap = defineStatusMap(table, { fallback: 'pending', provider: 'example' });

  it('read an enum from the spec, through a $ref, and fail on a missing one', async () => {
    const loaded = await spec();
    assert.deepEqual(specEnum(loaded, 'MachineStatus'), ['provisioning', 'running', 'deleting']);
    assert.deepEqual(specEnum(loaded, 'Machine', 'status'), specEnum(loaded, 'MachineStatus'));
    assert.throws(() => specEnum(loaded, 'Machine', 'size'), /no enum at Machine\.size/);
  });

  it('prove a status table exhaustive, and name what is missing when it is not', async () => {
    const loaded = await spec();
    assertStatusTableMatchesSpec(statusMap, specEnum(loaded, 'MachineStatus'));
    const short = defineStatusMap(
      { running: 'running', deleting: 'terminating' },
      { fallback: 'pending', provider: 'example' },
    );
    assert.throws(() => {
      assertStatusTableMatchesSpec(short, specEnum(loaded, 'MachineStatus'));
    }, /only in the spec \[provisioning\]/);
  });

  it('check each mapping and the logged fallback', () => {
    assertStatusMapping(statusMap, table);
    assert.throws(() => {
      assertStatusMapping(statusMap, { ...table, deleting: 'terminated' });
    });
    assertUnknownStatusLoggedOnce(statusMap, 'pending', 'melting');
    assert.throws(() => {
      assertUnknownStatusLoggedOnce(statusMap, 'pending', 'running');
    }, /must not be a known status/);
  });

  it('make one test per error-table row, checking both codes', async () => {
    const registered: [string, () => Promise<void>][] = [];
    const fail = (code: 'INSTANCE_NOT_FOUND' | 'RESOURCE_NOT_FOUND') =>
      Promise.reject(new CloudError(code));
    errorTableTests(
      (name, fn) => registered.push([name, fn]),
      [
        { name: 'right', onInstance: 'INSTANCE_NOT_FOUND', otherwise: 'RESOURCE_NOT_FOUND' },
        { name: 'wrong', onInstance: 'RESOURCE_NOT_FOUND', otherwise: 'RESOURCE_NOT_FOUND' },
      ],
      {
        title: (c) => c.name,
        onInstance: () => fail('INSTANCE_NOT_FOUND'),
        otherwise: () => fail('RESOURCE_NOT_FOUND'),
      },
    );
    assert.deepEqual(
      registered.map(([name]) => name),
      ['right', 'wrong'],
    );
    await registered[0]?.[1]();
    await assert.rejects(registered[1]?.[1]() ?? Promise.resolve(), /expected|INSTANCE_NOT_FOUND/);
    assert.throws(
      () => assertCloudError('not an error', 'INTERNAL'),
      /expected CloudError INTERNAL/,
    );
  });
});

describe('robustness helpers', () => {
  const fake = useFake({ before, after }, () => MachinesFake.start());

  it('add an unknown field to every object at every depth', () => {
    const changed = withUnknownFields({ a: [{ b: 1 }], c: 'x' }) as Record<string, unknown>;
    assert.ok(UNKNOWN_FIELD in changed);
    const [inner] = changed.a as Record<string, unknown>[];
    assert.ok(inner && UNKNOWN_FIELD in inner);
    assert.equal(changed.c, 'x');
  });

  it('pass an empty answer (204) through the rewriting fetch untouched', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const rewriting = rewritingFetch('/', () => assert.fail('nothing to rewrite'));
      const answer = await rewriting(`http://127.0.0.1:${String(port)}/machines/m1`, {
        method: 'DELETE',
      });
      assert.equal(answer.status, 204);
      assert.equal(await answer.text(), '');
    } finally {
      server.close();
    }
  });

  it('rewrite answers with the path below the base path, and garble them', async () => {
    await launch(fake(), { size: 'small' });
    const seen: string[] = [];
    const rewriting = rewritingFetch('/v2', (path, body) => {
      seen.push(path);
      return withUnknownFields(body);
    });
    const list = (await (
      await rewriting(`${fake().url}/machines`, { headers: auth(fake()) })
    ).json()) as Record<string, unknown>[];
    assert.deepEqual(seen, ['/machines']);
    assert.ok(list.length > 0 && list.every((m) => UNKNOWN_FIELD in m));
    let once = 1;
    const garbling = garblingFetch('{"half', () => once-- > 0);
    assert.equal(
      await (await garbling(`${fake().url}/machines`, { headers: auth(fake()) })).text(),
      '{"half',
    );
    assert.notEqual(
      await (await garbling(`${fake().url}/machines`, { headers: auth(fake()) })).text(),
      '{"half',
    );
  });
});
