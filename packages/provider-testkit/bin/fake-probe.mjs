#!/usr/bin/env node
// A probe command for `cloudplane conformance --probe-...`: asks a fake's probe server
// (serveProbes in @cloudplane/provider-testkit) to provoke or restore the failure, as
// CLOUDPLANE_PROBE says. Usage: fake-probe.mjs <probe url>
import { z } from 'zod';

const Args = z.tuple([z.url({ protocol: /^http$/, hostname: /^127\.0\.0\.1$/ })]);
const Action = z.enum(['provoke', 'restore']);

const args = Args.safeParse(process.argv.slice(2));
const action = Action.safeParse(process.env.CLOUDPLANE_PROBE);
if (!args.success || !action.success) {
  console.error(
    'usage: CLOUDPLANE_PROBE=provoke|restore fake-probe.mjs http://127.0.0.1:PORT/probes/NAME',
  );
  process.exit(2);
}
const response = await fetch(`${args.data[0]}/${action.data}`, { method: 'POST' });
const said = await response.text();
console.error(`fake probe: ${said}`);
process.exit(response.ok ? 0 : 1);
