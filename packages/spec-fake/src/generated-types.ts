import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * Runs an adapter package's own `npm run generate` (openapi-typescript) with only its `-o`
 * output redirected to a temporary file, and returns the fresh text beside the committed one,
 * so the adapter's test can prove the committed client types have not drifted from the spec.
 */

const Manifest = z.object({ scripts: z.object({ generate: z.string() }) });

const CLI = fileURLToPath(
  new URL('../../../node_modules/openapi-typescript/bin/cli.js', import.meta.url),
);

export interface Regenerated {
  readonly fresh: string;
  readonly committed: string;
}

export function regenerateClientTypes(packageDir: string): Regenerated {
  const manifest = Manifest.parse(
    JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')),
  );
  const args = manifest.scripts.generate.split(' ');
  if (args[0] !== 'openapi-typescript') {
    throw new Error(`${packageDir}: the generate script must run openapi-typescript`);
  }
  const outAt = args.indexOf('-o');
  const committedPath = args[outAt + 1];
  if (outAt < 0 || committedPath === undefined) {
    throw new Error(`${packageDir}: the generate script must name its output with -o`);
  }
  const work = mkdtempSync(join(tmpdir(), 'cloudplane-generate-'));
  try {
    const output = join(work, 'api.ts');
    args[outAt + 1] = output;
    const run = spawnSync(process.execPath, [CLI, ...args.slice(1)], {
      cwd: packageDir,
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`openapi-typescript failed: ${run.stderr}`);
    return {
      fresh: readFileSync(output, 'utf8'),
      committed: readFileSync(join(packageDir, committedPath), 'utf8'),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
