import type { UserErrorCode } from '../src/generated/graphql.js';
import { quote } from '../src/domain/quote.js';
import { useConnection } from '../src/auth/access.js';
import type { GatewayContext } from '../src/context.js';
import { InvalidCursorError } from '../src/domain/cursor.js';
import { decodeGlobalId } from '../src/domain/globalId.js';
import { parsePartyIdentifier } from '../src/domain/identifiers.js';
import type { MessageModel } from '../src/domain/models.js';
import type { MessageFilter, Resolvers } from '../src/generated/graphql.js';
import { badInput } from '../src/server/errors.js';
import { connectionFor } from './access.js';
import { checkFirst } from './paging.js';
import { MAPI_STATUSES, TRANSACTION_GROUP } from '../src/sources/mapi/map.js';
import { decodeMessageCursor, pageMessages } from '../src/sources/mapi/paging.js';

const mapiFor = (ctx: GatewayContext, connection: string | null, scope: 'read' | 'write') => connectionFor(ctx, 'MAPI', connection, scope);

/**
 * MAPI filter sets for a unified filter: one per MAPI list the page is merged from. A unified
 * status may stand for several MAPI statuses, and a counterparty without a direction may be the
 * sender or the receiver.
 */
function mapiLists(f: MessageFilter | null | undefined): Record<string, string>[] {
  const base: Record<string, string> = {};
  if (f?.direction) base.Transfer = f.direction === 'INBOUND' ? 'inbound' : 'outbound';
  if (f?.documentType) base.TransactionGroup = TRANSACTION_GROUP[f.documentType];
  if (f?.since) base.TimeReceivedFrom = f.since;
  if (f?.until) base.TimeReceivedTo = f.until;
  if (f?.reference) {
    if (f.reference.length > 200) throw badInput('filter.reference is at most 200 characters.', ['filter', 'reference']);
    base.MessageReference = f.reference;
  }
  let lists: Record<string, string>[] = [base];
  if (f?.party) {
    const ids = parsePartyIdentifier(f.party);
    if (!ids) throw badInput(`${quote(f.party)} is not a party identifier.`, ['filter', 'party']);
    const party = ids[0]!.iso6523;
    lists = f.direction === 'INBOUND' ? [{ ...base, SourcePartyIdentifier: party }]
      : f.direction === 'OUTBOUND' ? [{ ...base, SinkPartyIdentifier: party }]
      : [{ ...base, SourcePartyIdentifier: party }, { ...base, SinkPartyIdentifier: party }];
  }
  if (f?.status) lists = lists.flatMap((l) => MAPI_STATUSES[f.status!].map((Status) => ({ ...l, Status })));
  return lists;
}

const severity = (statusType: string) => (/error|fatal/i.test(statusType) ? 'ERROR' : 'WARNING');

export const messageResolvers: Resolvers = {
  Query: {
    message: async (_p, { id }, ctx) => {
      const gid = decodeGlobalId(id);
      if (!gid || gid.type !== 'Message') throw badInput('id is not a message ID.', ['id']);
      if (gid.source !== 'MAPI') return null;
      return mapiFor(ctx, gid.connection, 'read').client.message(gid.local);
    },
    messages: async (_p, { filter, first, after }, ctx) => {
      if (filter?.source && filter.source !== 'MAPI') throw badInput(`No message source ${filter.source} is configured on this gateway yet.`, ['filter', 'source']);
      const n = checkFirst(ctx, first);
      const lists = mapiLists(filter);
      const positions = decodeMessageCursor(after ?? null, lists.length);
      if (!positions) throw new InvalidCursorError();
      const mapi = mapiFor(ctx, null, 'read');
      return pageMessages((list, offset, limit) => mapi.client.listMessages(lists[list]!, offset, limit), positions, n);
    },
  },
  Message: {
    events: async (m, _a, ctx) =>
      (await mapiFor(ctx, m.connection, 'read').client.traces(m.uniqueId)).map((t) => ({
        at: t.timestamp,
        type: t.typeName,
        text: t.message ?? null,
        party: t.sourcePartyName || t.sourceUser || null,
      })),
    validation: async (m, _a, ctx) =>
      (await mapiFor(ctx, m.connection, 'read').client.validationEntries(m.uniqueId)).map((v) => ({
        severity: severity(v.statusType),
        rule: /\[([A-Z0-9-]+)\]/.exec(v.detailMessage ?? '')?.[1] ?? null,
        message: v.detailMessage || v.friendlyMessage || v.statusType,
        location: v.referenceKey ?? null,
      })),
    invoice: async (m, _a, ctx) =>
      m.documentType === 'INVOICE' || m.documentType === 'CREDIT_NOTE' ? mapiFor(ctx, m.connection, 'read').client.invoiceOf(m) : null,
  },
  Mutation: {
    markMessage: async (_p, { input }, ctx) => {
      const fail = (code: UserErrorCode, message: string, field: string[] | null = null) => ({ message: null, userErrors: [{ code, message, field }] });
      const gid = decodeGlobalId(input.messageId);
      if (!gid || gid.type !== 'Message' || gid.source !== 'MAPI') return fail('INVALID_ID', 'messageId is not a MAPI message ID.', ['input', 'messageId']);
      const conn = useConnection(ctx.caller, ctx.upstreams, 'MAPI', gid.connection, 'write');
      if (!conn.ok) return fail('FORBIDDEN', conn.message, ['input', 'messageId']);
      const reason = input.reason?.trim();
      if (input.outcome === 'FAILED' && !reason) return fail('REASON_REQUIRED', 'Say why the message could not be imported.', ['input', 'reason']);
      const action = input.outcome === 'DELIVERED' ? 'mark-as-delivered' : input.outcome === 'FAILED' ? 'mark-as-failed' : 'mark-as-processed';
      const target = input.outcome === 'DELIVERED' ? 'delivered' : input.outcome === 'FAILED' ? 'failed' : 'pendingdelivery';
      const r = await conn.client.mark(gid.local, action, input.outcome === 'FAILED' ? reason : undefined);
      const after: MessageModel | null = await conn.client.message(gid.local);
      if (r.ok) return { message: after, userErrors: [] };
      if (r.status === 404 || !after) return fail('NOT_FOUND', 'MAPI has no such message for this connection.', ['input', 'messageId']);
      // Asking again for a final status the message already has (a retry after a lost answer) is a
      // success. Not for PROCESSED: its target, pendingdelivery, is also where messages start.
      const final = input.outcome !== 'PROCESSED';
      if (r.status === 422 && final && after.direction === 'INBOUND' && after.upstreamStatus === target) return { message: after, userErrors: [] };
      if (r.status === 422) return fail('INVALID_STATUS_TRANSITION', r.message, ['input', 'outcome']);
      return fail('UPSTREAM_REJECTED', r.message);
    },
  },
};
