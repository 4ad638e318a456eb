// The domain layer: pure, upstream-agnostic logic. Nothing here does I/O.
export * from './ogm.js';
export * from './money.js';
export * from './globalId.js';
export * from './cursor.js';
export * from './page.js';
export * from './address.js';
export type * from './models.js';
