import { Command } from '@commander-js/extra-typings';

// Placeholder until its issue lands: registered so that main.ts compiles.
export function conformanceCommand(): Command {
  return new Command('conformance').description('(not built yet)');
}
