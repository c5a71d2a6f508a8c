export * from './rules.js';
export * from './cidr.js';
export * from './validate.js';
export * from './script.js';
export * from './cloud-init.js';
export * from './allowlist.js';
