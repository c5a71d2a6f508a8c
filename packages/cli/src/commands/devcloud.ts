import { readFile } from 'node:fs/promises';
import { Command, Option } from '@commander-js/extra-typings';
import type { MachineBackend } from '@cloudplane/devcloud';
import { z } from 'zod';
import { writeSecretFile } from '../secret-file.js';

/** `cloudplane devcloud serve`: run the local GPU cloud. */

const PortSchema = z.coerce.number().int().min(0).max(65535);
const CountSchema = z.coerce.number().int().positive();

async function backendFor(kind: 'virtual' | 'netns'): Promise<MachineBackend | undefined> {
  if (kind === 'virtual') return undefined;
  const netns = (await import('@cloudplane/devcloud')) as Record<string, unknown>;
  const create = netns.createNetnsBackend;
  if (typeof create !== 'function') {
    throw new Error('the netns backend is not available in this build; use --backend virtual');
  }
  return await (create as () => Promise<MachineBackend>)();
}

export function devcloudCommand(): Command {
  const devcloud = new Command('devcloud').description('a local GPU cloud with a real HTTP API');
  devcloud
    .command('serve')
    .description('start devcloud; prints its URL and an API key')
    .option('--port <n>', 'port to listen on (0 = any free port)', '7070')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .addOption(
      new Option('--backend <kind>', 'machine backend')
        .choices(['virtual', 'netns'] as const)
        .default('virtual' as const),
    )
    .option(
      '--credential-out <file>',
      'write {"apiKey","baseUrl"} here (mode 0600) for --credential flags',
    )
    .option('--seed <n>', 'seed for the catalog and fault decisions', '1')
    .option('--types <n>', 'number of instance types in the catalog', '40')
    .option('--faults <file>', 'fault-injection config (JSON, see docs/devcloud.md)')
    .action(async (options) => {
      const port = PortSchema.safeParse(options.port);
      const seed = z.coerce.number().int().safeParse(options.seed);
      const types = CountSchema.safeParse(options.types);
      if (!port.success) return devcloud.error(`--port must be 0-65535, got "${options.port}"`);
      if (!seed.success)
        return devcloud.error(`--seed must be a whole number, got "${options.seed}"`);
      if (!types.success)
        return devcloud.error(`--types must be a positive whole number, got "${options.types}"`);
      const { FaultConfigSchema, startDevcloud } = await import('@cloudplane/devcloud');
      let faults = {};
      if (options.faults !== undefined) {
        const parsed = FaultConfigSchema.safeParse(
          JSON.parse(await readFile(options.faults, 'utf8')),
        );
        if (!parsed.success) {
          return devcloud.error(
            `--faults ${options.faults}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
          );
        }
        faults = parsed.data;
      }
      const backend = await backendFor(options.backend);
      const cloud = await startDevcloud({
        port: port.data,
        host: options.host,
        seed: seed.data,
        catalogSize: types.data,
        faults,
        ...(backend ? { backend } : {}),
      });
      if (options.credentialOut !== undefined) {
        writeSecretFile(
          options.credentialOut,
          `${JSON.stringify({ apiKey: cloud.apiKey, baseUrl: cloud.url })}\n`,
        );
      }
      process.stdout.write(
        `devcloud listening on ${cloud.url}\napi key:   ${cloud.apiKey}\nadmin key: ${cloud.adminKey}\n`,
      );
      const stop = () => {
        void cloud.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  return devcloud;
}
