export * from './apps.js';
export * from './errors.js';
export * from './tokens.js';
