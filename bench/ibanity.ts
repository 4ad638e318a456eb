import { Agent, request } from 'undici';
import { startIbanitySandbox } from '../src/sandbox/ibanity/index.js';
import { MAPI_SANDBOX_USERS, startMapiSandbox } from '../src/sandbox/mapi/index.js';
import { gatewayEnvFor } from '../test/helpers/gatewayEnv.js';
import { spawnGateway } from '../test/helpers/gatewayProcess.js';

/**
 * Ibanity's figures: capability lookups with both sources (MAPI batches beside Ibanity's one-by-one
 * customer searches) against the same lookups made one by one, and sending 100 structured invoices
 * through Ibanity (documents per second, the gateway's peak RSS). Both sandboxes answer after 20 ms.
 */
export async function ibanityBench(): Promise<void> {
  const LATENCY = 20;
  const ibanity = await startIbanitySandbox({ stepMs: 500 });
  const mapi = await startMapiSandbox();
  ibanity.server.latencyMs = LATENCY;
  mapi.server.latencyMs = LATENCY;
  const gateway = await spawnGateway({ ...(await gatewayEnvFor({ MAPI: mapi, IBANITY: ibanity })), CAPABILITY_CACHE_TTL_SECONDS: '0', DATA_DIR: `/tmp/gateway-bench-ibanity-${process.pid}` });
  const gql = async (query: string, variables: Record<string, unknown> = {}) => (await (await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json()) as any;

  // 1. Capabilities of 300 parties, both sources.
  const ids = [...mapi.belgianParties().slice(0, 298), '0208:0840559537', '9944:NL840559537B01'];
  const runs: { ms: number; mapi: number; ibanity: number; peak: number }[] = [];
  for (let i = 0; i < 3; i++) {
    mapi.server.resetCalls();
    ibanity.server.resetCalls();
    const t0 = performance.now();
    const r = await gql('query($ids: [String!]!) { parties(identifiers: $ids) { capabilities { reachable formats { source } } } }', { ids });
    if (r.errors) throw new Error(JSON.stringify(r.errors[0]));
    runs.push({ ms: performance.now() - t0, mapi: mapi.server.calls('POST /parties/transactions').length, ibanity: ibanity.server.calls('POST /einvoicing/peppol/customer-searches').length, peak: ibanity.server.peakInFlight('POST /einvoicing/peppol/customer-searches') });
  }
  // The same answers asked one party at a time: MAPI's single-party query, then Ibanity's search.
  const agent = new Agent({ connect: { cert: ibanity.pki.client.certPem, key: ibanity.pki.client.keyPem, ca: ibanity.pki.caPem } });
  const basic = Buffer.from(`${ibanity.application.clientId}:${ibanity.application.clientSecret}`).toString('base64');
  const token = ((await (await request(`${ibanity.url}/einvoicing/oauth2/token`, { method: 'POST', dispatcher: agent, headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' })).body.json()) as { access_token: string }).access_token;
  const mapiAuth = `Basic ${Buffer.from(`${MAPI_SANDBOX_USERS[0]!.username}:${MAPI_SANDBOX_USERS[0]!.password}`).toString('base64')}`;
  const t0 = performance.now();
  for (const id of ids) {
    await (await fetch(`${mapi.url}/parties/${encodeURIComponent(id)}/transactions?action=SubmitInvoice`, { headers: { authorization: mapiAuth } })).arrayBuffer();
    const res = await request(`${ibanity.url}/einvoicing/peppol/customer-searches`, {
      method: 'POST', dispatcher: agent,
      headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.api+json', 'content-type': 'application/vnd.api+json' },
      body: JSON.stringify({ data: { type: 'peppolCustomerSearch', attributes: { customerReference: id } } }),
    });
    await res.body.dump();
  }
  const oneByOne = performance.now() - t0;
  console.log(`parties(300) { capabilities } with MAPI and Ibanity, both ${LATENCY} ms away, no cache:`);
  for (const [i, r] of runs.entries()) console.log(`  through the gateway, run ${i + 1}: ${r.ms.toFixed(0)} ms; ${r.mapi} MAPI batch calls, ${r.ibanity} Ibanity searches, at most ${r.peak} in flight`);
  console.log(`  one by one (MAPI single-party query, then Ibanity search, per party): ${oneByOne.toFixed(0)} ms, ${ids.length * 2} calls\n`);

  // 2. 100 structured invoices through Ibanity, 10 at a time.
  const SEND = `mutation($i: SendInvoiceInput!) { sendInvoice(input: $i) { channel message { id } userErrors { code message } } }`;
  const invoice = (n: number) => ({
    channel: 'IBANITY', number: `BENCH-${process.pid}-${n}`, issueDate: '2026-11-20', dueDate: '2026-12-20', buyerReference: 'PO-1', paymentReference: '+++090/9337/55493+++',
    seller: { identifier: '0208:0739484052', name: 'Brouwerij Sandbox BV', vatNumber: 'BE0739484052', city: 'Gent', countryCode: 'BE', iban: 'BE71096123456769' },
    buyer: { identifier: 'BE0840559537', name: 'Peppol Test Receiver NV', countryCode: 'BE' },
    lines: Array.from({ length: 10 }, (_, i) => ({ description: `Line ${i}`, quantity: String(i + 1), unitPrice: '12.345', taxPercent: i % 3 === 0 ? '6' : '21' })),
    allowances: [{ reason: 'Korting', amount: '5.00', taxPercent: '21' }],
    idempotencyKey: `bench-${process.pid}-${n}`,
  });
  let next = 0;
  let failed = 0;
  const s0 = performance.now();
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next < 100) {
        const r = await gql(SEND, { i: invoice(next++) });
        if (r.errors || r.data.sendInvoice.userErrors.length) failed++;
      }
    }),
  );
  const sendMs = performance.now() - s0;
  console.log(`sendInvoice through Ibanity, 100 structured invoices of 10 lines, 10 at a time (Ibanity ${LATENCY} ms away):`);
  console.log(`  ${(100 / (sendMs / 1000)).toFixed(1)} documents/s (${sendMs.toFixed(0)} ms), ${failed} failed; ${ibanity.server.calls('POST /einvoicing/peppol/suppliers/:supplierId/invoices').length} documents posted`);
  console.log(`  gateway peak RSS: ${gateway.peakRssMb().toFixed(0)} MB\n`);

  await agent.close();
  await gateway.stop();
  await ibanity.close();
  await mapi.close();
}
