#!/usr/bin/env node
// The `cloudplane` command: the CLI is TypeScript run through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
