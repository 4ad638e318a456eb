// Persistence: one interface, SQLite (one process) and PostgreSQL (replicas), with the same contract tests.
export * from './types.js';
export { openSqliteStore } from './sqlite.js';
export { openPostgresStore } from './postgres.js';
export { SecretBox } from './secrets.js';
