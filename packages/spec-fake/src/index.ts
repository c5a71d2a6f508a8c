export * from './server.js';
export * from './spec.js';
