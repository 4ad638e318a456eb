import DataLoader from 'dataloader';
import { decodeGlobalId, type GlobalId } from '../domain/globalId.js';
import { InvalidInputError } from '../domain/inputError.js';
import { schoolYearOf } from '../domain/invoiceFilter.js';
import { money } from '../domain/money.js';
import type { InvoiceModel, PaymentModel } from '../domain/models.js';
import type { UserErrorModel } from '../domain/paymentInput.js';
import { proposeMatches } from '../domain/reconcile.js';
import type { SelectionTree } from '../domain/selection.js';
import type { ApplyPaymentMatchesInput } from '../generated/graphql.js';
import { OutcomeUnknownError } from '../idempotency/once.js';
import { everyConnectionWith, tryCapability } from './access.js';
import { allMovements, feedsToRead } from './bankPayments.js';
import type { RequestContext } from './context.js';
import { getInvoice } from './invoices.js';

/**
 * Bank movements reconciled with open Informat invoices: proposals (`paymentMatches`), and their
 * registration (`applyPaymentMatches`) exactly once per bank transaction. The ledger key is the
 * transaction (account, statement, sequence, detail) and not the caller's: two callers, two
 * replicas or a retry after a crash that apply one movement register it once.
 */

export interface PaymentMatchModel {
  id: string;
  payment: PaymentModel;
  invoice: InvoiceModel | null;
  confidence: number;
  reason: string;
  applied: boolean;
}

/** What a link keeps: the bank movement and the payment registered for it. */
interface Link {
  bank: PaymentModel;
  registered: PaymentModel;
}

const LEDGER_CALLER = 'bank-transactions';
const MAX_MATCHES_APPLIED = 500;

/** What reconciliation reads of an open invoice. */
const OPEN_INVOICE_SELECTION: SelectionTree = { id: {}, kind: {}, total: {}, open: {}, paid: {}, issueDate: {}, paymentReference: { raw: {} }, recipient: { firstName: {}, lastName: {} }, informat: { invoiceAddress: { name: {} } } };

export const matchId = (paymentId: string, invoiceId: string) => `pm_${Buffer.from(JSON.stringify([paymentId, invoiceId]), 'utf8').toString('base64url')}`;

function readMatchId(id: string): { payment: GlobalId; invoice: GlobalId; invoiceId: string } | null {
  if (!id.startsWith('pm_') || id.length > 2000) return null;
  try {
    const [p, i] = JSON.parse(Buffer.from(id.slice(3), 'base64url').toString('utf8')) as [unknown, unknown];
    const payment = typeof p === 'string' ? decodeGlobalId(p) : null;
    const invoice = typeof i === 'string' ? decodeGlobalId(i) : null;
    return payment?.type === 'Payment' && invoice?.type === 'Invoice' ? { payment, invoice, invoiceId: i as string } : null;
  } catch {
    return null;
  }
}

/** Every open invoice of the access groups and school year asked, for the matcher. */
async function openInvoices(ctx: RequestContext, accessGroup: string | null | undefined, schoolYear: string | null | undefined): Promise<InvoiceModel[]> {
  const groups = everyConnectionWith(ctx, 'invoices').filter((c) => !accessGroup || c.name === accessGroup);
  if (accessGroup && groups.length === 0) throw new InvalidInputError(`Access group ${accessGroup} is not configured or not open to this caller.`, ['accessGroup']);
  const year = schoolYear ?? schoolYearOf(new Date());
  const lists = await Promise.all(
    groups.map(async (c) => {
      const out: InvoiceModel[] = [];
      let after: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof c.capability.list>> = await c.capability.list({ source: c.source, accessGroup: c.name, schoolYear: year, openOnly: true }, OPEN_INVOICE_SELECTION, 5000, after);
        out.push(...page.edges.map((e) => e.node));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      return out;
    }),
  );
  return lists.flat();
}

const namesOf = (i: InvoiceModel) => [i.recipient ? `${i.recipient.firstName ?? ''} ${i.recipient.lastName ?? ''}` : '', i.informat?.invoiceAddress?.name ?? ''].filter((n) => n.trim());
const digits = (s: string | null | undefined) => (s ? s.replace(/\D/g, '') : null);

export async function paymentMatches(ctx: RequestContext, feedId: string | null | undefined, accessGroup: string | null | undefined, schoolYear: string | null | undefined): Promise<PaymentMatchModel[]> {
  const [movements, invoices] = await Promise.all([feedsToRead(ctx, feedId).then((feeds) => allMovements(ctx, feeds)), openInvoices(ctx, accessGroup, schoolYear)]);
  const linked = await ctx.paymentLinks.byTransaction(movements.flatMap((m) => (m.transactionKey ? [m.transactionKey] : [])));
  const appliedTo = new Map(linked.map((l) => [l.transactionKey, l.invoiceId]));
  // A movement already registered is shown with the invoice it was registered on, not proposed again.
  const fresh = movements.filter((m) => !m.transactionKey || !appliedTo.has(m.transactionKey));
  const proposals = proposeMatches(
    fresh.map((m) => ({ id: m.id, amount: m.amount.amount, counterpartyName: m.counterparty?.name ?? null, communication: m.communication, reference: m.paymentReference?.structured ? digits(m.paymentReference.raw) : null })),
    invoices.map((i) => ({ id: i.id, open: i.open?.amount ?? i.total.amount, reference: i.paymentReference?.structured ? digits(i.paymentReference.raw) : null, names: namesOf(i) })),
  );
  const paymentById = new Map(movements.map((m) => [m.id, m]));
  const invoiceById = new Map(invoices.map((i) => [i.id, i]));
  // Applied ones are shown with their invoice (read by ID: an invoice paid in full is no longer open).
  const done: PaymentMatchModel[] = await Promise.all(
    linked.map(async (l) => {
      const link = JSON.parse(l.payment) as Link;
      const invoice = invoiceById.get(l.invoiceId) ?? (await invoiceByGlobalId(ctx, l.invoiceId));
      return { id: matchId(link.bank.id, l.invoiceId), payment: { ...link.bank, invoice: null }, invoice, confidence: 1, reason: 'Registered on this invoice through applyPaymentMatches', applied: true };
    }),
  );
  const open = proposals.map((p) => ({ id: matchId(p.paymentId, p.invoiceId), payment: paymentById.get(p.paymentId)!, invoice: invoiceById.get(p.invoiceId)!, confidence: p.confidence, reason: p.reason, applied: false }));
  return [...done, ...open];
}

async function invoiceByGlobalId(ctx: RequestContext, id: string): Promise<InvoiceModel | null> {
  const gid = decodeGlobalId(id);
  return gid ? getInvoice(ctx, gid, OPEN_INVOICE_SELECTION).catch(() => null) : null;
}

type ApplyResult = { applied: PaymentMatchModel[]; userErrors: UserErrorModel[] };

/** Registers proposals; each bank movement at most once, whatever request, replica or retry applies it. */
export async function applyPaymentMatches(ctx: RequestContext, input: ApplyPaymentMatchesInput): Promise<ApplyResult> {
  const fail = (code: UserErrorModel['code'], message: string, field: string[]): UserErrorModel => ({ code, message, field });
  if (!input.idempotencyKey || input.idempotencyKey.length > 200) return { applied: [], userErrors: [fail('INVALID_IDEMPOTENCY_KEY', 'idempotencyKey must be 1 to 200 characters.', ['input', 'idempotencyKey'])] };
  if (input.matchIds.length === 0 || input.matchIds.length > MAX_MATCHES_APPLIED) {
    return { applied: [], userErrors: [fail('INVALID_ID', `matchIds must hold 1 to ${MAX_MATCHES_APPLIED} IDs.`, ['input', 'matchIds'])] };
  }
  const applied: PaymentMatchModel[] = [];
  const userErrors: UserErrorModel[] = [];
  // One at a time: Informat books each payment against the invoice's open amount as it is then.
  for (const [i, id] of [...new Set(input.matchIds)].entries()) {
    const field = ['input', 'matchIds', String(i)];
    const r = await applyOne(ctx, id, field);
    if ('error' in r) userErrors.push(r.error);
    else applied.push(r.match);
  }
  return { applied, userErrors };
}

async function applyOne(ctx: RequestContext, id: string, field: string[]): Promise<{ match: PaymentMatchModel } | { error: UserErrorModel }> {
  const err = (code: UserErrorModel['code'], message: string) => ({ error: { code, message, field } });
  const ids = readMatchId(id);
  if (!ids) return err('INVALID_ID', 'This is not a match ID that paymentMatches gave.');
  const records = tryCapability(ctx, 'records', ids.payment.source, ids.payment.connection, 'read');
  if (!records.ok) return err('FORBIDDEN', records.message);
  const payments = tryCapability(ctx, 'payments', ids.invoice.source, ids.invoice.connection, 'write');
  if (!payments.ok) return err(payments.code === 'NOT_CONFIGURED' ? 'INVALID_ID' : 'FORBIDDEN', payments.message);
  const bank = await records.capability.payment?.(ids.payment.local);
  if (!bank || !bank.transactionKey) return err('NOT_FOUND', 'The bank movement is no longer in its feed (acknowledged, or gone); ask paymentMatches again.');
  const invoiceGlobal = ids.invoiceId;

  let outcome;
  try {
    outcome = await ctx.once.run<Link | { error: UserErrorModel }>({ caller: LEDGER_CALLER, operation: 'applyPaymentMatch', key: bank.transactionKey }, invoiceGlobal, async (ctl) => {
      const prepared = await payments.capability.prepare(ids.invoice.local);
      if (!prepared.ok) return { kind: 'nothing-changed', value: { error: { ...prepared.error, field } } };
      await ctl.sending();
      const date = bank.date ?? new Date().toISOString().slice(0, 10);
      const r = await payments.capability.register(ids.invoice.local, { reference: prepared.reference, amount: bank.amount.amount, date, badDebt: false });
      if (!r.ok) return { kind: 'nothing-changed', value: { error: { ...r.error, field } } };
      const registered: PaymentModel = { ...bank, kind: 'REGISTERED', source: payments.source, amount: money(bank.amount.amount, bank.amount.currency), date, paymentReference: prepared.invoice.paymentReference, invoice: null };
      return { kind: 'done', value: { bank, registered } };
    });
  } catch (e) {
    if (e instanceof OutcomeUnknownError) return err('OUTCOME_UNKNOWN', `Informat did not confirm the registration (${e.detail}); check the invoice's paid amount before applying again.`);
    throw e;
  }
  switch (outcome.kind) {
    case 'fresh':
    case 'replayed': {
      if ('error' in outcome.value) return { error: outcome.value.error };
      // Written after the registration; a replay writes it again (idempotent), so a crash between the two heals.
      await ctx.paymentLinks.put({ invoiceId: invoiceGlobal, transactionKey: bank.transactionKey, payment: JSON.stringify(outcome.value) }, Date.now());
      const invoice = await getInvoice(ctx, ids.invoice, OPEN_INVOICE_SELECTION);
      return { match: { id, payment: { ...bank, invoice }, invoice, confidence: 1, reason: 'Registered on this invoice', applied: true } };
    }
    case 'mismatch':
      return err('ALREADY_APPLIED', 'This bank movement is already registered as the payment of another invoice; nothing was registered.');
    case 'in-progress':
      return err('IDEMPOTENCY_KEY_IN_PROGRESS', 'This bank movement is being registered by another request; ask paymentMatches again in a moment.');
    case 'unknown':
      return err('OUTCOME_UNKNOWN', `An earlier registration of this bank movement did not finish (${outcome.detail ?? 'interrupted'}); check the invoice's paid amount in Informat.`);
  }
}

const linkLoaders = new WeakMap<RequestContext, DataLoader<string, PaymentModel[]>>();

/**
 * The payments linked to an invoice: bank movements registered on it and payments registered
 * through `registerPayment`, oldest first. The invoices of one request are read in one store query.
 */
export function linkedPayments(ctx: RequestContext, invoiceId: string): Promise<PaymentModel[]> {
  let loader = linkLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const rows = await ctx.paymentLinks.byInvoice(ids);
      return ids.map((id) => rows.filter((r) => r.invoiceId === id).map((r) => ({ ...(JSON.parse(r.payment) as Link).bank, invoice: null })));
    });
    linkLoaders.set(ctx, loader);
  }
  return loader.load(invoiceId);
}

/** Records a payment registered through `registerPayment`, so its invoice lists it. */
export async function linkRegisteredPayment(ctx: RequestContext, invoiceId: string, payment: PaymentModel): Promise<void> {
  const link: Link = { bank: payment, registered: payment };
  await ctx.paymentLinks.put({ invoiceId, transactionKey: `registered:${payment.id}`, payment: JSON.stringify(link) }, Date.now());
}

/** The invoice a bank movement was registered on, by its transaction key; null when none. */
export async function invoiceOfMovement(ctx: RequestContext, p: PaymentModel, selection: SelectionTree): Promise<InvoiceModel | null> {
  if (p.invoice || !p.transactionKey) return p.invoice;
  const [link] = await ctx.paymentLinks.byTransaction([p.transactionKey]);
  const gid = link ? decodeGlobalId(link.invoiceId) : null;
  return gid ? getInvoice(ctx, gid, selection) : null;
}
