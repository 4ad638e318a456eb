import { decodeGlobalId, encodeGlobalId, type GlobalId } from '../domain/globalId.js';
import { money } from '../domain/money.js';
import type { InvoiceModel, PaymentModel } from '../domain/models.js';
import { checkPaymentInput, type PaymentInput, type UserErrorModel } from '../domain/paymentInput.js';
import type { UserErrorCode } from '../generated/graphql.js';
import { fingerprintOf } from '../idempotency/derivedId.js';
import { OutcomeUnknownError } from '../idempotency/once.js';
import { capabilityFor, tryCapability } from './access.js';
import type { RequestContext } from './context.js';
import { linkRegisteredPayment } from './reconciliation.js';

interface Registration {
  invoice: InvoiceModel;
  payment: PaymentModel;
}

type Payload = { invoice: InvoiceModel | null; payment: PaymentModel | null; userErrors: UserErrorModel[] };

const userError = (code: UserErrorCode, message: string, field: string[] | null = null): Payload => ({ invoice: null, payment: null, userErrors: [{ code, message, field }] });

/**
 * Registers a payment exactly once per caller and key. The upstream registers every request it
 * gets, so the key is recorded before anything is sent and marked *sending* just before the one
 * call that must not happen twice; a lost answer is OUTCOME_UNKNOWN, never a retry.
 */
export async function registerPayment(ctx: RequestContext, input: PaymentInput): Promise<Payload> {
  const checked = checkPaymentInput(input);
  if (!checked.ok) return { invoice: null, payment: null, userErrors: checked.userErrors };
  const p = checked.value;
  const served = tryCapability(ctx, 'payments', p.invoice.source, p.invoice.connection, 'write');
  if (!served.ok) return userError('FORBIDDEN', served.message, ['input', 'invoiceId']);

  const key = { caller: ctx.caller.id, operation: 'registerPayment', key: p.idempotencyKey };
  const print = fingerprintOf([p.invoice.connection, p.invoice.local, p.amount, p.date, p.badDebt]);
  let result;
  try {
    result = await ctx.once.run<Registration | Payload>(key, print, async (ctl) => {
      const prepared = await served.capability.prepare(p.invoice.local);
      if (!prepared.ok) return { kind: 'nothing-changed', value: { invoice: null, payment: null, userErrors: [prepared.error] } };
      await ctl.sending();
      const outcome = await served.capability.register(p.invoice.local, { reference: prepared.reference, amount: p.amount, date: p.date, badDebt: p.badDebt });
      if (!outcome.ok) return { kind: 'nothing-changed', value: { invoice: null, payment: null, userErrors: [outcome.error] } };
      const invoice = prepared.invoice;
      const updated: InvoiceModel = { ...invoice, total: money(outcome.totals.total), paid: money(outcome.totals.paid), open: money(outcome.totals.open), updatedAt: new Date().toISOString() };
      const payment: PaymentModel = {
        // From the caller's key, not the input: two equal installments on one day are two payments,
        // and a replay of one key is the same payment.
        id: registeredPaymentId(served.source, served.name, p.invoice.local, p.idempotencyKey),
        source: served.source,
        kind: 'REGISTERED',
        amount: money(p.amount),
        date: p.date,
        counterparty: null,
        communication: null,
        paymentReference: invoice.paymentReference,
        invoice: null,
        badDebt: p.badDebt,
      };
      return { kind: 'done', value: { invoice: updated, payment } };
    });
  } catch (err) {
    if (err instanceof OutcomeUnknownError) return outcomeUnknown(served.source, err.detail);
    throw err;
  }
  switch (result.kind) {
    case 'fresh':
    case 'replayed': {
      const v = result.value;
      if ('userErrors' in v) return v;
      // Its invoice lists it from now on (a replay writes the same row again: no change).
      await linkRegisteredPayment(ctx, encodeGlobalId(p.invoice), { ...v.payment, invoice: null });
      return { invoice: v.invoice, payment: { ...v.payment, invoice: v.invoice }, userErrors: [] };
    }
    case 'mismatch':
      return userError('IDEMPOTENCY_KEY_REUSED', 'This idempotencyKey was already used for a different payment; use a new key.', ['input', 'idempotencyKey']);
    case 'in-progress':
      return userError('IDEMPOTENCY_KEY_IN_PROGRESS', 'A registration with this idempotencyKey is still running; ask again in a moment.', ['input', 'idempotencyKey']);
    case 'unknown':
      return outcomeUnknown(served.source, result.detail ?? `the attempt started at ${new Date(result.startedAt).toISOString()} was interrupted`);
  }
}

/**
 * The global ID of a payment registered through the gateway: the invoice and the caller's key (not
 * the input: two equal installments on one day are two payments, and a replay is the same one), so
 * `node(id)` reads it back from the ledger, for that caller only.
 */
export const registeredPaymentId = (source: PaymentModel['source'], connection: string, invoiceLocal: string, key: string) =>
  encodeGlobalId({ type: 'Payment', source, connection, local: `registered:${invoiceLocal}:${Buffer.from(key, 'utf8').toString('base64url')}` });

/** A payment registered through the gateway, by its ID; null when it is not this caller's or not completed. */
export async function getPayment(ctx: RequestContext, id: GlobalId): Promise<PaymentModel | null> {
  if (id.type !== 'Payment') return null;
  const m = /^registered:([^:]+):([A-Za-z0-9_-]+)$/.exec(id.local);
  // Not registered through the gateway: a movement the source hands out (a bank statement's).
  if (!m) return (await capabilityFor(ctx, 'records', id.source, id.connection).capability.payment?.(id.local)) ?? null;
  const stored = (await ctx.once.result({ caller: ctx.caller.id, operation: 'registerPayment', key: Buffer.from(m[2]!, 'base64url').toString('utf8') })) as Registration | null;
  if (!stored || !('payment' in stored) || stored.payment.id !== encodeGlobalId(id)) return null;
  return { ...stored.payment, invoice: stored.invoice };
}

function outcomeUnknown(source: string, detail: string): Payload {
  return userError(
    'OUTCOME_UNKNOWN',
    `${source === 'INFORMAT' ? 'Informat' : source} did not confirm this registration (${detail}); it may or may not have been registered. ` +
      "Check the invoice's paid amount upstream before registering again with a new idempotencyKey.",
    ['input', 'idempotencyKey'],
  );
}

/** Asks the invoice's source to render its PDF. */
export async function requestInvoicePdf(ctx: RequestContext, invoiceId: string): Promise<{ ok: true } | { ok: false; error: UserErrorModel }> {
  const gid = decodeGlobalId(invoiceId);
  if (!gid || gid.type !== 'Invoice') return { ok: false, error: { code: 'INVALID_ID', message: 'invoiceId is not an invoice ID.', field: ['invoiceId'] } };
  const served = tryCapability(ctx, 'invoices', gid.source, gid.connection, 'write');
  if (!served.ok) return { ok: false, error: { code: served.code === 'NOT_CONFIGURED' ? 'INVALID_ID' : 'FORBIDDEN', message: served.message, field: ['invoiceId'] } };
  return served.capability.requestPdf(gid.local);
}
