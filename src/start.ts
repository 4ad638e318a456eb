/**
 * The process entry (`npm start`, `npm run serve`, the container). It sets NODE_ENV before any
 * module is loaded, because graphql-js reads it at import time and runs several times slower
 * without `production`; setting it here rather than in a shell wrapper keeps this node process
 * the one that receives SIGTERM.
 */
process.env.NODE_ENV ??= 'production';
await import('./main.js');
