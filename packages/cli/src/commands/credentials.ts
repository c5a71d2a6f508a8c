import { Command } from '@commander-js/extra-typings';

// Placeholder until its issue lands: registered so that main.ts compiles.
export function credentialsCommand(): Command {
  return new Command('credentials').description('(not built yet)');
}
