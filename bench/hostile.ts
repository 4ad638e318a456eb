/**
 * 20 well-behaved clients beside 1 hostile one, on a gateway with two API keys (so the fair queues
 * can tell them apart). The well-behaved clients ask `invoices(first: 100)` with lines; the hostile
 * one sends, in turn, the query that once took the process down, 5,000 aliases, 450,000 __typename,
 * nesting 5,000 deep, and the heaviest query the limits let through (20 distinct lists, 20 upstream
 * calls). Figures: the well-behaved clients' p50/p99 without and with the hostile client, and what
 * happened to the hostile requests.
 */
import autocannon from 'autocannon';
import { spawnGateway } from '../test/helpers/gatewayProcess.js';

const CALM = 'calm-key-0123456789abcdef';
const HOSTILE = 'hostile-key-0123456789abcdef';

function hostileBodies(ag: string): string[] {
  const nested = '{ feeds { entries(first:100) { edges { node { id feed { entries(first:100) { edges { node { id feed { entries(first:100) { edges { node { id } } } } } } } } } } } } }';
  const aliases = Array.from({ length: 5000 }, (_, i) => `a${i}: invoices(filter: { source: INFORMAT, accessGroup: "${ag}", schoolYear: "2023-24" }) { totalCount }`).join(' ');
  const typename = `{ ${'__typename '.repeat(450_000)}}`;
  const deep = `{ ${'feeds { feed: entries { edges { node { '.repeat(1250)}id${' } } } }'.repeat(1250)} }`;
  const heaviest = `{ ${Array.from({ length: 20 }, (_, i) => `h${i}: invoices(filter: { source: INFORMAT, accessGroup: "${ag}", schoolYear: "2023-24", minTotal: "${i}.01" }, first: 100) { edges { node { id lines { total { amount } } } } }`).join(' ')} }`;
  return [nested, aliases, typename, deep, heaviest].map((query) => JSON.stringify({ query }));
}

export async function hostileNeighbour(env: Record<string, string>, gatewayBody: string, ag: string, seconds: number): Promise<void> {
  const gateway = await spawnGateway({ ...env, API_KEYS: `calm:${CALM},hostile:${HOSTILE}`, DATA_DIR: `/tmp/gateway-bench-hostile-${process.pid}` });
  const calm = { url: `${gateway.url}/graphql`, method: 'POST' as const, headers: { 'content-type': 'application/json', authorization: `Bearer ${CALM}` }, body: gatewayBody, connections: 20 };
  await autocannon({ ...calm, duration: 2 });
  const alone = await autocannon({ ...calm, duration: seconds });

  const bodies = hostileBodies(ag);
  const outcome = new Map<string, number>();
  let stop = false;
  const attacker = (async () => {
    for (let i = 0; !stop; i++) {
      const res = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${HOSTILE}` }, body: bodies[i % bodies.length] });
      const json = (await res.json().catch(() => ({}))) as { errors?: { extensions?: { code?: string } }[] };
      const code = json.errors?.[0]?.extensions?.code ?? `HTTP ${res.status} ok`;
      outcome.set(code, (outcome.get(code) ?? 0) + 1);
    }
  })();
  const beside = await autocannon({ ...calm, duration: seconds });
  stop = true;
  await attacker;
  const health = await fetch(`${gateway.url}/healthz`);

  const row = (label: string, r: Awaited<ReturnType<typeof autocannon>>) =>
    `  ${label.padEnd(34)} ${r.requests.average.toFixed(0).padStart(6)} req/s   p50 ${r.latency.p50.toFixed(1).padStart(6)} ms   p99 ${r.latency.p99.toFixed(1).padStart(6)} ms   errors ${r.errors + r.non2xx}`;
  console.log('20 well-behaved clients (invoices(first: 100) with lines) beside 1 hostile client:');
  console.log(row('without the hostile client', alone));
  console.log(row('with the hostile client', beside));
  console.log(`  hostile requests by outcome: ${[...outcome].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`  gateway peak RSS ${gateway.peakRssMb().toFixed(0)} MB; /healthz after the attack: ${health.status}\n`);
  await gateway.stop();
}
