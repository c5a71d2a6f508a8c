#!/usr/bin/env node
import { Command } from '@commander-js/extra-typings';
import { catalogCommand } from './commands/catalog.js';
import { conformanceCommand } from './commands/conformance.js';
import { devcloudCommand } from './commands/devcloud.js';
import { gpuCommand } from './commands/gpu.js';
import { credentialsCommand } from './commands/credentials.js';
import { providersCommand } from './commands/providers.js';
import { serveCommand } from './commands/serve.js';
import { tokensCommand } from './commands/tokens.js';
import { usersCommand } from './commands/users.js';
import { keysCommand } from './commands/keys.js';
import { instancesCommand } from './commands/instances.js';
import { providerCommand } from './commands/provider.js';

const program = new Command('cloudplane')
  .description('GPU cloud control plane: catalog sync, provisioning, conformance')
  .version('0.1.0')
  .showHelpAfterError()
  .addCommand(serveCommand())
  .addCommand(credentialsCommand())
  .addCommand(tokensCommand())
  .addCommand(usersCommand())
  .addCommand(keysCommand())
  .addCommand(instancesCommand())
  .addCommand(providersCommand())
  .addCommand(catalogCommand())
  .addCommand(gpuCommand())
  .addCommand(devcloudCommand())
  .addCommand(conformanceCommand())
  .addCommand(providerCommand());

await program.parseAsync(process.argv);
