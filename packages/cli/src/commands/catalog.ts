import { Command } from '@commander-js/extra-typings';

// Placeholder until its issue lands: registered so that main.ts compiles.
export function catalogCommand(): Command {
  return new Command('catalog').description('(not built yet)');
}
