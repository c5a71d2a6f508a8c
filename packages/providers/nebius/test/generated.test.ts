import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generate } from '../scripts/generate.js';

const committed = fileURLToPath(new URL('../src/generated', import.meta.url));

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(relative(dir, path), readFileSync(path, 'utf8'));
  }
  return out;
}

describe('the generated protos and types', () => {
  it('are what `npm run generate` makes from proto/ today (no drift)', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'nebius-generated-'));
    try {
      generate(fresh);
      const want = files(fresh);
      const have = files(committed);
      assert.deepEqual(
        [...have.keys()].sort(),
        [...want.keys()].sort(),
        'src/generated has other files than a fresh generation: run `npm run generate` in packages/providers/nebius',
      );
      for (const [path, text] of want) {
        assert.equal(
          have.get(path),
          text,
          `src/generated/${path} differs from a fresh generation: run \`npm run generate\``,
        );
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
