import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ENTRY = resolve(import.meta.dirname, '../src/index.ts');

/**
 * In a fresh process: loads the package entry, makes a client, then makes one call, and prints
 * how many AWS SDK modules (@aws-sdk, @smithy) Node had loaded after each step (the SDK is
 * CommonJS, so its modules are in require's cache), and the error code the offline call ends with.
 */
const PROBE = `
import { createRequire } from 'node:module';
const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => /\\/@(aws-sdk|smithy)\\//.test(k)).length;
const { createAwsProvider, AwsCredentialSchema } = await import(${JSON.stringify(ENTRY)});
const entry = loaded();
const credential = AwsCredentialSchema.parse({
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  regions: ['us-east-1'],
});
const client = createAwsProvider({ retry: { attempts: 1 } }).makeClient({
  credential,
  cloudCredRefId: '00000000-0000-4000-8000-000000000000',
  fetch: () => Promise.reject(new Error('offline')),
});
const made = loaded();
const failed = await client.getLocations().then(() => 'answered', (err) => err.code ?? err.message);
console.log(JSON.stringify({ entry, made, called: loaded(), failed }));
`;

describe('the provider entry', () => {
  it('loads no AWS SDK code until a client makes its first call', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', PROBE],
      { cwd: import.meta.dirname },
    );
    const counts = JSON.parse(stdout) as {
      entry: number;
      made: number;
      called: number;
      failed: string;
    };
    assert.equal(counts.entry, 0, 'importing the entry loads none');
    assert.equal(counts.made, 0, 'making a client loads none');
    assert.ok(counts.called > 0, `the first call loads the SDK: ${stdout}`);
    assert.equal(
      counts.failed,
      'SERVICE_UNAVAILABLE',
      'the call went to the offline fetch, through the real client',
    );
  });
});
