#!/usr/bin/env node
// Builds the dashboard (vite build) when packages/web/dist is missing or older than any of its
// sources; otherwise does nothing, in a few milliseconds. `npm start` runs it first (prestart),
// and so does the browser test, so a fresh clone serves a built dashboard with no extra step.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const web = join(import.meta.dirname, '..');
const built = join(web, 'dist', 'index.html');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

const sources = ['src', 'index.html', 'vite.config.ts', 'package.json'].map((p) => join(web, p));
const stale =
  !existsSync(built) || statSync(built).mtimeMs < Math.max(...sources.map((p) => newest(p)));
if (stale) {
  const vite = join(
    dirname(createRequire(join(web, 'package.json')).resolve('vite/package.json')),
    'bin',
    'vite.js',
  );
  console.error('cloudplane: building the web dashboard (packages/web)…');
  const run = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: web,
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    console.error('cloudplane: the dashboard build failed; see above');
    process.exit(run.status ?? 1);
  }
}
