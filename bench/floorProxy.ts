/**
 * The floor for the invoices benchmark: a proxy that forwards the bytes of a request to the Informat
 * sandbox and the bytes of its answer back, in its own process like the gateway. What the gateway
 * costs beyond this is its own work (parsing, checking, mapping), not the extra hop.
 *
 *   node --import tsx bench/floorProxy.ts http://127.0.0.1:PORT/graphql   -> prints "FLOOR http://127.0.0.1:PORT"
 */
import { createServer } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';

const target = new URL(process.argv[2]!);
const pool = new Pool(target.origin, { connections: 64 });

const server = createServer(async (req, res) => {
  try {
    const up = await pool.request({ method: 'POST', path: target.pathname, headers: { 'content-type': 'application/json', authorization: String(req.headers.authorization ?? '') }, body: req });
    res.writeHead(up.statusCode, { 'content-type': String(up.headers['content-type'] ?? 'application/json') });
    await pipeline(up.body, res);
  } catch {
    // The load generator closes its connections at the end of a run, mid-answer.
    if (res.headersSent) res.destroy();
    else res.writeHead(502).end();
  }
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`FLOOR http://127.0.0.1:${(server.address() as { port: number }).port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
