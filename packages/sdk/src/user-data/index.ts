export * from './detect.js';
export * from './compose.js';
