import { decodeGlobalId, type GlobalId } from '../domain/globalId.js';
import { InvalidInputError } from '../domain/inputError.js';
import type { MessageModel } from '../domain/models.js';
import type { UserErrorModel } from '../domain/paymentInput.js';
import type { MarkMessageInput, MessageFilter } from '../generated/graphql.js';
import { capabilityFor, deniedAsUserError, tryCapability } from './access.js';
import type { RequestContext } from './context.js';

/**
 * Messages from whichever source offers them (MAPI today). The service picks the connection
 * through the access door and asks its messages capability; it knows no upstream's words.
 */

const ofMessage = (ctx: RequestContext, m: Pick<MessageModel, 'source' | 'connection'>) => capabilityFor(ctx, 'messages', m.source, m.connection).capability;

export async function listMessages(ctx: RequestContext, filter: MessageFilter | null | undefined, first: number, after: string | null, connection?: string | null) {
  return capabilityFor(ctx, 'messages', filter?.source, connection, 'read', ['connection']).capability.list(filter, first, after);
}

/** A message by global ID; null when the ID names no message. */
export async function getMessage(ctx: RequestContext, id: GlobalId): Promise<MessageModel | null> {
  if (id.type !== 'Message') return null;
  return capabilityFor(ctx, 'messages', id.source, id.connection).capability.get(id.local);
}

export async function messageById(ctx: RequestContext, id: string): Promise<MessageModel | null> {
  const gid = decodeGlobalId(id);
  if (!gid || gid.type !== 'Message') throw new InvalidInputError('id is not a message ID.', ['id']);
  return getMessage(ctx, gid);
}

export const messageEvents = (ctx: RequestContext, m: MessageModel) => ofMessage(ctx, m).events(m);
export const messageValidation = (ctx: RequestContext, m: MessageModel) => ofMessage(ctx, m).validation(m);
export const messageInvoice = (ctx: RequestContext, m: MessageModel) => ofMessage(ctx, m).invoice(m);
/** The record's own answer when it carries one; else the source is asked, if it keeps answers apart. */
export async function messageBuyerResponse(ctx: RequestContext, m: MessageModel) {
  if (m.buyerResponse !== undefined) return m.buyerResponse;
  const cap = ofMessage(ctx, m);
  return cap.buyerResponse ? cap.buyerResponse(m) : null;
}

export async function markMessage(ctx: RequestContext, input: MarkMessageInput): Promise<{ message: MessageModel | null; userErrors: UserErrorModel[] }> {
  const fail = (error: UserErrorModel) => ({ message: null, userErrors: [error] });
  const gid = decodeGlobalId(input.messageId);
  if (!gid || gid.type !== 'Message') return fail({ code: 'INVALID_ID', message: 'messageId is not a message ID.', field: ['input', 'messageId'] });
  const served = tryCapability(ctx, 'messages', gid.source, gid.connection, 'write');
  if (!served.ok) return fail(deniedAsUserError(served, ['input', 'messageId']));
  const reason = input.reason?.trim() || null;
  if (input.outcome === 'FAILED' && !reason) return fail({ code: 'REASON_REQUIRED', message: 'Say why the message could not be imported.', field: ['input', 'reason'] });
  const r = await served.capability.mark(gid.local, input.outcome, reason);
  return r.ok ? { message: r.message, userErrors: [] } : fail(r.error);
}
