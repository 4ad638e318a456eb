// The one HTTP layer all REST upstreams use (and the GraphQL one, through `fetchAdapter`).
export * from './errors.js';
export * from './types.js';
export * from './transport.js';
export * from './retry.js';
export * from './breaker.js';
export * from './limiter.js';
export * from './oauth2.js';
export * from './fetchAdapter.js';
export * from './wire.js';
export * from './operation.js';
export * from './body.js';
