#!/usr/bin/env node
// Runs the test files through tsx, each file in its own Node process (as `node --test` does),
// a few at a time, and ends with the slowest files: CI has a time budget, and Node 20's test
// runner reports no per-file time to see where it goes.
// Node 20's test runner has no glob support, so we walk the tree ourselves.
// Usage: node scripts/run-tests.mjs [dir|file ...] [-- extra node test flags]
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
// run one at a time, in a lane of their own beside them: the firewall tests compare the host's
// iptables before and after, and no other file touches it. Files marked `test:long` (minutes of
// killed and restarted servers, leases waited out) run one at a time in a third lane, from the
// start: they spend most of their time waiting, which the other lanes fill. Either side lane,
// once out of its own files, takes shared ones.
const LONG = /test:long/;
const NETWORK = /\bnetns\b|iptables/;
const sources = new Map(selected.map((f) => [f, readFileSync(f, 'utf8')]));
const long = selected.filter((f) => LONG.test(sources.get(f)));
const network = selected.filter((f) => !long.includes(f) && NETWORK.test(sources.get(f)));
const shared = selected.filter((f) => !long.includes(f) && !network.includes(f));
// TEST_CONCURRENCY is the width of the shared lane; the two side lanes run beside it, so up to
// two more files run at once (both side lanes take shared files once out of their own).
const concurrency = Number(process.env.TEST_CONCURRENCY ?? '3');
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error(
    `TEST_CONCURRENCY must be a whole number of shared files at a time, 1 or more; got "${process.env.TEST_CONCURRENCY}"`,
  );
  process.exit(2);
}

const runStarted = Date.now();

/** The files not started yet, by kind. */
const queues = { shared: [...shared], network: [...network], long: [...long] };

/** Files still running: their process, and what they have printed so far. */
const running = new Map();

/** Set by SIGINT or SIGTERM: no file starts after it, and the run exits with its status. */
let interrupted = null;

/** Runs one test file in its own process and prints its report in one piece when it ends. */
function runFile(file) {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test-reporter=spec', ...extra, file],
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: repoRoot },
  );
  const entry = { child, output: '' };
  running.set(file, entry);
  child.stdout.on('data', (chunk) => (entry.output += chunk.toString()));
  child.stderr.on('data', (chunk) => (entry.output += chunk.toString()));
  return new Promise((resolvePromise) => {
    // 'close' waits for the output pipes to end, which a process the file started and left
    // behind (a listener in a namespace, a killed file's server) can hold open for ever: once the
    // file's own process has exited, its output gets 2 s to drain, then the pipes are dropped.
    child.on('exit', () => {
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 2_000).unref();
    });
    child.on('close', (code, signal) => {
      running.delete(file);
      const seconds = (Date.now() - started) / 1000;
      // The last count: an earlier one can come from a nested run quoted in an assertion.
      const count = (label) =>
        Number(
          [...entry.output.matchAll(new RegExp(`^ℹ ${label} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0,
        );
      const result = {
        file: relative(repoRoot, file),
        seconds,
        passed: count('pass'),
        failed: count('fail'),
        todo: count('todo'),
        skipped: count('skipped'),
        status: code ?? 1,
        output: entry.output,
        endedAt: (Date.now() - runStarted) / 1000,
      };
      const mark = result.status === 0 ? '✔' : '✖';
      const how = signal ? `, killed by ${signal}` : result.status ? `, exit ${result.status}` : '';
      process.stdout.write(`\n${mark} ${result.file} (${seconds.toFixed(1)} s${how})\n`);
      process.stdout.write(entry.output);
      resolvePromise(result);
    });
  });
}

/**
 * One lane: runs the files of `kinds` one at a time, from the first kind's queue until it is
 * empty, then from the next (the queues are shared with other lanes). Each result keeps its kind.
 */
async function lane(kinds) {
  const results = [];
  for (const kind of kinds) {
    const queue = queues[kind];
    for (let file = queue.shift(); file && !interrupted; file = queue.shift()) {
      results.push({ ...(await runFile(file)), kind });
    }
  }
  return results;
}

// Interrupted: each running file gets the same signal, so its own cleanup runs (network
// namespaces, clusters, servers), and is killed if it has not ended 10 s later; its report, as
// far as it got, is printed when it ends.
const KILL_AFTER_MS = 10_000;
for (const [signal, status] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = { signal, status };
    for (const { child } of running.values()) child.kill(signal);
    setTimeout(() => {
      for (const { child } of running.values()) child.kill('SIGKILL');
    }, KILL_AFTER_MS).unref();
  });
}

// A side lane that runs out of its own files takes shared ones, so the machine stays as busy.
const results = (
  await Promise.all([
    ...Array.from({ length: concurrency }, () => lane(['shared'])),
    lane(['network', 'shared']),
    lane(['long', 'shared']),
  ])
).flat();
const endedAt = (kind) =>
  Math.max(0, ...results.filter((r) => r.kind === kind).map((r) => r.endedAt)).toFixed(0);

const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, 15);
console.log(
  `\nlanes: ${concurrency} for ${shared.length} shared files, one for ${network.length} network ` +
    `files, one for ${long.length} long files, then shared ones; the last shared file ended at ` +
    `${endedAt('shared')} s, network ${endedAt('network')} s, long ${endedAt('long')} s; slowest ` +
    `files (wall seconds):`,
);
for (const { file, seconds } of slowest) console.log(`${seconds.toFixed(1).padStart(8)}  ${file}`);

/** A report's lines without its passes and counts, the last 60 of them. */
function besidesPasses(output) {
  const noise = /^\s*(✔|▶)|^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /;
  return output
    .split('\n')
    .filter((line) => line.trim() !== '' && !noise.test(line))
    .slice(-60);
}

const total = (key) => results.reduce((n, r) => n + r[key], 0);
const broken = results.filter((r) => r.status !== 0);
console.log(
  `\ntests: ${total('passed')} passed, ${total('failed')} failed, ` +
    `${total('todo')} todo, ${total('skipped')} skipped, in ${results.length} files`,
);
// A file can fail outside its tests (a suite that throws while it is defined, a crash, a hook
// that throws, a rejection after its test ended): its tests count no failure but its process
// exits non-zero. Name it, or the line above reads as a pass, and repeat what it printed besides
// its passes: CI logs keep their tail, and the file's own report is far above it.
for (const r of broken) {
  console.log(`tests: ${r.file} exited ${r.status}; what it printed besides its passes:`);
  for (const line of besidesPasses(r.output)) console.log(`  | ${line}`);
}
if (interrupted) {
  console.log(`tests: interrupted by ${interrupted.signal}`);
  process.exit(interrupted.status);
}
if (results.length !== selected.length) {
  console.log(`tests: ${selected.length - results.length} of ${selected.length} files never ran`);
  process.exit(1);
}
process.exit(broken.length > 0 ? 1 : 0);
