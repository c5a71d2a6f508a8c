#!/usr/bin/env node
// Runs every packages/**/bench/*.bench.ts in sequence, each in its own process so that
// one benchmark's heap and timers never skew the next. Benches print their own figures.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '..');
const filter = process.argv[2];

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue; // dot-dirs: scratch copies, .git
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.bench.ts') && path.includes('/bench/')) out.push(path);
  }
  return out;
}

const benches = collect(join(repoRoot, 'packages'), [])
  .sort()
  .filter((f) => !filter || f.includes(filter));
if (benches.length === 0) {
  console.error('no benchmarks found');
  process.exit(1);
}
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${relative(repoRoot, file)} ===`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', file], {
    stdio: 'inherit',
    cwd: repoRoot,
  });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
