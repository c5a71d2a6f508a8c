import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { GpuRecordSchema } from '../../src/index.js';

/** The public corpus, kept in the SDK package beside the normalizer it checks. */
export const CORPUS_PATH = new URL('../../data/gpu-corpus.public.jsonl', import.meta.url);

const RowSchema = z.object({
  raw: z.string(),
  source: z.string(),
  context: z.record(z.string(), z.unknown()).optional(),
  expect: GpuRecordSchema,
  ref: z.string(),
  note: z.string().optional(),
});
export type CorpusRow = z.infer<typeof RowSchema>;

export function loadCorpus(): CorpusRow[] {
  if (!existsSync(CORPUS_PATH)) {
    throw new Error(
      `GPU corpus not found at ${CORPUS_PATH.pathname}: it ships in packages/sdk/data`,
    );
  }
  return readFileSync(CORPUS_PATH, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => RowSchema.parse(JSON.parse(line)));
}
