/**
 * `npm run bench`: figures from one run on the simulators, printed, never asserted.
 *
 * invoices(first: 100) with lines at 1, 20 and 50 clients: direct to the Informat sandbox, through a
 * byte-forwarding proxy (the floor) and through the gateway, with CPU per request and peak RSS; the
 * cached repeat; then capability batches, CodaBox feeds beside direct, streaming, the cross-source
 * figures, Ibanity and replicas. BENCH_ONLY=invoices|cross-source|ibanity|replicas runs one part.
 */
import { execSync } from 'node:child_process';
import { CONNECTIONS, cpuMs, DURATION, fmt, load } from './load.js';
import { crossSourceBench } from './crossSource.js';
import { invoicesAgainstFloor } from './invoicesFloor.js';
import { startInformatSandbox, SAMPLE_ACCESS_GROUP, LARGE_PDF_INVOICE_ID } from '../src/sandbox/informat/index.js';
import { invoiceId } from '../src/sources/informat/index.js';
import { groupsQuery, groupWhere, invoiceSelection, invoiceWhere } from '../src/sources/informat/query.js';
import { spawnGateway } from '../test/helpers/gatewayProcess.js';
import { informatToken } from '../test/helpers/informatToken.js';
import { MAPI_SANDBOX_USERS, startMapiSandbox } from '../src/sandbox/mapi/index.js';
import { startCodaboxSandbox } from '../src/sandbox/codabox/index.js';
import { feedId } from '../src/sources/codabox/index.js';
import { gatewayEnvFor } from '../test/helpers/gatewayEnv.js';
import { hostileNeighbour } from './hostile.js';
import { ibanityBench } from './ibanity.js';
import { replicasBench } from './replicas.js';

const AG = SAMPLE_ACCESS_GROUP.identifier;

async function main() {
  // The gateway runs as production runs it: compiled `dist/`, built here first. BENCH_TSX=1 runs src/ through tsx.
  if (!process.env.BENCH_TSX) {
    execSync('npm run -s build', { stdio: 'inherit' });
    process.env.BENCH_DIST = '1';
  }
  // BENCH_ONLY=ibanity runs only Ibanity's figures (also: replicas, cross-source).
  if (process.env.BENCH_ONLY === 'ibanity') return ibanityBench();
  if (process.env.BENCH_ONLY === 'replicas') return replicasBench();
  const sandbox = await startInformatSandbox();
  const mapi = await startMapiSandbox();
  const codabox = await startCodaboxSandbox();
  const group = sandbox.data.groups.find((g) => g.accessGroup === AG && g.schoolYear === '2023-24' && g.invoiceGroupType === 'STUDENT')!;
  const gateway = await spawnGateway({
    ...(await gatewayEnvFor({ INFORMAT: sandbox, MAPI: mapi, CODABOX: codabox })),
    INFORMAT_ACCESS_GROUPS: AG,
    // Every run asks MAPI for real: no answers reused across requests.
    CAPABILITY_CACHE_TTL_SECONDS: '0',
    DATA_DIR: `/tmp/gateway-bench-${process.pid}`,
  });

  const gatewayQuery = `query($g: ID!) { invoices(filter: { source: INFORMAT, schoolYear: "2023-24", invoiceGroupId: $g }, first: 100) { edges { node {
    id kind issueDate dueDate total { amount } paid { amount } open { amount } paymentReference { formatted }
    recipient { firstName lastName className } lines { group description quantity unitPrice { amount } total { amount } } } } } }`;
  const gatewayBody = JSON.stringify({ query: gatewayQuery, variables: { g: String(group.id) } });

  // The Informat request the gateway makes for that query, sent directly.
  const selection = invoiceSelection({ issueDate: {}, dueDate: {}, paid: {}, open: {}, paymentReference: {}, recipient: {}, lines: {} });
  const directQuery = groupsQuery({ groupWhere: groupWhere({ groupNumber: group.id }), invoices: { where: invoiceWhere({}), selection } });
  const token = await informatToken(sandbox, AG);
  const directBody = JSON.stringify({ query: directQuery, variables: { accessGroupIdentifier: AG, schoolYear: '2023-24' } });

  const check = (await (await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: gatewayBody })).json()) as any;
  if (check.errors || check.data.invoices.edges.length !== 100) throw new Error(`gateway query failed: ${JSON.stringify(check).slice(0, 500)}`);

  // The fresh gateways of the invoices and feeds figures.
  const gatewayEnv = { ...(await gatewayEnvFor({ INFORMAT: sandbox, MAPI: mapi, CODABOX: codabox })), INFORMAT_ACCESS_GROUPS: AG, CAPABILITY_CACHE_TTL_SECONDS: '0', DATA_DIR: `/tmp/gateway-bench-floor-${process.pid}` };

  // BENCH_ONLY=invoices runs only the invoices figures and the CodaBox feeds beside direct.
  if (process.env.BENCH_ONLY === 'invoices') {
    await invoicesAgainstFloor({ informatGraphqlUrl: `${sandbox.apiUrl}/graphql`, token, directBody, gatewayEnv, gatewayBody });
    await feedsCachedAndNot(gateway, codabox, gatewayEnv);
    await gateway.stop();
    await Promise.all([sandbox.close(), mapi.close(), codabox.close()]);
    return;
  }
  // BENCH_ONLY=cross-source runs only the cross-source figures (validation, invoices across sources, reconciliation).
  if (process.env.BENCH_ONLY === 'cross-source') {
    await crossSourceBench(gateway.url, gatewayBody);
    await gateway.stop();
    await Promise.all([sandbox.close(), mapi.close(), codabox.close()]);
    return;
  }

  await invoicesAgainstFloor({ informatGraphqlUrl: `${sandbox.apiUrl}/graphql`, token, directBody, gatewayEnv, gatewayBody });

  // Upstream requests per operation, from the gateway the other figures use.
  await load('through the gateway', { url: `${gateway.url}/graphql`, headers: { 'content-type': 'application/json' }, body: gatewayBody }, CONNECTIONS);
  const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
  const sum = (re: RegExp) => [...metrics.matchAll(re)].reduce((s, m) => s + Number(m[1]), 0);
  const upstream = sum(/^gateway_upstream_requests_total\{upstream="INFORMAT",route="POST \/graphql",status="200"\} (\d+)/gm);
  const operations = sum(/^gateway_graphql_operations_total\{type="query",outcome="ok"\} (\d+)/gm);
  const tokens = sum(/^gateway_upstream_token_requests_total\{upstream="INFORMAT",outcome="ok"\} (\d+)/gm);
  console.log(`upstream GraphQL requests per invoices operation: ${(upstream / operations).toFixed(3)} (${upstream} for ${operations} operations; ${tokens} token request(s))\n`);

  await hostileNeighbour({ ...(await gatewayEnvFor({ INFORMAT: sandbox, MAPI: mapi, CODABOX: codabox })), INFORMAT_ACCESS_GROUPS: AG, CAPABILITY_CACHE_TTL_SECONDS: '0' }, gatewayBody, AG, DURATION);

  await capabilities(gateway, mapi);
  await feedsCachedAndNot(gateway, codabox, gatewayEnv);

  await largeDownload(gateway);
  await crossSourceBench(gateway.url, gatewayBody);

  await codaboxDownload(gateway);

  await gateway.stop();
  await ibanityBench();
  await replicasBench();
  await sandbox.close();
  await mapi.close();
  await codabox.close();
}

/** feeds { entries(first: 100) { details files } } through the gateway, beside the same CodaBox calls made directly. */
async function feeds(gateway: Awaited<ReturnType<typeof spawnGateway>>, codabox: Awaited<ReturnType<typeof startCodaboxSandbox>>, cacheNote: string) {
  const query = JSON.stringify({
    query: `{ feeds { name entries(first: 100) { edges { node { model files { name folder url }
      details { __typename ... on BankStatement { iban newBalanceDate movementCount } ... on Invoice { number total { amount } } ... on SocialDocument { vatNumber } } } } } } }`,
  });
  const u = codabox.users[0]!;
  const headers = { 'x-software-company': codabox.softwareKey, authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}` };
  const counts = async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const sum = (re: RegExp) => [...text.matchAll(re)].reduce((s, m) => s + Number(m[1]), 0);
    // Route labels hold braces ({id}), so the label set ends at `"} `, not at the first `}`.
    return { upstream: sum(/^gateway_upstream_requests_total\{upstream="CODABOX",.*?"\} (\d+)$/gm), ops: sum(/^gateway_graphql_operations_total\{type="query",outcome="ok"\} (\d+)/gm) };
  };
  const before = await counts();
  let cpuBefore = 0;
  const gw = await load('through the gateway', { url: `${gateway.url}/graphql`, headers: { 'content-type': 'application/json' }, body: query }, 10, () => (cpuBefore = cpuMs(gateway.child.pid!)));
  const cpuPerOp = (cpuMs(gateway.child.pid!) - cpuBefore) / Math.max(1, gw.total);
  const after = await counts();
  const upstreamPerOp = (after.upstream - before.upstream) / Math.max(1, after.ops - before.ops);
  // The same data straight from CodaBox: the pod-client, then each feed (what the gateway asks for).
  const direct = async () => {
    const pod = (await (await fetch(`${codabox.url}/delivery/pod-client/`, { headers })).json()) as { feed_clients: { id: number }[] };
    await Promise.all(pod.feed_clients.map(async (c) => (await fetch(`${codabox.url}/delivery/feed/${c.id}/`, { headers })).json()));
  };
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < DURATION * 1000) {
    await Promise.all(Array.from({ length: 10 }, direct));
    n += 10;
  }
  const directRps = n / ((performance.now() - t0) / 1000);
  console.log(`feeds { entries(first: 100) { details files } } over 3 feeds, 10 concurrent clients, ${cacheNote}:`);
  console.log(`  ${fmt(gw)}   CPU ${cpuPerOp.toFixed(1)} ms/operation`);
  console.log(`  direct to CodaBox (pod-client + 3 feeds, same calls): ${directRps.toFixed(0)} operations/s`);
  console.log(`  CodaBox requests per gateway operation: ${upstreamPerOp.toFixed(2)} (the pod-client and one per feed: 4)\n`);
}

/** The feeds figure from a gateway without the response cache, and from one with the default (CodaBox reads kept 30 s). */
async function feedsCachedAndNot(gateway: Awaited<ReturnType<typeof spawnGateway>>, codabox: Awaited<ReturnType<typeof startCodaboxSandbox>>, env: Record<string, string>) {
  await feeds(gateway, codabox, 'response cache off');
  const cached = await spawnGateway({ ...env, CACHE_TTL_SECONDS: 'INFORMAT=5,CODABOX=30', DATA_DIR: `${env.DATA_DIR}-cached` });
  await feeds(cached, codabox, 'default response cache (CodaBox reads kept 30 s)');
  await cached.stop();
}

/** A 25 MiB CodaBox PDF, twice. */
async function codaboxDownload(gateway: Awaited<ReturnType<typeof spawnGateway>>) {
  const r = (await (
    await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($id: ID!) { feed(id: $id) { entries(first: 1) { edges { node { files { format url } } } } } }', variables: { id: feedId('codabox', 890) } }),
    })
  ).json()) as any;
  const url: string = r.data.feed.entries.edges[0].node.files.find((f: any) => f.format === 'pdf').url;
  for (const run of [1, 2]) await measureStream(gateway, url, `CodaBox 25 MiB PDF (run ${run})`);
  console.log('');
}

/** Party capabilities for 1,000 parties with 50 ms MAPI latency: batched through the gateway vs one call per party. */
async function capabilities(gateway: Awaited<ReturnType<typeof spawnGateway>>, mapi: Awaited<ReturnType<typeof startMapiSandbox>>) {
  const ids = mapi.belgianParties().slice(0, 1000);
  mapi.server.latencyMs = 50;
  const query = JSON.stringify({ query: 'query($ids: [String!]!) { parties(identifiers: $ids) { capabilities { status formats { name } } } }', variables: { ids } });
  const runs: { ms: number; calls: number }[] = [];
  for (let i = 0; i < 4; i++) {
    mapi.server.resetCalls();
    const t0 = performance.now();
    const r = (await (await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query })).json()) as any;
    if (r.errors) throw new Error(JSON.stringify(r.errors[0]));
    runs.push({ ms: performance.now() - t0, calls: mapi.server.calls('POST /parties/transactions').length });
  }
  // The naive way: one GET /parties/{id}/transactions per party, 20 at a time.
  const auth = `Basic ${Buffer.from(`${MAPI_SANDBOX_USERS[0]!.username}:${MAPI_SANDBOX_USERS[0]!.password}`).toString('base64')}`;
  mapi.server.resetCalls();
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < ids.length) {
        const id = ids[next++]!;
        await (await fetch(`${mapi.url}/parties/${encodeURIComponent(id)}/transactions?action=SubmitInvoice`, { headers: { authorization: auth } })).arrayBuffer();
      }
    }),
  );
  const naiveMs = performance.now() - t0;
  const naiveCalls = mapi.server.calls().length;
  mapi.server.latencyMs = 0;
  console.log(`parties(1000) { capabilities }, MAPI latency 50 ms, no cache:`);
  console.log(`  through the gateway, first run (pending lookups re-asked): ${runs[0]!.ms.toFixed(0)} ms, ${runs[0]!.calls} MAPI batch calls`);
  const steady = runs.slice(1);
  console.log(`  through the gateway, next ${steady.length} runs: ${steady.map((r) => r.ms.toFixed(0)).join(' / ')} ms, ${steady.map((r) => r.calls).join(' / ')} MAPI calls each`);
  console.log(`  naive, one call per party, 20 in parallel: ${naiveMs.toFixed(0)} ms, ${naiveCalls} MAPI calls\n`);
}

/**
 * Streams a file through the gateway to a slow reader (20 ms pause every 4 MiB) and reports how much
 * the gateway's resident memory grew: a buffered file would grow it by the file's size.
 */
async function measureStream(gateway: Awaited<ReturnType<typeof spawnGateway>>, url: string, label: string) {
  const before = gateway.rssMb();
  let peak = before;
  let bytes = 0;
  const res = await fetch(url);
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes % (4 * 1024 * 1024) < value.byteLength) {
      peak = Math.max(peak, gateway.rssMb());
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  peak = Math.max(peak, gateway.rssMb());
  console.log(`${label}: ${(bytes / 1024 / 1024).toFixed(1)} MiB streamed; gateway RSS ${before.toFixed(0)} MB before, +${(peak - before).toFixed(1)} MB at most`);
}

/** The Informat sandbox's 25 MiB PDF, twice: the first also pays for warming up the download path. */
async function largeDownload(gateway: Awaited<ReturnType<typeof spawnGateway>>) {
  const r = (await (
    await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($id: ID!) { invoice(id: $id) { documents { url } } }', variables: { id: invoiceId(AG, LARGE_PDF_INVOICE_ID) } }),
    })
  ).json()) as any;
  const url: string = r.data.invoice.documents[0].url;
  for (const run of [1, 2]) await measureStream(gateway, url, `Informat 25 MiB PDF (run ${run})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
