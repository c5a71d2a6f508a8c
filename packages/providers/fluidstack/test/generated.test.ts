import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { regenerateClientTypes } from '@cloudplane/spec-fake';

describe('the generated client types', () => {
  it('are what `npm run generate` makes from the spec today (no drift)', () => {
    const { fresh, committed } = regenerateClientTypes(
      fileURLToPath(new URL('..', import.meta.url)),
    );
    assert.equal(
      fresh,
      committed,
      'src/generated/api.ts differs from a fresh generation: run `npm run generate` in packages/providers/fluidstack and commit the result',
    );
  });
});
