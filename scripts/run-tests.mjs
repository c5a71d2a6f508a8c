#!/usr/bin/env node
// Runs `node --test` through tsx on an explicit list of test files.
// Node 20's test runner has no glob support, so we walk the tree ourselves.
// Usage: node scripts/run-tests.mjs [dir ...] [-- extra node --test flags]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const SKIP = new Set(['node_modules', 'dist', '.git', 'generated']);
const args = process.argv.slice(2);
const sep = args.indexOf('--');
const roots = (sep === -1 ? args : args.slice(0, sep)).map((d) => resolve(d));
const extra = sep === -1 ? [] : args.slice(sep + 1);
const repoRoot = resolve(import.meta.dirname, '..');
if (roots.length === 0) roots.push(join(repoRoot, 'packages'));

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const files = roots
  .flatMap((root) => (statSync(root).isDirectory() ? collect(root, []) : [root]))
  .sort();
if (files.length === 0) {
  console.error(
    `no *.test.ts files under ${roots.map((r) => relative(repoRoot, r) || '.').join(', ')}`,
  );
  process.exit(1);
}
const filter = process.env.TEST_FILTER;
const selected = filter ? files.filter((f) => f.includes(filter)) : files;
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...extra, ...selected],
  { stdio: 'inherit', cwd: repoRoot },
);
process.exit(result.status ?? 1);
