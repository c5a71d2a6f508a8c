export * from './vault/index.js';
