import autocannon from 'autocannon';
import { z } from 'zod';

/**
 * The load bench's client, run as its own process so that its sockets and JSON parsing do not
 * share an event loop with the server it measures: autocannon keeps `connections` requests in
 * flight until `amount` have been answered, cycling through `paths`. Prints one JSON line.
 */

const Job = z.object({
  url: z.url(),
  token: z.string(),
  paths: z.array(z.string()).min(1),
  connections: z.number().int().positive(),
  amount: z.number().int().positive(),
});

const job = Job.parse(JSON.parse(process.argv[2] ?? '{}'));
const cpuBefore = process.cpuUsage();
const result = await autocannon({
  url: job.url,
  connections: job.connections,
  amount: job.amount,
  timeout: 60,
  headers: { authorization: `Bearer ${job.token}` },
  requests: job.paths.map((path) => ({ method: 'GET' as const, path })),
});
console.log(
  JSON.stringify({
    requests: result.requests.total,
    seconds: result.duration,
    perSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    bytesPerSecond: result.throughput.average,
    // The client's own CPU: near the run's length means the client, not the server, set the pace.
    clientCpuSeconds: (process.cpuUsage(cpuBefore).user + process.cpuUsage(cpuBefore).system) / 1e6,
  }),
);
