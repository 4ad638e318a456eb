import { InvalidCursorError } from '../../domain/cursor.js';
import { parsePartyIdentifier } from '../../domain/identifiers.js';
import { InvalidInputError } from '../../domain/inputError.js';
import { quote } from '../../domain/quote.js';
import type { MessageFilter } from '../../generated/graphql.js';
import type { MessagesCapability } from '../types.js';
import type { MapiClient } from './client.js';
import { MAPI_STATUSES, TRANSACTION_GROUP, utcInstant } from './map.js';
import { decodeMessageCursor, pageMessages } from './paging.js';

/**
 * MAPI filter sets for a unified filter: one per MAPI list the page is merged from. A unified
 * status may stand for several MAPI statuses, and a counterparty without a direction may be the
 * sender or the receiver.
 */
export function mapiLists(f: MessageFilter | null | undefined): Record<string, string>[] {
  const base: Record<string, string> = {};
  if (f?.direction) base.Transfer = f.direction === 'INBOUND' ? 'inbound' : 'outbound';
  if (f?.documentType) base.TransactionGroup = TRANSACTION_GROUP[f.documentType];
  if (f?.since) base.TimeReceivedFrom = f.since;
  if (f?.until) base.TimeReceivedTo = f.until;
  if (f?.reference) {
    if (f.reference.length > 200) throw new InvalidInputError('filter.reference is at most 200 characters.', ['filter', 'reference']);
    base.MessageReference = f.reference;
  }
  let lists: Record<string, string>[] = [base];
  if (f?.party) {
    const ids = parsePartyIdentifier(f.party);
    if (!ids) throw new InvalidInputError(`${quote(f.party)} is not a party identifier.`, ['filter', 'party']);
    const party = ids[0]!.iso6523;
    lists = f.direction === 'INBOUND' ? [{ ...base, SourcePartyIdentifier: party }]
      : f.direction === 'OUTBOUND' ? [{ ...base, SinkPartyIdentifier: party }]
      : [{ ...base, SourcePartyIdentifier: party }, { ...base, SinkPartyIdentifier: party }];
  }
  if (f?.status) lists = lists.flatMap((l) => MAPI_STATUSES[f.status!].map((Status) => ({ ...l, Status })));
  return lists;
}

const severity = (statusType: string) => (/error|fatal/i.test(statusType) ? 'ERROR' : 'WARNING') as 'ERROR' | 'WARNING';

const ACTIONS = { DELIVERED: 'mark-as-delivered', FAILED: 'mark-as-failed', PROCESSED: 'mark-as-processed' } as const;
const TARGETS = { DELIVERED: 'delivered', FAILED: 'failed', PROCESSED: 'pendingdelivery' } as const;

/** The unified messages capability over one MAPI connection. */
export function mapiMessaging(client: MapiClient): MessagesCapability {
  return {
    async list(filter, first, after) {
      const lists = mapiLists(filter);
      const positions = decodeMessageCursor(after, lists.length);
      if (!positions) throw new InvalidCursorError();
      return pageMessages((list, offset, limit) => client.listMessages(lists[list]!, offset, limit), positions, first);
    },
    get: (local) => client.message(local),
    async events(m) {
      return (await client.traces(m.uniqueId)).map((t) => ({ at: utcInstant(t.timestamp) ?? t.timestamp, type: t.typeName, text: t.message ?? null, party: t.sourcePartyName || t.sourceUser || null }));
    },
    async validation(m) {
      return (await client.validationEntries(m.uniqueId)).map((v) => ({
        severity: severity(v.statusType),
        rule: /\[([A-Z0-9-]+)\]/.exec(v.detailMessage ?? '')?.[1] ?? null,
        message: v.detailMessage || v.friendlyMessage || v.statusType,
        location: v.referenceKey ?? null,
      }));
    },
    invoice: (m) => (m.documentType === 'INVOICE' || m.documentType === 'CREDIT_NOTE' ? client.invoiceOf(m) : Promise.resolve(null)),
    async mark(local, outcome, reason) {
      const fail = (code: 'NOT_FOUND' | 'INVALID_STATUS_TRANSITION' | 'UPSTREAM_REJECTED', message: string, field: string[] | null) => ({ ok: false as const, error: { code, message, field } });
      const r = await client.mark(local, ACTIONS[outcome], outcome === 'FAILED' ? (reason ?? undefined) : undefined);
      const after = await client.message(local);
      if (r.ok) return { ok: true, message: after };
      if (r.status === 404 || !after) return fail('NOT_FOUND', 'MAPI has no such message for this connection.', ['input', 'messageId']);
      // Asking again for a final status the message already has (a retry after a lost answer) is a
      // success. Not for PROCESSED: its target, pendingdelivery, is also where messages start.
      if (r.status === 422 && outcome !== 'PROCESSED' && after.direction === 'INBOUND' && after.upstreamStatus === TARGETS[outcome]) return { ok: true, message: after };
      if (r.status === 422) return fail('INVALID_STATUS_TRANSITION', r.message, ['input', 'outcome']);
      return fail('UPSTREAM_REJECTED', r.message, null);
    },
  };
}
