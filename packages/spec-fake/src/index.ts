export * from './server.js';
export * from './spec.js';
export * from './generated-types.js';
