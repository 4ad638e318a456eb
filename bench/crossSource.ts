import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkUblDocument } from '../src/domain/documentRules.js';
import { schoolYearOf } from '../src/domain/invoiceFilter.js';
import { startCodaboxSandbox } from '../src/sandbox/codabox/index.js';
import { SAMPLE_ACCESS_GROUP, startInformatSandbox } from '../src/sandbox/informat/index.js';
import { openAmount } from '../src/sandbox/informat/seed.js';
import { feedId } from '../src/sources/codabox/index.js';
import { compileOfficialRules, runRuleSet } from '../src/validation/official.js';
import { gatewayEnvFor } from '../test/helpers/gatewayEnv.js';
import { spawnGateway } from '../test/helpers/gatewayProcess.js';
import { fmt, load } from './load.js';

/**
 * The cross-source figures: validation throughput, `invoices(first: 100)` across every source beside
 * the Informat-only page, and reconciliation of a 5,000-movement statement with 5,000 open invoices.
 */

const SHARED = resolve(import.meta.dirname, '../../shared');
const AG = SAMPLE_ACCESS_GROUP.identifier;

function examples(): string[] {
  const dir = join(SHARED, 'testdata/peppol-examples');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.xml')).map((f) => readFileSync(join(dir, f), 'utf8'));
}

async function validation(): Promise<void> {
  const docs = examples();
  if (docs.length === 0) {
    console.log('validation throughput: skipped (../shared/testdata/peppol-examples is absent)\n');
    return;
  }
  const rounds = Math.max(1, Math.ceil(2000 / docs.length));
  let start = performance.now();
  for (let r = 0; r < rounds; r++) for (const d of docs) checkUblDocument(d);
  const builtIn = (rounds * docs.length) / ((performance.now() - start) / 1000);
  console.log(`validation throughput over the ${docs.length} Peppol examples:`);
  console.log(`  built-in rules: ${builtIn.toFixed(0)} documents/s`);
  const artefacts = process.env.VALIDATION_ARTEFACTS_DIR ?? join(SHARED, 'validation-artefacts');
  if (!existsSync(artefacts)) {
    console.log('  official rules: not configured (VALIDATION_ARTEFACTS_DIR)\n');
    return;
  }
  const { peppol, cen } = await compileOfficialRules(artefacts, join(homedir(), '.cache/be-einvoicing-gateway/validation'));
  start = performance.now();
  for (const d of docs) await Promise.all([runRuleSet(peppol, d), runRuleSet(cen, d)]);
  console.log(`  official rules (SaxonJS, Peppol BIS 3 + EN16931): ${(docs.length / ((performance.now() - start) / 1000)).toFixed(1)} documents/s\n`);
}

async function crossSourceList(gatewayUrl: string, informatOnlyBody: string): Promise<void> {
  const body = JSON.stringify({
    query: `{ invoices(filter: { accessGroup: "${AG}" }, first: 100) { edges { node { id source kind issueDate total { amount } open { amount } paymentReference { formatted } } } } }`,
  });
  const check = (await (await fetch(`${gatewayUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()) as { errors?: unknown; data?: { invoices: { edges: { node: { source: string } }[] } } };
  if (check.errors) throw new Error(`cross-source query failed: ${JSON.stringify(check.errors).slice(0, 300)}`);
  const sources = [...new Set(check.data!.invoices.edges.map((e) => e.node.source))].join(', ');
  console.log(`invoices(first: 100) across every source (this page holds ${sources}), 10 clients:`);
  const headers = { 'content-type': 'application/json' };
  console.log(`  ${fmt(await load('across sources', { url: `${gatewayUrl}/graphql`, headers, body }, 10))}`);
  console.log(`  ${fmt(await load('Informat only', { url: `${gatewayUrl}/graphql`, headers, body: informatOnlyBody }, 10))}\n`);
}

async function reconciliation(): Promise<void> {
  // At least 5,000 open invoices in this school year (12 monthly groups of 950, about half of them open).
  const informat = await startInformatSandbox({ invoicesPerGroup: 950, seed: 7 });
  const codabox = await startCodaboxSandbox({ bulkEntries: 10 });
  const year = schoolYearOf(new Date());
  const yearGroups = new Set(informat.data.groups.filter((g) => g.accessGroup === AG && g.schoolYear === year).map((g) => g.id));
  const open = [...informat.data.invoices.values()].filter((i) => i.booked && i.invoiceType === 'INVOICE' && yearGroups.has(i.invoiceGroupId) && Number(openAmount(i)) > 0).slice(0, 5000);
  codabox.deliverStatement(889, {
    iban: 'BE68539007547034',
    date: new Date().toISOString().slice(0, 10),
    statement: 500,
    movements: open.map((i, n) => ({
      amount: openAmount(i),
      name: `Payer ${n}`,
      account: 'BE71096123456769',
      communication: `+++${i.paymentReference.slice(0, 3)}/${i.paymentReference.slice(3, 7)}/${i.paymentReference.slice(7)}+++`,
    })),
  });
  const gateway = await spawnGateway({ ...(await gatewayEnvFor({ INFORMAT: informat, CODABOX: codabox })), INFORMAT_ACCESS_GROUPS: AG, MAX_UPSTREAM_REQUESTS: '5000', DATA_DIR: `/tmp/gateway-bench-reconcile-${process.pid}` });
  const body = JSON.stringify({ query: `{ paymentMatches(feedId: "${feedId('codabox', 889)}", accessGroup: "${AG}") { id confidence } }` });
  const before = gateway.rssMb();
  const start = performance.now();
  const r = (await (await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()) as { errors?: unknown; data?: { paymentMatches: { confidence: number }[] } };
  const ms = performance.now() - start;
  if (r.errors) throw new Error(`paymentMatches failed: ${JSON.stringify(r.errors).slice(0, 300)}`);
  const exact = r.data!.paymentMatches.filter((m) => m.confidence === 1).length;
  console.log(`paymentMatches: a ${open.length}-movement CODA statement against ${open.length} open Informat invoices, through the gateway:`);
  console.log(`  ${ms.toFixed(0)} ms, ${r.data!.paymentMatches.length} proposals (${exact} by structured communication); gateway RSS ${before.toFixed(0)} MB before, peak ${gateway.peakRssMb().toFixed(0)} MB\n`);
  await gateway.stop();
  await informat.close();
  await codabox.close();
}

export async function crossSourceBench(gatewayUrl: string, informatOnlyBody: string): Promise<void> {
  await validation();
  await crossSourceList(gatewayUrl, informatOnlyBody);
  await reconciliation();
}
