import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { it } from 'node:test';
import { makeLogger } from '../src/logger.js';

/** The log's last guard: secret-named fields are redacted at the top and two levels down. */

it('redacts secret fields up to two levels deep, and says what it cannot reach', () => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = makeLogger({ level: 'info', destination });
  logger.info(
    {
      apiKey: 'top-secret-1',
      credential: { secretAccessKey: 'top-secret-2' },
      request: { body: { privateKey: 'top-secret-3' } },
      deeper: { a: { b: { token: 'reachable-only-by-scrubbing' } } },
    },
    'a line',
  );
  const line = lines.join('');
  for (const secret of ['top-secret-1', 'top-secret-2', 'top-secret-3']) {
    assert.ok(!line.includes(secret), `${secret} is redacted`);
  }
  assert.match(line, /\[redacted\]/);
  // Three levels down is past the fixed paths (docs/control-plane.md says so).
  assert.ok(line.includes('reachable-only-by-scrubbing'));
});
