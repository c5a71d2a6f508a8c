import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const committed = fileURLToPath(new URL('../src/generated/api.ts', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'shadeform-generate-'));

describe('the generated client types', () => {
  after(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('are what `npm run generate` makes from the spec today (no drift)', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      scripts: { generate: string };
    };
    // Run the package's own generate command, with only the output redirected.
    const args = manifest.scripts.generate.split(' ');
    assert.equal(args[0], 'openapi-typescript');
    const outAt = args.indexOf('-o');
    assert.ok(outAt > 0, 'the generate script names its output with -o');
    const output = join(work, 'api.ts');
    args[outAt + 1] = output;
    const bin = fileURLToPath(
      new URL('../../../../node_modules/openapi-typescript/bin/cli.js', import.meta.url),
    );
    const run = spawnSync(process.execPath, [bin, ...args.slice(1)], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      readFileSync(output, 'utf8'),
      readFileSync(committed, 'utf8'),
      'src/generated/api.ts differs from a fresh generation: run `npm run generate` in packages/providers/shadeform and commit the result',
    );
  });
});
