import { readBusinessDocument } from '../domain/businessDocument.js';
import { decodeGlobalId, type SourceName } from '../domain/globalId.js';
import { parsePartyIdentifier, type ParticipantIdModel } from '../domain/identifiers.js';
import type { DocumentTypeName, MessageModel } from '../domain/models.js';
import type { UserErrorModel } from '../domain/paymentInput.js';
import { quote } from '../domain/quote.js';
import { checkAllowances, checkInvoiceHead, checkKey, checkLines, checkParty, type InvoiceInputModel } from '../domain/sendInput.js';
import { isValidOgm, normalizeOgm } from '../domain/ogm.js';
import { OutcomeUnknownError } from '../idempotency/once.js';
import { usableConnections } from '../auth/access.js';
import { runtimesOf } from '../sources/registry.js';
import type { Channel, RespondToInvoiceInput, SendDocumentInput, SendInvoiceInput, UserErrorCode } from '../generated/graphql.js';
import { derivedUuid, fingerprintOf } from '../idempotency/derivedId.js';
import type { SendingCapability, SendResult } from '../sources/types.js';
import { capabilityFor, deniedAsUserError, tryCapability } from './access.js';
import type { RequestContext } from './context.js';
import { ruleBreaks } from './validation.js';

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

type Served = { source: SourceName; name: string; capability: SendingCapability };

/** The channel named (or the only connection of it the caller may use), or why there is none. */
function channelFor(ctx: RequestContext, source: SourceName, connection: string | null | undefined): Served | Payload {
  const served = tryCapability(ctx, 'sending', source, connection, 'write');
  if (served.ok) return served;
  if (served.code === 'NOT_CONFIGURED') return refuse('CHANNEL_NOT_CONFIGURED', `No ${source} connection is configured on this gateway.`, ['input', 'channel']);
  return refuse(served.code === 'BAD_USER_INPUT' ? 'INVALID_INPUT' : 'FORBIDDEN', served.message, ['input', 'connection']);
}

const isPayload = (x: Served | Served[] | Set<SourceName> | Payload): x is Payload => !Array.isArray(x) && !(x instanceof Set) && 'userErrors' in x;

/** Every connection the caller may send through, in the configured order of channels (`AUTO_CHANNEL_ORDER`). */
function sendingChannels(ctx: RequestContext, connection: string | null | undefined): Served[] {
  const order = ctx.channelOrder;
  const runtimes = runtimesOf(ctx.upstreams).filter((r) => order.includes(r.source)).sort((a, b) => order.indexOf(a.source) - order.indexOf(b.source));
  return runtimes.flatMap((r) =>
    usableConnections(ctx.caller, ctx.upstreams, r.source)
      .filter((name) => !connection || name === connection)
      .flatMap((name) => {
        const got = tryCapability(ctx, 'sending', r.source, name, 'write');
        return got.ok ? [got] : [];
      }),
  );
}

/**
 * AUTO: the receiver's capabilities name the networks that can deliver; of those, the first channel
 * in the configured order whose connection takes the document (Ibanity: the supplier that is the
 * seller) sends it. What stopped each candidate is returned when none can.
 */
async function chooseChannel(ctx: RequestContext, receiver: ParticipantIdModel, documentType: DocumentTypeName, connection: string | null | undefined, precheck: (c: SendingCapability) => Promise<UserErrorModel | null>): Promise<Served | Payload> {
  const channels = sendingChannels(ctx, connection);
  if (channels.length === 0) return refuse('CHANNEL_NOT_CONFIGURED', connection ? `No sending connection "${connection}" may be used by this caller.` : 'No channel this caller may send through is configured on this gateway.', ['input', 'channel']);
  const reach = await reachableThrough(ctx, receiver, documentType);
  if (isPayload(reach)) return reach;
  const delivering = reach;
  const problems: UserErrorModel[] = [];
  for (const c of channels.filter((x) => delivering.has(x.source))) {
    const problem = await precheck(c.capability);
    if (!problem) return c;
    problems.push({ ...problem, message: `${c.source} (${c.name}): ${problem.message}` });
  }
  if (problems.length) return { message: null, channel: null, userErrors: problems };
  return refuse('NOT_REACHABLE', `${receiver.iso6523} is reachable only through ${[...delivering].join(' or ')}, which this caller may not send through.`, ['input', 'channel']);
}

/** The networks that can deliver the document to the receiver, or why none can (still looking, or none). */
async function reachableThrough(ctx: RequestContext, receiver: ParticipantIdModel, documentType: DocumentTypeName): Promise<Set<SourceName> | Payload> {
  const cap = await ctx.loaders.capabilities.load({ identifier: receiver, documentType });
  if (cap.status === 'PENDING') return refuse('CAPABILITY_PENDING', `The network is still looking up ${receiver.iso6523}; try again in a minute.`, ['input']);
  const delivering = new Set(cap.formats.map((f) => f.source));
  if (cap.status !== 'READY' || !cap.reachable || delivering.size === 0) return refuse('NOT_REACHABLE', `${receiver.iso6523} cannot receive a ${documentType.toLowerCase().replace('_', ' ')} on the network.`, ['input']);
  return delivering;
}

/** With a named channel (and always for ready-made documents), the receiver must be able to take the document. */
async function checkReachable(ctx: RequestContext, receiver: ParticipantIdModel, documentType: DocumentTypeName): Promise<Payload | null> {
  const reach = await reachableThrough(ctx, receiver, documentType);
  return isPayload(reach) ? reach : null;
}

/** What the ledger keeps for a sent key: the message, and the channel that sent it (AUTO may pick either). */
type Sent = { uniqueId: string; source?: SourceName; connection?: string };

/**
 * Sends once per caller and key. The first run picks the channel (`pick`) and sends; the ledger keeps
 * which channel and message, so a replay answers the same message without a new upstream write. A
 * channel that honours the derived token (MAPI) refuses a second document by itself; for one that
 * does not (Ibanity), the ledger marks the send before it goes out, and a lost answer is reported as
 * OUTCOME_UNKNOWN instead of being sent again.
 */
async function sendOnce(
  ctx: RequestContext,
  operation: string,
  key: string,
  input: unknown,
  /** The channel for this document, or why nothing may be sent (checked on the first run only). */
  pick: () => Promise<Served | Payload>,
  send: (served: Served, token: string) => Promise<SendResult>,
): Promise<Payload> {
  const token = derivedUuid(ctx.caller.id, operation, key);
  let result;
  let chosen: Served | null = null;
  try {
    result = await ctx.once.run<Sent | Payload>({ caller: ctx.caller.id, operation, key }, fingerprintOf(input), async (ctl) => {
      const served = await pick();
      if (isPayload(served)) return { kind: 'nothing-changed', value: served };
      chosen = served;
      if (!served.capability.honoursToken) await ctl.sending();
      const r = await send(served, token);
      if (r.ok) return { kind: 'done', value: { uniqueId: r.local, source: served.source, connection: served.name } };
      return { kind: 'nothing-changed', value: { message: null, channel: null, userErrors: [r.error] } };
    });
  } catch (err) {
    if (err instanceof OutcomeUnknownError) return outcomeUnknown((chosen as Served | null)?.source ?? 'the channel', err.detail);
    throw err;
  }
  switch (result.kind) {
    case 'fresh':
    case 'replayed': {
      if ('userErrors' in result.value) return result.value;
      const sent = result.value;
      // Keys from before channels were recorded were all MAPI's.
      const source = sent.source ?? 'MAPI';
      const found = tryCapability(ctx, 'messages', source, sent.connection ?? null, 'read');
      if (!found.ok) return { message: null, channel: source as Channel, userErrors: [deniedAsUserError(found, ['input', 'connection'])] };
      const message = await found.capability.get(sent.uniqueId);
      // The ledger says the document was sent; the upstream no longer has it (a reset sandbox, a
      // purge). Sending again would break the key's promise, so say what happened instead.
      if (!message) {
        return refuse('MESSAGE_NOT_FOUND', `This idempotencyKey already created message ${sent.uniqueId}, which ${source} no longer knows; nothing was sent again. Use a new key to send the document anew.`, ['input', 'idempotencyKey']);
      }
      return { message, channel: source as Channel, userErrors: [] };
    }
    case 'mismatch':
      return refuse('IDEMPOTENCY_KEY_REUSED', 'This idempotencyKey was already used for a different document; use a new key.', ['input', 'idempotencyKey']);
    case 'in-progress':
      return refuse('IDEMPOTENCY_KEY_IN_PROGRESS', 'A send with this idempotencyKey is still running; ask again in a moment.', ['input', 'idempotencyKey']);
    case 'unknown':
      return outcomeUnknown('the channel', result.detail ?? `the attempt started at ${new Date(result.startedAt).toISOString()} was interrupted`);
  }
}

function outcomeUnknown(source: string, detail: string): Payload {
  return refuse('OUTCOME_UNKNOWN', `${source} did not confirm the send (${detail}); the document may or may not have gone out. Check the messages before sending again with a new idempotencyKey.`, ['input', 'idempotencyKey']);
}

/**
 * The connections of a named channel this send may use: the one named, or, with none named, every
 * usable one (Ibanity: one per supplier; the one whose supplier is the seller is picked).
 */
function namedChannels(ctx: RequestContext, source: SourceName, connection: string | null | undefined): Served[] | Payload {
  if (connection) {
    const one = channelFor(ctx, source, connection);
    return isPayload(one) ? one : [one];
  }
  const all = sendingChannels(ctx, null).filter((c) => c.source === source);
  if (all.length) return all;
  const none = channelFor(ctx, source, null);
  return isPayload(none) ? none : [none];
}

/** A named channel: the first of its connections whose precheck passes, then the receiver check. */
const named = (ctx: RequestContext, source: SourceName, connection: string | null | undefined, reach: () => Promise<Payload | null>, precheck: (c: SendingCapability) => Promise<UserErrorModel | null>) => async (): Promise<Served | Payload> => {
  const candidates = namedChannels(ctx, source, connection);
  if (isPayload(candidates)) return candidates;
  const problems: UserErrorModel[] = [];
  for (const c of candidates) {
    const problem = await precheck(c.capability);
    if (!problem) return (await reach()) ?? c;
    problems.push(candidates.length > 1 ? { ...problem, message: `${c.source} (${c.name}): ${problem.message}` } : problem);
  }
  return { message: null, channel: null, userErrors: problems };
};

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
  checkAllowances(input.allowances ?? [], errors);
  // Twelve digits are an OGM, and then its check digits must hold; anything else is free text.
  const ogm = input.paymentReference ? normalizeOgm(input.paymentReference) : null;
  if (ogm && !isValidOgm(ogm)) errors.push({ code: 'INVALID_INPUT', message: `${quote(input.paymentReference!)} looks like an OGM but its check digits are wrong.`, field: ['input', 'paymentReference'] });
  if (errors.length || !seller || !buyer) return { message: null, channel: null, userErrors: errors };

  const kind = input.kind ?? 'INVOICE';
  const invoice: InvoiceInputModel = {
    kind, number: input.number, issueDate: input.issueDate, dueDate: input.dueDate ?? null, currency, buyerReference: input.buyerReference ?? null, orderReference: input.orderReference ?? null, seller, buyer,
    lines: input.lines.map((l) => ({ itemNumber: l.itemNumber ?? null, description: l.description, quantity: l.quantity, unitCode: l.unitCode ?? 'C62', unitPrice: l.unitPrice, taxPercent: l.taxPercent, taxCategory: (l.taxCategory ?? 'S').toUpperCase(), exemptionReason: l.taxExemptionReason?.trim() || null })),
    allowances: (input.allowances ?? []).map((a) => ({ reason: a.reason.trim(), amount: a.amount, taxPercent: a.taxPercent, taxCategory: (a.taxCategory ?? 'S').toUpperCase() })),
    paymentReference: ogm ?? (input.paymentReference?.trim() || null),
    pdf: input.pdf ?? null,
  };
  const precheck = (c: SendingCapability) => c.precheckInvoice(invoice);
  const channel = input.channel ?? 'AUTO';
  const pick = channel === 'AUTO' ? () => chooseChannel(ctx, buyer.ids[0]!, kind, input.connection, precheck) : named(ctx, channel as SourceName, input.connection, async () => null, precheck);
  // Checked now, not only in the first run: a caller who may not use the channel learns it at once.
  if (channel !== 'AUTO') {
    const served = namedChannels(ctx, channel as SourceName, input.connection);
    if (isPayload(served)) return served;
  }
  const { idempotencyKey, ...fingerprinted } = input;
  return sendOnce(ctx, 'sendInvoice', idempotencyKey, fingerprinted, pick, (served, token) => served.capability.sendInvoice(invoice, token));
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
  // An invoice or credit note the network would reject is refused here, with every rule it breaks.
  if (documentType === 'INVOICE' || documentType === 'CREDIT_NOTE') {
    const broken = ruleBreaks(doc.text, ['input', 'xml']);
    if (broken.length) return { message: null, channel: null, userErrors: broken };
  }
  const precheck = (c: SendingCapability) => c.precheckDocument(doc.text);
  const channel = input.channel ?? 'AUTO';
  if (channel !== 'AUTO') {
    const served = namedChannels(ctx, channel as SourceName, input.connection);
    if (isPayload(served)) return served;
  }
  const pick = channel === 'AUTO' ? () => chooseChannel(ctx, receiver[0]!, documentType, input.connection, precheck) : named(ctx, channel as SourceName, input.connection, () => checkReachable(ctx, receiver[0]!, documentType), precheck);
  const { idempotencyKey, ...fingerprinted } = input;
  return sendOnce(ctx, 'sendDocument', idempotencyKey, fingerprinted, pick, (served, token) => served.capability.sendDocument(doc.text, documentType, token));
}

export async function respondToInvoice(ctx: RequestContext, input: RespondToInvoiceInput): Promise<Payload> {
  const errors: UserErrorModel[] = [];
  checkKey(input.idempotencyKey, errors);
  const reason = input.reason?.trim() || null;
  if ((input.status === 'REJECTED' || input.status === 'UNDER_QUERY') && !reason) errors.push({ code: 'REASON_REQUIRED', message: 'Say why (reason) when rejecting or querying an invoice.', field: ['input', 'reason'] });
  const gid = decodeGlobalId(input.messageId);
  if (!gid || gid.type !== 'Message') errors.push({ code: 'INVALID_ID', message: 'messageId is not a message ID.', field: ['input', 'messageId'] });
  const served = gid ? channelFor(ctx, gid.source, gid.connection) : null;
  const actions = served && !isPayload(served) ? served.capability.responseActions : [];
  const action = input.action ? actions.find((a) => a.toLowerCase() === input.action!.trim().toLowerCase()) ?? null : null;
  if (input.action && served && !isPayload(served) && !action) errors.push({ code: 'INVALID_ACTION', message: `action must be one of ${actions.join(', ')}.`, field: ['input', 'action'] });
  if (errors.length || !gid || !served) return { message: null, channel: null, userErrors: errors };
  if (isPayload(served)) return served;
  const original = await capabilityFor(ctx, 'messages', gid.source, gid.connection).capability.get(gid.local);
  if (!original) return refuse('NOT_FOUND', `${gid.source} has no such message for this connection.`, ['input', 'messageId']);
  if (original.direction !== 'INBOUND' || (original.documentType !== 'INVOICE' && original.documentType !== 'CREDIT_NOTE')) {
    return refuse('NOT_AN_INVOICE', 'Only a received invoice or credit note can be answered.', ['input', 'messageId']);
  }
  const { idempotencyKey, ...fingerprinted } = input;
  const response = { status: input.status, reason, note: input.note?.trim() || null, action };
  return sendOnce(ctx, 'respondToInvoice', idempotencyKey, fingerprinted, async () => served, (channel, token) => channel.capability.respond(original, response, token));
}
