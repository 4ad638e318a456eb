import type { UserErrorCode } from '../src/generated/graphql.js';
import { useConnection } from '../src/auth/access.js';
import type { GatewayContext } from '../src/context.js';
import { encodeGlobalId, decodeGlobalId, isInformatInvoiceLocal } from '../src/domain/globalId.js';
import { money } from '../src/domain/money.js';
import type { InvoiceModel, PaymentModel } from '../src/domain/models.js';
import { checkPaymentInput, type UserErrorModel } from '../src/domain/paymentInput.js';
import type { Resolvers } from '../src/generated/graphql.js';
import { derivedUuid, fingerprintOf } from '../src/idempotency/derivedId.js';
import { OutcomeUnknownError } from '../src/idempotency/once.js';
import { FULL_INVOICE_SELECTION } from '../src/sources/informat/index.js';
import { loadInvoice } from './invoice.js';

interface Registration {
  invoice: InvoiceModel;
  payment: PaymentModel;
}

type Payload = { invoice: InvoiceModel | null; payment: PaymentModel | null; userErrors: UserErrorModel[] };

const userError = (code: UserErrorCode, message: string, field: string[] | null = null): Payload => ({ invoice: null, payment: null, userErrors: [{ code, message, field }] });

async function registerPayment(ctx: GatewayContext, input: Parameters<typeof checkPaymentInput>[0]): Promise<Payload> {
  const checked = checkPaymentInput(input);
  if (!checked.ok) return { invoice: null, payment: null, userErrors: checked.userErrors };
  const p = checked.value;
  const conn = useConnection(ctx.caller, ctx.upstreams, 'INFORMAT', p.invoice.connection, 'write');
  if (!conn.ok) return userError('FORBIDDEN', conn.message, ['input', 'invoiceId']);

  const key = { caller: ctx.caller.id, operation: 'registerPayment', key: p.idempotencyKey };
  const print = fingerprintOf([p.invoice.connection, p.invoice.local, p.amount, p.date, p.badDebt]);
  let result;
  try {
    result = await ctx.once.run<Registration | Payload>(key, print, async (ctl) => {
      // The full invoice is read once now and stored with the result, so a replay needs no upstream call.
      const invoice = await conn.client.invoice(conn.name, p.invoice.local, FULL_INVOICE_SELECTION);
      if (!invoice) return { kind: 'nothing-changed', value: userError('NOT_FOUND', 'Informat has no booked invoice with this ID in this access group.', ['input', 'invoiceId']) };
      const reference = invoice.paymentReference?.raw;
      if (!reference) return { kind: 'nothing-changed', value: userError('NOT_BOOKED', 'The invoice has no payment reference yet.', ['input', 'invoiceId']) };
      await ctl.sending();
      const outcome = await conn.client.registerPayment(conn.name, p.invoice.local, { paymentReference: reference, amount: p.amount, date: p.date, badDebt: p.badDebt });
      if (!outcome.ok) return { kind: 'nothing-changed', value: userError(outcome.code, `Informat refused the payment: ${outcome.message}`) };
      const updated: InvoiceModel = {
        ...invoice,
        total: money(outcome.totals.totalAmount),
        paid: money(outcome.totals.totalPaid),
        open: money(outcome.totals.openAmount),
        updatedAt: new Date().toISOString(),
      };
      const payment: PaymentModel = {
        // From the caller's key, not the input: two equal installments on one day are two payments,
        // and a replay of one key is the same payment.
        id: encodeGlobalId({ type: 'Payment', source: 'INFORMAT', connection: conn.name, local: `${p.invoice.local}:${derivedUuid(ctx.caller.id, 'registerPayment', p.idempotencyKey)}` }),
        source: 'INFORMAT',
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
    if (err instanceof OutcomeUnknownError) return outcomeUnknown(err.detail);
    throw err;
  }
  switch (result.kind) {
    case 'fresh':
    case 'replayed': {
      const v = result.value;
      if ('userErrors' in v) return v;
      return { invoice: v.invoice, payment: { ...v.payment, invoice: v.invoice }, userErrors: [] };
    }
    case 'mismatch':
      return userError('IDEMPOTENCY_KEY_REUSED', 'This idempotencyKey was already used for a different payment; use a new key.', ['input', 'idempotencyKey']);
    case 'in-progress':
      return userError('IDEMPOTENCY_KEY_IN_PROGRESS', 'A registration with this idempotencyKey is still running; ask again in a moment.', ['input', 'idempotencyKey']);
    case 'unknown':
      return outcomeUnknown(result.detail ?? `the attempt started at ${new Date(result.startedAt).toISOString()} was interrupted`);
  }
}

function outcomeUnknown(detail: string): Payload {
  return userError(
    'OUTCOME_UNKNOWN',
    `Informat did not confirm this registration (${detail}); it may or may not have been registered. ` +
      'Check the invoice\'s paid amount in Informat before registering again with a new idempotencyKey.',
    ['input', 'idempotencyKey'],
  );
}

export const paymentResolvers: Resolvers = {
  Mutation: {
    registerPayment: async (_p, { input }, ctx) => registerPayment(ctx, input),
    requestInvoicePdf: async (_p, { invoiceId }, ctx, info) => {
      const gid = decodeGlobalId(invoiceId);
      if (!gid || gid.type !== 'Invoice' || gid.source !== 'INFORMAT' || !isInformatInvoiceLocal(gid.local)) {
        return { invoice: null, accepted: false, userErrors: [{ code: 'INVALID_ID', message: 'invoiceId is not an Informat invoice ID.', field: ['invoiceId'] }] };
      }
      const conn = useConnection(ctx.caller, ctx.upstreams, 'INFORMAT', gid.connection, 'write');
      if (!conn.ok) return { invoice: null, accepted: false, userErrors: [{ code: 'FORBIDDEN', message: conn.message, field: ['invoiceId'] }] };
      const r = await conn.client.requestPdf(conn.name, gid.local);
      if (!r.ok) return { invoice: null, accepted: false, userErrors: [{ code: r.code, message: `Informat refused: ${r.message}`, field: ['invoiceId'] }] };
      const wanted = info.fieldNodes.some((n) => n.selectionSet?.selections.some((s) => s.kind === 'Field' && s.name.value === 'invoice'));
      return { invoice: wanted ? await loadInvoice(ctx, invoiceId, subInfo(info)) : null, accepted: true, userErrors: [] };
    },
  },
};

/** The resolve info as seen from the payload's `invoice` field, so only its selection is fetched. */
function subInfo(info: Parameters<typeof loadInvoice>[2]): Parameters<typeof loadInvoice>[2] {
  const fieldNodes = info.fieldNodes.flatMap((n) =>
    (n.selectionSet?.selections ?? []).filter((s): s is typeof n => s.kind === 'Field' && s.name.value === 'invoice'),
  );
  return { ...info, fieldNodes };
}
