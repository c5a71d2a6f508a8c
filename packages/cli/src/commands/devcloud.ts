import { Command } from '@commander-js/extra-typings';

// Placeholder until its issue lands: registered so that main.ts compiles.
export function devcloudCommand(): Command {
  return new Command('devcloud').description('(not built yet)');
}
