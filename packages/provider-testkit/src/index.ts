export * from './fake.js';
export * from './conformance.js';
export * from './probe-server.js';
export * from './tables.js';
export * from './robustness.js';
export { HttpAnswer, type InjectedFault, type ReceivedRequest } from '@cloudplane/spec-fake';
