import { Command } from '@commander-js/extra-typings';

// Placeholder until its issue lands: registered so that main.ts compiles.
export function gpuCommand(): Command {
  return new Command('gpu').description('(not built yet)');
}
