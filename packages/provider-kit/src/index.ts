export * from './answer-memo.js';
export * from './http.js';
export * from './launch.js';
export * from './once.js';
export * from './ssh-keys.js';
