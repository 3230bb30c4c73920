export * from './accounts.js';
export * from './apps.js';
export * from './errors.js';
export * from './keyword-rules.js';
export * from './templates.js';
export * from './tokens.js';
