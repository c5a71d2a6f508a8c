import { startDevcloud } from '../src/index.js';

/**
 * How fast devcloud serves a full list walk at scale (100,000 instances, 10,000 types), against
 * a floor of JSON.stringify + JSON.parse of the same pages (what any HTTP JSON API must at least
 * do). Prints figures and ratios; asserts nothing about time.
 */
const INSTANCES = 100_000;
const TYPES = 10_000;
const PAGE = 500;

const cloud = await startDevcloud({ catalogSize: TYPES, seedInstances: INSTANCES });
const headers = { authorization: `Bearer ${cloud.apiKey}` };

async function walk(
  path: string,
  key: string,
): Promise<{ ms: number; items: number; pages: number; bodies: unknown[] }> {
  const t0 = performance.now();
  let cursor: string | null = null;
  let items = 0;
  let pages = 0;
  const bodies: unknown[] = [];
  do {
    const response = await fetch(
      `${cloud.url}${path}?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`,
      { headers },
    );
    const body = (await response.json()) as Record<string, unknown> & {
      next_cursor: string | null;
    };
    items += (body[key] as unknown[]).length;
    bodies.push(body);
    cursor = body.next_cursor;
    pages++;
  } while (cursor !== null);
  return { ms: performance.now() - t0, items, pages, bodies };
}

function floor(bodies: unknown[]): number {
  const t0 = performance.now();
  for (const body of bodies) JSON.parse(JSON.stringify(body));
  return performance.now() - t0;
}

for (const [path, key] of [
  ['/v1/instances', 'instances'],
  ['/v1/instance-types', 'instance_types'],
] as const) {
  await walk(path, key); // warm-up
  const run = await walk(path, key);
  const floorMs = floor(run.bodies);
  console.log(
    `${path}: ${run.items} items in ${run.pages} pages, ${run.ms.toFixed(0)} ms ` +
      `(${((run.items / run.ms) * 1000).toFixed(0)} items/s, ${((run.pages / run.ms) * 1000).toFixed(0)} pages/s); ` +
      `floor (stringify+parse) ${floorMs.toFixed(0)} ms; ratio ${(run.ms / floorMs).toFixed(1)}x`,
  );
}
const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
console.log(
  `heap in use with ${INSTANCES} instances and ${TYPES} types: ${heapMiB.toFixed(0)} MiB`,
);
await cloud.close();
