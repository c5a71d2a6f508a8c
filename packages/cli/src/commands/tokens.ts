import { Command } from '@commander-js/extra-typings';

// Placeholder until its issue lands: registered so that main.ts compiles.
export function tokensCommand(): Command {
  return new Command('tokens').description('(not built yet)');
}
