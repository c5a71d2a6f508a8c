import { randomUUID } from 'node:crypto';
import { instances } from '../../src/db/schema.js';

/**
 * An `instances` row for tests and benches that write rows straight into the database: a
 * pending one-GPU `gpu` instance in `here-1` of `userId`, with fresh ids, then `overrides`. One
 * place to change when the table gains a required column.
 */
export function instanceRowValues(
  userId: string,
  overrides: Partial<typeof instances.$inferInsert> = {},
): typeof instances.$inferInsert {
  const id = overrides.id ?? randomUUID();
  const now = new Date();
  return {
    id,
    refId: randomUUID(),
    userId,
    provider: 'test',
    name: `vm-${id.slice(0, 8)}`,
    typeId: 'here-1/gpu',
    location: 'here-1',
    instanceType: 'gpu',
    gpuCount: 1,
    sshKeyIds: [],
    tags: {},
    state: 'pending',
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
