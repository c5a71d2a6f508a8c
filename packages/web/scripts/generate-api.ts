import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { MODELS_FILE, SCHEMA_FILE, freshModels, freshSchema } from './api-source.js';

// Writes src/api/schema.d.ts (from a fresh control plane's /openapi.json) and
// src/api/gpu-models.ts (from the SDK). test/generated.test.ts fails when they drift.
await writeFile(SCHEMA_FILE, await freshSchema());
await writeFile(MODELS_FILE, await freshModels());
console.log(`wrote ${fileURLToPath(SCHEMA_FILE)}\nwrote ${fileURLToPath(MODELS_FILE)}`);
