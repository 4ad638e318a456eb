import { readBusinessDocument } from '../domain/businessDocument.js';
import { decodeGlobalId, type SourceName } from '../domain/globalId.js';
import { parsePartyIdentifier, type ParticipantIdModel } from '../domain/identifiers.js';
import type { DocumentTypeName, MessageModel } from '../domain/models.js';
import type { UserErrorModel } from '../domain/paymentInput.js';
import { quote } from '../domain/quote.js';
import { checkInvoiceHead, checkKey, checkLines, checkParty, type InvoiceInputModel } from '../domain/sendInput.js';
import type { Channel, RespondToInvoiceInput, SendDocumentInput, SendInvoiceInput, UserErrorCode } from '../generated/graphql.js';
import { derivedUuid, fingerprintOf } from '../idempotency/derivedId.js';
import type { SendingCapability, SendResult } from '../sources/types.js';
import { capabilityFor, tryCapability } from './access.js';
import type { RequestContext } from './context.js';

/**
 * Sending documents, exactly once per caller and key, through whichever channel offers sending
 * (MAPI today): the input is checked against the domain's rules first, then the channel sends it
 * with an idempotency token derived from caller and key that the channel honours.
 */

type Payload = { message: MessageModel | null; channel: Channel | null; userErrors: UserErrorModel[] };
const refuse = (code: UserErrorCode, message: string, field: string[] | null = null): Payload => ({ message: null, channel: null, userErrors: [{ code, message, field }] });

const ROOT_TYPES: Record<string, DocumentTypeName> = {
  Invoice: 'INVOICE', CreditNote: 'CREDIT_NOTE', Order: 'ORDER', OrderResponse: 'ORDER_RESPONSE', ApplicationResponse: 'BILLING_RESPONSE',
};

/** The channel's sending capability, or why there is none. AUTO: the source that offers sending. */
function channelFor(ctx: RequestContext, channel: Channel | null | undefined, connection: string | null | undefined) {
  const source = !channel || channel === 'AUTO' ? null : (channel as SourceName);
  const served = tryCapability(ctx, 'sending', source, connection, 'write');
  if (served.ok) return served;
  if (served.code === 'NOT_CONFIGURED') return refuse('CHANNEL_NOT_CONFIGURED', source ? `No ${source} connection is configured on this gateway yet.` : served.message, ['input', 'channel']);
  return refuse(served.code === 'BAD_USER_INPUT' ? 'INVALID_INPUT' : 'FORBIDDEN', served.message, ['input', 'connection']);
}

/** With channel AUTO (and always for ready-made documents), the receiver must be able to take the document. */
async function checkReachable(ctx: RequestContext, receiver: ParticipantIdModel, documentType: DocumentTypeName): Promise<Payload | null> {
  const cap = await ctx.loaders.capabilities.load({ identifier: receiver, documentType });
  if (cap.status === 'READY' && cap.reachable) return null;
  if (cap.status === 'PENDING') return refuse('CAPABILITY_PENDING', `The network is still looking up ${receiver.iso6523}; try again in a minute.`, ['input']);
  return refuse('NOT_REACHABLE', `${receiver.iso6523} cannot receive a ${documentType.toLowerCase().replace('_', ' ')} on the network.`, ['input']);
}

/**
 * Sends once per caller and key. The token is derived from the key, so the channel itself refuses
 * a second document; the ledger adds "same key, other input" detection and replays without an
 * upstream write.
 */
async function sendOnce(
  ctx: RequestContext,
  served: { source: SourceName; name: string; capability: SendingCapability },
  operation: string,
  key: string,
  input: unknown,
  send: (token: string) => Promise<SendResult>,
  /** Checked on the first run only (a replay answers what the first run did); a refusal frees the key. */
  precheck: () => Promise<Payload | null> = async () => null,
): Promise<Payload> {
  const token = derivedUuid(ctx.caller.id, operation, key);
  const result = await ctx.once.run<{ uniqueId: string } | Payload>({ caller: ctx.caller.id, operation, key }, fingerprintOf(input), async () => {
    const refused = await precheck();
    if (refused) return { kind: 'nothing-changed', value: refused };
    // No `sending()` mark: repeating the send is safe (the channel refuses a duplicate token), so a
    // lost answer frees the key and the caller's retry finds the document.
    const r = await send(token);
    if (r.ok) return { kind: 'done', value: { uniqueId: r.local } };
    return { kind: 'nothing-changed', value: { message: null, channel: null, userErrors: [r.error] } };
  });
  switch (result.kind) {
    case 'fresh':
    case 'replayed': {
      if ('userErrors' in result.value) return result.value;
      const message = await capabilityFor(ctx, 'messages', served.source, served.name).capability.get(result.value.uniqueId);
      // The ledger says the document was sent; the upstream no longer has it (a reset sandbox, a
      // purge). Sending again would break the key's promise, so say what happened instead.
      if (!message) {
        return refuse('MESSAGE_NOT_FOUND', `This idempotencyKey already created message ${result.value.uniqueId}, which ${served.source} no longer knows; nothing was sent again. Use a new key to send the document anew.`, ['input', 'idempotencyKey']);
      }
      return { message, channel: served.source as Channel, userErrors: [] };
    }
    case 'mismatch':
      return refuse('IDEMPOTENCY_KEY_REUSED', 'This idempotencyKey was already used for a different document; use a new key.', ['input', 'idempotencyKey']);
    case 'in-progress':
      return refuse('IDEMPOTENCY_KEY_IN_PROGRESS', 'A send with this idempotencyKey is still running; ask again in a moment.', ['input', 'idempotencyKey']);
    case 'unknown':
      return refuse('UPSTREAM_REJECTED', 'An earlier attempt with this key ended without an answer.', ['input', 'idempotencyKey']);
  }
}

export async function sendInvoice(ctx: RequestContext, input: SendInvoiceInput): Promise<Payload> {
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

  const served = channelFor(ctx, input.channel, input.connection);
  if (!('ok' in served)) return served;
  const kind = input.kind ?? 'INVOICE';
  const invoice: InvoiceInputModel = {
    kind, number: input.number, issueDate: input.issueDate, dueDate: input.dueDate ?? null, currency, buyerReference: input.buyerReference ?? null, orderReference: input.orderReference ?? null, seller, buyer,
    lines: input.lines.map((l) => ({ itemNumber: l.itemNumber ?? null, description: l.description, quantity: l.quantity, unitCode: l.unitCode ?? 'C62', unitPrice: l.unitPrice, taxPercent: l.taxPercent, taxCategory: (l.taxCategory ?? 'S').toUpperCase() })),
  };
  const missing = served.capability.precheckInvoice(invoice);
  if (missing) return { message: null, channel: null, userErrors: [missing] };
  const { idempotencyKey, ...fingerprinted } = input;
  const precheck = (input.channel ?? 'AUTO') === 'AUTO' ? () => checkReachable(ctx, buyer.ids[0]!, kind) : undefined;
  return sendOnce(ctx, served, 'sendInvoice', idempotencyKey, fingerprinted, (token) => served.capability.sendInvoice(invoice, token), precheck);
}

export async function sendDocument(ctx: RequestContext, input: SendDocumentInput): Promise<Payload> {
  const errors: UserErrorModel[] = [];
  checkKey(input.idempotencyKey, errors);
  const receiver = parsePartyIdentifier(input.receiver);
  if (!receiver) errors.push({ code: 'INVALID_IDENTIFIER', message: `${quote(input.receiver)} is not a party identifier.`, field: ['input', 'receiver'] });
  const doc = readBusinessDocument(input.xml);
  if (!doc.ok) errors.push({ code: 'INVALID_DOCUMENT', message: doc.message, field: ['input', 'xml'] });
  if (errors.length || !receiver || !doc.ok) return { message: null, channel: null, userErrors: errors };
  const documentType = ROOT_TYPES[doc.head.root];
  if (!documentType) return refuse('UNSUPPORTED_DOCUMENT', `A ${doc.head.root} document cannot be sent; send a UBL Invoice, CreditNote, Order, OrderResponse or ApplicationResponse.`, ['input', 'xml']);
  const served = channelFor(ctx, input.channel, input.connection);
  if (!('ok' in served)) return served;
  const { idempotencyKey, ...fingerprinted } = input;
  return sendOnce(ctx, served, 'sendDocument', idempotencyKey, fingerprinted, (token) => served.capability.sendDocument(doc.text, documentType, token), () => checkReachable(ctx, receiver[0]!, documentType));
}

export async function respondToInvoice(ctx: RequestContext, input: RespondToInvoiceInput): Promise<Payload> {
  const errors: UserErrorModel[] = [];
  checkKey(input.idempotencyKey, errors);
  const reason = input.reason?.trim() || null;
  if ((input.status === 'REJECTED' || input.status === 'UNDER_QUERY') && !reason) errors.push({ code: 'REASON_REQUIRED', message: 'Say why (reason) when rejecting or querying an invoice.', field: ['input', 'reason'] });
  const gid = decodeGlobalId(input.messageId);
  if (!gid || gid.type !== 'Message') errors.push({ code: 'INVALID_ID', message: 'messageId is not a message ID.', field: ['input', 'messageId'] });
  const served = gid ? channelFor(ctx, gid.source as Channel, gid.connection) : null;
  const actions = served && 'ok' in served ? served.capability.responseActions : [];
  const action = input.action ? actions.find((a) => a.toLowerCase() === input.action!.trim().toLowerCase()) ?? null : null;
  if (input.action && served && 'ok' in served && !action) errors.push({ code: 'INVALID_ACTION', message: `action must be one of ${actions.join(', ')}.`, field: ['input', 'action'] });
  if (errors.length || !gid || !served) return { message: null, channel: null, userErrors: errors };
  if (!('ok' in served)) return served;
  const original = await capabilityFor(ctx, 'messages', gid.source, gid.connection).capability.get(gid.local);
  if (!original) return refuse('NOT_FOUND', `${gid.source} has no such message for this connection.`, ['input', 'messageId']);
  if (original.direction !== 'INBOUND' || (original.documentType !== 'INVOICE' && original.documentType !== 'CREDIT_NOTE')) {
    return refuse('NOT_AN_INVOICE', 'Only a received invoice or credit note can be answered.', ['input', 'messageId']);
  }
  const { idempotencyKey, ...fingerprinted } = input;
  const response = { status: input.status, reason, note: input.note?.trim() || null, action };
  return sendOnce(ctx, served, 'respondToInvoice', idempotencyKey, fingerprinted, (token) => served.capability.respond(original, response, token));
}
