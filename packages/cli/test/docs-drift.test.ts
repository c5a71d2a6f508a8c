import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { CHECK_GROUPS, CHECK_IDS } from '@cloudplane/conformance';
import { problemOf, type Known, type Route } from './helpers/doc-checks.js';
import { findReferences } from './helpers/doc-references.js';
import {
  cliProgram,
  controlPlaneRoutes,
  devcloudRoutes,
  docPages,
  REPO,
} from './helpers/docs-sources.js';
import { platformNames, readSourceNames } from './helpers/source-names.js';

/**
 * Docs that cannot drift: every symbol, `cloudplane` command and flag, and control-plane HTTP
 * path that README.md and docs/**.md name must exist in the code (see helpers/doc-references.ts
 * for what counts as a name). A failure lists each missing name with its file:line.
 */

/**
 * What the docs name that is legitimately not in our code, exactly as written in the page. Keep
 * it short: a field of one of our types, a column, an env var or a cloud's wire name is found in
 * the source or the specs, and does not belong here.
 */
const ALLOWED = new Set<string>([
  'GET /v1/nope', // docs/dashboard.md: what an unknown route answers
  'fetchNextJob', // docs/reliability.md: pg-boss's own query, in the story of a fault
  'cloudplane_process_cpu_seconds_total', // prom-client's default metrics, under our prefix
  'DescribeInstanceTypeOfferings', // docs/providers/aws.md: an EC2 call the adapter does not make
  'devDependencies', // npm's package.json field
  'max_connections', // docs/deploy.md: a PostgreSQL server setting
]);

/** Pages about clouds' own formats, whose names may be found in the clouds' specs and fakes. */
const CLOUD_PAGES = /^docs\/(?:providers\/.*|gpu-normalization)\.md$/;
/** Pages whose HTTP paths are another API's: a provider page names its cloud's. */
const FOREIGN_API_PAGES = /^docs\/providers\//;

let known: Known;
let devcloudApi: readonly Route[];

before(async () => {
  const [cli, routes] = await Promise.all([cliProgram(), controlPlaneRoutes()]);
  devcloudApi = devcloudRoutes();
  known = {
    names: readSourceNames(join(REPO, 'packages'), [import.meta.filename], [join(REPO, 'deploy')]),
    platform: platformNames(join(REPO, 'node_modules', 'typescript', 'lib')),
    cloudPage: false,
    checkIds: new Set<string>(CHECK_IDS),
    checkGroups: new Set<string>(CHECK_GROUPS),
    cli,
    routes,
  };
});

/** Every reference of one page that does not exist, as `file:line: text: why`. */
function missingIn(page: string, markdown: string, base: Known, allowedSeen = new Set<string>()) {
  // docs/devcloud.md documents the devcloud's own API, not the control plane's.
  const routes = page === 'docs/devcloud.md' ? devcloudApi : base.routes;
  const known = { ...base, routes, cloudPage: CLOUD_PAGES.test(page) };
  return findReferences(markdown).flatMap(({ line, text, ref }) => {
    if (ref.kind === 'http' && FOREIGN_API_PAGES.test(page)) return [];
    if (ALLOWED.has(text)) {
      allowedSeen.add(text);
      return [];
    }
    const problem = problemOf(ref, known);
    return problem ? [`${page}:${String(line)}: \`${text}\`: ${problem}`] : [];
  });
}

describe('docs name only what exists', () => {
  it('every symbol, command, flag and route in README.md and docs/ exists', () => {
    const allowedSeen = new Set<string>();
    const missing = docPages().flatMap((page) =>
      missingIn(page, readFileSync(join(REPO, page), 'utf8'), known, allowedSeen),
    );
    assert.deepEqual(
      missing,
      [],
      `names in the docs that the code does not have:\n${missing.join('\n')}`,
    );
    // An allow-list entry no page uses any more is dropped, so the list stays short and true.
    const unused = [...ALLOWED].filter((text) => !allowedSeen.has(text));
    assert.deepEqual(unused, [], `ALLOWED entries that no page uses: ${unused.join(', ')}`);
  });

  it('reports a wrong name of each kind, with its line', () => {
    const sample = [
      '# A page',
      'Create with `createInstance()` and classify with `normalizeGpu`; fields `refId`.',
      'Split it with `tokenizeEverything()`, read `Instance.nonsenseField`, check `lifecycle.teleport`.',
      '',
      '```sh',
      'npx cloudplane instances launch --offer x --wait',
      'npx cloudplane instances teleport --now',
      'curl -X POST http://127.0.0.1:8430/v1/instances/abc/terminate',
      'curl http://127.0.0.1:8430/v1/nowhere',
      '```',
      'Also `cloudplane keys add --colour red` and `GET /v1/offers` and `DELETE /v1/offers`.',
      'With cloudplane: a flag `--json`, a wrong one `--jsonn`.',
      'Codes `INSUFFICIENT_CAPACITY`, `NO_SUCH_CODE`, a call `parseGpuSku(x)`, a file `ssh.ts`.',
      'Not ours (no command on this line): `--dport`, `g6e.xlarge`, `pending`, `TODO(spec)`.',
      'A route with an enum: `POST /v1/instances/:id/reboot`, `POST /v1/instances/:id/teleport`.',
    ].join('\n');
    const missing = missingIn('sample.md', sample, known);
    assert.deepEqual(missing, [
      'sample.md:3: `tokenizeEverything()`: tokenizeEverything in tokenizeEverything() is not an export nor a declared method or field',
      'sample.md:3: `Instance.nonsenseField`: nonsenseField in Instance.nonsenseField is not a declared member',
      'sample.md:3: `lifecycle.teleport`: lifecycle.teleport is not a conformance check id',
      'sample.md:7: `npx cloudplane instances teleport --now`: `cloudplane instances` has no command teleport',
      'sample.md:9: `curl http://127.0.0.1:8430/v1/nowhere`: no route /v1/nowhere',
      'sample.md:11: `cloudplane keys add --colour red`: `cloudplane keys add` has no option --colour',
      'sample.md:11: `DELETE /v1/offers`: no route DELETE /v1/offers (it answers GET)',
      'sample.md:12: `--jsonn`: no cloudplane command has --jsonn',
      'sample.md:13: `NO_SUCH_CODE`: NO_SUCH_CODE is not in our source',
      'sample.md:15: `POST /v1/instances/:id/teleport`: no route /v1/instances/:id/teleport',
    ]);
  });
});
