import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { MODELS_FILE, SCHEMA_FILE, freshModels, freshSchema } from '../scripts/api-source.js';

const FIX = 'run `npm run generate -w @cloudplane/web` and commit the result';

describe('generated API types', { timeout: 120_000 }, () => {
  it('src/api/schema.d.ts is what the control plane serves at /openapi.json', async () => {
    assert.ok(
      (await readFile(SCHEMA_FILE, 'utf8')) === (await freshSchema()),
      `src/api/schema.d.ts is out of date: ${FIX}`,
    );
  });
  it("src/api/gpu-models.ts lists the SDK normalizer's models", async () => {
    assert.ok(
      (await readFile(MODELS_FILE, 'utf8')) === (await freshModels()),
      `src/api/gpu-models.ts is out of date: ${FIX}`,
    );
  });
});
