import type { UserErrorCode } from '../src/generated/graphql.js';
import { useConnection } from '../src/auth/access.js';
import type { GatewayContext } from '../src/context.js';
import { readBusinessDocument } from '../src/domain/businessDocument.js';
import { decodeGlobalId } from '../src/domain/globalId.js';
import { quote } from '../src/domain/quote.js';
import { parsePartyIdentifier, type ParticipantIdModel } from '../src/domain/identifiers.js';
import { computeInvoiceAmounts } from '../src/domain/invoiceAmounts.js';
import type { DocumentTypeName, MessageModel } from '../src/domain/models.js';
import type { UserErrorModel } from '../src/domain/paymentInput.js';
import { checkInvoiceHead, checkKey, checkLines, checkParty } from '../src/domain/sendInput.js';
import type { Resolvers, SendDocumentInput, SendInvoiceInput, RespondToInvoiceInput } from '../src/generated/graphql.js';
import { derivedUuid, fingerprintOf } from '../src/idempotency/derivedId.js';
import type { MapiClient } from '../src/sources/mapi/index.js';
import { TRANSACTION_GROUP } from '../src/sources/mapi/index.js';
import { RESPONSE_ACTIONS, RESPONSE_REASONS, RESPONSE_STATUS, toInvoiceTransaction } from '../src/sources/mapi/metadata.js';

type Payload = { message: MessageModel | null; channel: 'AUTO' | 'IBANITY' | 'MAPI' | null; userErrors: UserErrorModel[] };
const refuse = (code: UserErrorCode, message: string, field: string[] | null = null): Payload => ({ message: null, channel: null, userErrors: [{ code, message, field }] });

const ROOT_TYPES: Record<string, DocumentTypeName> = {
  Invoice: 'INVOICE', CreditNote: 'CREDIT_NOTE', Order: 'ORDER', OrderResponse: 'ORDER_RESPONSE', ApplicationResponse: 'BILLING_RESPONSE',
};

/** The MAPI connection for a send, or why there is none. */
function sendingConnection(ctx: GatewayContext, channel: string | null | undefined, connection: string | null | undefined) {
  if (channel === 'IBANITY') return refuse('CHANNEL_NOT_CONFIGURED', 'No Ibanity connection is configured on this gateway yet.', ['input', 'channel']);
  const conn = useConnection(ctx.caller, ctx.upstreams, 'MAPI', connection, 'write');
  return conn.ok ? conn : refuse(conn.code === 'BAD_USER_INPUT' ? 'INVALID_INPUT' : 'FORBIDDEN', conn.message, ['input', 'connection']);
}

/** With channel AUTO (and always for ready-made documents), the receiver must be able to take the document. */
async function checkReachable(ctx: GatewayContext, receiver: ParticipantIdModel, documentType: DocumentTypeName): Promise<Payload | null> {
  const cap = await ctx.loaders.capabilities.load({ identifier: receiver, documentType });
  if (cap.status === 'READY' && cap.reachable) return null;
  if (cap.status === 'PENDING') return refuse('CAPABILITY_PENDING', `The network is still looking up ${receiver.iso6523}; try again in a minute.`, ['input']);
  return refuse('NOT_REACHABLE', `${receiver.iso6523} cannot receive a ${documentType.toLowerCase().replace('_', ' ')} on the network.`, ['input']);
}

/**
 * Creates one MAPI message exactly once per caller and key. The message id is derived from the key,
 * so MAPI itself refuses a second message; the ledger adds "same key, other input" detection and
 * replays without an upstream write.
 */
async function createOnce(
  ctx: GatewayContext,
  client: MapiClient,
  operation: string,
  key: string,
  input: unknown,
  create: (messageId: string) => ReturnType<MapiClient['create']>,
  /** Checked on the first run only (a replay answers what the first run did); a refusal frees the key. */
  precheck: () => Promise<Payload | null> = async () => null,
): Promise<Payload> {
  const messageId = derivedUuid(ctx.caller.id, operation, key);
  const result = await ctx.once.run<{ uniqueId: string } | Payload>({ caller: ctx.caller.id, operation, key }, fingerprintOf(input), async () => {
    const refused = await precheck();
    if (refused) return { kind: 'nothing-changed', value: refused };
    // No `sending()` mark: repeating this request is safe (MAPI refuses a duplicate id), so a lost
    // answer frees the key and the caller's retry finds the message.
    const r = await create(messageId);
    if (r.ok) return { kind: 'done', value: { uniqueId: r.message.uniqueId } };
    if (r.status === 422 && /already exists/i.test(r.message)) return { kind: 'done', value: { uniqueId: messageId } };
    const code = r.status === 400 ? 'VALIDATION_FAILED' : 'UPSTREAM_REJECTED';
    return { kind: 'nothing-changed', value: refuse(code, `MAPI refused the document: ${r.message}`) };
  });
  switch (result.kind) {
    case 'fresh':
    case 'replayed':
      if ('userErrors' in result.value) return result.value;
      {
        const message = await client.message(result.value.uniqueId);
        // The ledger says the message was created; MAPI no longer has it (a reset sandbox, or MAPI
        // purged it). Sending again would break the key's promise, so say what happened instead.
        if (!message) {
          return refuse('MESSAGE_NOT_FOUND', `This idempotencyKey already created message ${result.value.uniqueId}, which MAPI no longer knows; nothing was sent again. Use a new key to send the document anew.`, ['input', 'idempotencyKey']);
        }
        return { message, channel: 'MAPI', userErrors: [] };
      }
    case 'mismatch':
      return refuse('IDEMPOTENCY_KEY_REUSED', 'This idempotencyKey was already used for a different document; use a new key.', ['input', 'idempotencyKey']);
    case 'in-progress':
      return refuse('IDEMPOTENCY_KEY_IN_PROGRESS', 'A send with this idempotencyKey is still running; ask again in a moment.', ['input', 'idempotencyKey']);
    case 'unknown':
      return refuse('UPSTREAM_REJECTED', 'An earlier attempt with this key ended without an answer.', ['input', 'idempotencyKey']);
  }
}

async function sendInvoice(ctx: GatewayContext, input: SendInvoiceInput): Promise<Payload> {
  const errors: UserErrorModel[] = [];
  const seller = checkParty(input.seller, ['input', 'seller'], errors, { needVat: true });
  const buyer = checkParty(input.buyer, ['input', 'buyer'], errors, { needVat: false });
  checkLines(input.lines, errors);
  checkInvoiceHead(input, errors);
  checkKey(input.idempotencyKey, errors);
  const currency = input.currency ?? 'EUR';
  if (!/^[A-Z]{3}$/.test(currency)) errors.push({ code: 'INVALID_INPUT', message: 'currency must be an ISO 4217 code, like EUR.', field: ['input', 'currency'] });
  if (!input.buyerReference && !input.orderReference) errors.push({ code: 'INVALID_INPUT', message: 'Peppol BIS needs a buyerReference or an orderReference.', field: ['input', 'buyerReference'] });
  if (errors.length || !seller || !buyer) return { message: null, channel: null, userErrors: errors };

  const conn = sendingConnection(ctx, input.channel, input.connection);
  if (!('ok' in conn)) return conn;
  const kind = input.kind ?? 'INVOICE';
  const fallback = buyer.email ?? ctx.upstreams.sources.MAPI?.fallbackEmail ?? null;
  if (!fallback) return refuse('FALLBACK_EMAIL_REQUIRED', 'MAPI needs an e-mail address to fall back on: give buyer.email (or configure MAPI_FALLBACK_EMAIL).', ['input', 'buyer', 'email']);
  const lines = input.lines.map((l) => ({ itemNumber: l.itemNumber ?? null, description: l.description, quantity: l.quantity, unitCode: l.unitCode ?? 'C62', unitPrice: l.unitPrice, taxPercent: l.taxPercent, taxCategory: (l.taxCategory ?? 'S').toUpperCase() }));
  const amounts = computeInvoiceAmounts(lines);
  const tx = toInvoiceTransaction(
    { kind, number: input.number, issueDate: input.issueDate, dueDate: input.dueDate ?? null, currency, buyerReference: input.buyerReference ?? null, orderReference: input.orderReference ?? null, seller, buyer, lines },
    amounts,
    fallback,
  );
  const { idempotencyKey, ...fingerprinted } = input;
  const precheck = (input.channel ?? 'AUTO') === 'AUTO' ? () => checkReachable(ctx, buyer.ids[0]!, kind) : undefined;
  return createOnce(ctx, conn.client, 'sendInvoice', idempotencyKey, fingerprinted, (messageId) => conn.client.create(tx.path, { messageId, more: 'false' }, { json: tx.body }), precheck);
}

async function sendDocument(ctx: GatewayContext, input: SendDocumentInput): Promise<Payload> {
  const errors: UserErrorModel[] = [];
  checkKey(input.idempotencyKey, errors);
  const receiver = parsePartyIdentifier(input.receiver);
  if (!receiver) errors.push({ code: 'INVALID_IDENTIFIER', message: `${quote(input.receiver)} is not a party identifier.`, field: ['input', 'receiver'] });
  const doc = readBusinessDocument(input.xml);
  if (!doc.ok) errors.push({ code: 'INVALID_DOCUMENT', message: doc.message, field: ['input', 'xml'] });
  if (errors.length || !receiver || !doc.ok) return { message: null, channel: null, userErrors: errors };
  const documentType = ROOT_TYPES[doc.head.root];
  if (!documentType) return refuse('UNSUPPORTED_DOCUMENT', `A ${doc.head.root} document cannot be sent; send a UBL Invoice, CreditNote, Order, OrderResponse or ApplicationResponse.`, ['input', 'xml']);
  const conn = sendingConnection(ctx, input.channel, input.connection);
  if (!('ok' in conn)) return conn;
  const { idempotencyKey, ...fingerprinted } = input;
  return createOnce(
    ctx,
    conn.client,
    'sendDocument',
    idempotencyKey,
    fingerprinted,
    (messageId) => conn.client.create('/messages/create-business-transaction', { messageId, transactionGroupIdentifier: TRANSACTION_GROUP[documentType], more: 'false' }, { xml: doc.text }),
    () => checkReachable(ctx, receiver[0]!, documentType),
  );
}

async function respondToInvoice(ctx: GatewayContext, input: RespondToInvoiceInput): Promise<Payload> {
  const errors: UserErrorModel[] = [];
  checkKey(input.idempotencyKey, errors);
  const reason = input.reason?.trim() || null;
  if ((input.status === 'REJECTED' || input.status === 'UNDER_QUERY') && !reason) errors.push({ code: 'REASON_REQUIRED', message: 'Say why (reason) when rejecting or querying an invoice.', field: ['input', 'reason'] });
  const action = input.action ? RESPONSE_ACTIONS.find((a) => a.toLowerCase() === input.action!.trim().toLowerCase()) : null;
  if (input.action && !action) errors.push({ code: 'INVALID_ACTION', message: `action must be one of ${RESPONSE_ACTIONS.join(', ')}.`, field: ['input', 'action'] });
  const gid = decodeGlobalId(input.messageId);
  if (!gid || gid.type !== 'Message' || gid.source !== 'MAPI') errors.push({ code: 'INVALID_ID', message: 'messageId is not a MAPI message ID.', field: ['input', 'messageId'] });
  if (errors.length || !gid) return { message: null, channel: null, userErrors: errors };
  const conn = sendingConnection(ctx, 'MAPI', gid.connection);
  if (!('ok' in conn)) return conn;
  const original = await conn.client.message(gid.local);
  if (!original) return refuse('NOT_FOUND', 'MAPI has no such message for this connection.', ['input', 'messageId']);
  if (original.direction !== 'INBOUND' || (original.documentType !== 'INVOICE' && original.documentType !== 'CREDIT_NOTE')) {
    return refuse('NOT_AN_INVOICE', 'Only a received invoice or credit note can be answered.', ['input', 'messageId']);
  }
  const sender = original.sender?.identifiers[0];
  if (!sender || !original.documentNumber) return refuse('UPSTREAM_REJECTED', 'The original message does not name its sender or number.', ['input', 'messageId']);
  const fallback = ctx.upstreams.sources.MAPI?.fallbackEmail ?? null;
  if (!fallback) return refuse('FALLBACK_EMAIL_REQUIRED', 'MAPI needs an e-mail address to fall back on: configure MAPI_FALLBACK_EMAIL.', null);
  const code = RESPONSE_REASONS.find((r) => r.toLowerCase() === reason?.toLowerCase()) ?? null;
  const description = [code ? null : reason, input.note?.trim() || null].filter(Boolean).join(' — ') || null;
  const body = {
    messageHandling: { receiverIdentifier: sender.iso6523, fallbackEmailAddress: fallback },
    billingResponse: {
      issueDate: new Date().toISOString().slice(0, 10),
      status: RESPONSE_STATUS[input.status],
      ...(reason ? { reason: code ?? 'Other' } : {}),
      ...(description ? { reasonDescription: description } : {}),
      documentReference: { documentNo: original.documentNumber },
      ...(action ? { actions: [{ type: action, ...(input.note?.trim() ? { description: input.note.trim() } : {}) }] } : {}),
    },
  };
  const { idempotencyKey, ...fingerprinted } = input;
  return createOnce(ctx, conn.client, 'respondToInvoice', idempotencyKey, fingerprinted, (messageId) => conn.client.create('/transactions/submit-billing-response', { messageId, more: 'false' }, { json: body }));
}

export const sendResolvers: Resolvers = {
  Mutation: {
    sendInvoice: (_p, { input }, ctx) => sendInvoice(ctx, input),
    sendDocument: (_p, { input }, ctx) => sendDocument(ctx, input),
    respondToInvoice: (_p, { input }, ctx) => respondToInvoice(ctx, input),
  },
};
