// Persistence: one interface, SQLite now, PostgreSQL to follow with the same contract tests.
export * from './types.js';
export { openSqliteStore } from './sqlite.js';
export { SecretBox } from './secrets.js';
