import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SpecViolation } from '@cloudplane/spec-fake';
import type { LaunchPadFake } from './fake/launchpad-fake.js';
import { launchpadSpec, requestProblems } from './fake/spec.js';
import { useFake } from './helpers.js';

/**
 * The fake answers only what the spec allows (every answer is checked before it is sent, and
 * `useFake` fails a block whose fake recorded a violation). These tests show the checks bite,
 * and why the fake cannot serve the spec's own examples.
 */

type Examples = Record<string, { value: unknown }>;
function responseExample(path: string, name: string): unknown {
  const paths = launchpadSpec.document.paths as Record<
    string,
    { get: { responses: Record<string, { content: Record<string, { examples: Examples }> }> } }
  >;
  return paths[path]?.get.responses['200']?.content['application/json']?.examples[name]?.value;
}

describe("the spec's own examples", () => {
  it('break its schema: the instance-type example writes the interconnect as "SXM"', () => {
    const example = responseExample('/v1/catalog/instance-types/', 'InstanceTypeResponse');
    assert.throws(
      () => {
        launchpadSpec.assertResponse('get', '/v1/catalog/instance-types/', 200, example);
      },
      (err: unknown) =>
        err instanceof SpecViolation &&
        /interconnection_type must be equal to one of/.test(err.message),
    );
  });

  it('break its schema: a deployment naming its cluster by UUID matches both branches of oneOf', () => {
    const example = responseExample('/v1/catalog/deployments/', 'SuccessfulResponse');
    assert.throws(
      () => {
        launchpadSpec.assertResponse('get', '/v1/catalog/deployments/', 200, example);
      },
      (err: unknown) =>
        err instanceof SpecViolation &&
        /cluster must match exactly one schema in oneOf/.test(err.message),
    );
  });

  it('ask a request for no read-only field, but for every writable required one', () => {
    const minimal = {
      experience_id: '6f1c2a8e-3d4b-4c5a-9e7f-0a1b2c3d4e5f',
      org_name: 'NVIDIA',
      requester_email: 'jane.doe@example.com',
      requester_name: 'Jane Doe',
      pipelines: [],
      services: [],
    };
    assert.deepEqual(requestProblems('Deployment', minimal), []);
    const { org_name: _, ...noOrg } = minimal;
    assert.deepEqual(requestProblems('Deployment', noOrg), [
      "(body) must have required property 'org_name'",
    ]);
    assert.deepEqual(
      requestProblems('DeploymentUpdate', { tags: { a: 'b' } }, { partial: true }),
      [],
    );
  });
});

describe('the fake', () => {
  let fake: LaunchPadFake;
  useFake({ before, after }, (f) => (fake = f));

  const call = (method: string, path: string, body?: unknown, token = fake.apiKey) =>
    fetch(`${fake.url}${path}`, {
      method,
      headers: { authorization: `Token ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it('refuses a wrong token with 401, as DRF words it', async () => {
    const answer = await call('GET', '/v1/catalog/instance-types/', undefined, 'wrong');
    assert.equal(answer.status, 401);
    assert.deepEqual(await answer.json(), { detail: 'Invalid token.' });
  });

  it('refuses a deployment request the spec refuses, naming the problem', async () => {
    const answer = await call('POST', '/v1/catalog/deployments/', {
      experience_id: 'not-a-uuid',
      org_name: 'x',
      requester_email: 'a@example.com',
      requester_name: 'A',
      pipelines: [],
      services: [],
    });
    assert.equal(answer.status, 400);
    const body = (await answer.json()) as { non_field_errors: string[] };
    assert.match(body.non_field_errors.join(' '), /experience_id must match format "uuid"/);
    assert.equal(fake.deployments.size, 0);
  });

  it('pages lists as DRF does, with absolute next and previous links', async () => {
    const answer = await call('GET', '/v1/catalog/instance-types/?page=2&page_size=2');
    const body = (await answer.json()) as {
      count: number;
      next: string;
      previous: string;
      results: unknown[];
    };
    assert.equal(body.count, 5);
    assert.equal(body.results.length, 2);
    assert.equal(body.next, `${fake.url}/v1/catalog/instance-types/?page=3&page_size=2`);
    assert.equal(body.previous, `${fake.url}/v1/catalog/instance-types/?page=1&page_size=2`);
    const beyond = await call('GET', '/v1/catalog/instance-types/?page=9&page_size=2');
    assert.equal(beyond.status, 404);
  });
});
