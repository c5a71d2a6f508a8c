import { Command } from '@commander-js/extra-typings';

// Placeholder until its issue lands: registered so that main.ts compiles.
export function serveCommand(): Command {
  return new Command('serve').description('(not built yet)');
}
