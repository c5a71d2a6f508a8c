#!/usr/bin/env node
// Runs `node --test` through tsx on an explicit list of test files.
// Node 20's test runner has no glob support, so we walk the tree ourselves.
// Usage: node scripts/run-tests.mjs [dir ...] [-- extra node --test flags]
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
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

// Most test files wait on timers, polls and child processes rather than the CPU, so they run a
// few at a time. Files that change the host's network state (namespaces, veth pairs, iptables)
// run one at a time afterwards: the firewall tests compare the host's iptables before and after.
// So do files marked `test:alone` (a workload that must reach its targets in bounded time).
const ALONE = /\bnetns\b|iptables|test:alone/;
const exclusive = selected.filter((f) => ALONE.test(readFileSync(f, 'utf8')));
const shared = selected.filter((f) => !exclusive.includes(f));
const concurrency = process.env.TEST_CONCURRENCY ?? '3';

/** Runs one `node --test` over `list`, streaming its report, and reads its totals. */
function runFiles(list, flags) {
  if (list.length === 0) return Promise.resolve({ passed: 0, failed: 0, status: 0 });
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=spec', ...flags, ...extra, ...list],
    { stdio: ['inherit', 'pipe', 'inherit'], cwd: repoRoot },
  );
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk.toString();
    process.stdout.write(chunk);
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const count = (label) => Number(new RegExp(`^ℹ ${label} (\\d+)$`, 'm').exec(out)?.[1] ?? 0);
      resolve({ passed: count('pass'), failed: count('fail'), status: code ?? 1 });
    });
  });
}

const runs = [
  await runFiles(shared, [`--test-concurrency=${concurrency}`]),
  await runFiles(exclusive, ['--test-concurrency=1']),
];
const passed = runs.reduce((n, r) => n + r.passed, 0);
const failed = runs.reduce((n, r) => n + r.failed, 0);
console.log(`\ntests: ${passed} passed, ${failed} failed`);
// node --test counts a suite that throws while it is being defined as no failed test, but it
// exits non-zero: say so, or the line above reads as a pass.
if (failed === 0 && runs.some((r) => r.status !== 0)) {
  console.log('tests: a file or suite failed outside its tests (see "not ok" above)');
}
process.exit(runs.some((r) => r.status !== 0) ? 1 : 0);
