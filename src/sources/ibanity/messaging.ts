import { decodeCursor, InvalidCursorError } from '../../domain/cursor.js';
import { parsePartyIdentifier } from '../../domain/identifiers.js';
import type { MessageModel, PartyModel } from '../../domain/models.js';
import { pageByKey } from '../../domain/page.js';
import { readUblInvoice, type UblInvoice } from '../../domain/ublInvoiceReader.js';
import { perOperation } from '../../http/index.js';
import type { Store } from '../../store/types.js';
import type { MessagesCapability, RecordsCapability } from '../types.js';
import type { IbanityClient } from './client.js';
import { InvalidInputError } from '../../domain/inputError.js';
import { statusWindows, type StatusWindow } from './window.js';
import { messageLocal, parseMessageLocal, type OutboundKind } from './ids.js';
import { buyerResponse, instant, listedKind, supplierParty, toInboundMessage, toInvoice, toOutboundMessage, toSupplier } from './map.js';
import type { SupplierDirectory } from './suppliers.js';
import type { WireInbound, WireOutbound } from './wire.js';

const LIST = 'ibanity-messages';
const EPOCH = '2000-01-01T00:00:00.000Z';

/**
 * One supplier's documents as messages: what it sent (`GET /peppol/documents`, by status-change
 * time, looking back `lookbackDays` unless the filter says since when) and what it received
 * (`GET /peppol/inbound-documents`, by creation time). The UBL of a page's messages is read for
 * their numbers and parties: from the gateway's own copy for sent ones, from Ibanity for received
 * ones (once per operation and document).
 */
export function ibanityMessaging(connection: string, supplierId: string, client: IbanityClient, directory: SupplierDirectory, store: Store, lookbackDays: number, maxWindows: number): MessagesCapability {
  const self = async (): Promise<PartyModel | null> => {
    const s = await directory.byId(supplierId);
    return s ? supplierParty(connection, toSupplier(connection, s)) : null;
  };
  const ubl = (local: string, inbound: boolean) =>
    perOperation(`ibanity-ubl|${connection}|${local}`, async (): Promise<{ xml: string; invoice: UblInvoice | null } | null> => {
      const xml = inbound ? await client.inboundXml(local.slice('inbound:'.length)) : await store.sentDocuments.get('IBANITY', connection, local);
      if (xml === null) return null;
      const read = readUblInvoice(xml);
      return { xml, invoice: read.ok ? read.invoice : null };
    });
  /**
   * Which route a listed document lives under. A list item's `type` may be the generic
   * `peppolOutboundDocument` (Lino's documentation; upstream-specs/ibanity.md "List item type
   * values seen"), which says nothing of the kind: the copy the gateway kept at send time decides,
   * else the invoice route and then the credit-note route are asked (once per operation).
   */
  const kindOf = (d: WireOutbound): Promise<OutboundKind | null> | OutboundKind => {
    if (/credit/i.test(d.type)) return 'credit-note';
    if (/invoice/i.test(d.type)) return 'invoice';
    return perOperation(`ibanity-kind|${connection}|${d.id}`, async () => {
      for (const kind of ['invoice', 'credit-note'] as const) if ((await store.sentDocuments.get('IBANITY', connection, messageLocal({ kind, id: d.id }))) !== null) return kind;
      for (const kind of ['invoice', 'credit-note'] as const) if (await client.outbound(supplierId, kind, d.id)) return kind;
      return null;
    });
  };
  /** A message with what its UBL says (number, parties, invoice), from the record the list or a get already read. */
  const outbound = async (d: WireOutbound, me: PartyModel | null, known?: OutboundKind) => {
    const kind = known ?? (await kindOf(d));
    const doc = kind ? await ubl(messageLocal({ kind, id: d.id }), false) : null;
    return toOutboundMessage(connection, d, me, doc?.invoice ?? null, doc !== null, kind);
  };
  const inbound = async (d: WireInbound, me: PartyModel | null) => toInboundMessage(connection, d, me, (await ubl(messageLocal({ kind: 'inbound', id: d.id }), true))?.invoice ?? null);

  const cap: MessagesCapability = {
    async list(filter, first, after) {
      const cursor = after === null ? null : decodeCursor(after, LIST);
      if (after !== null && !cursor) throw new InvalidCursorError();
      const me = await self();
      const since = filter?.since ? Date.parse(filter.since as string) : null;
      const untilMs = filter?.until ? Date.parse(filter.until as string) : null;
      const until = untilMs === null ? undefined : new Date(untilMs).toISOString();
      const wantOut = filter?.direction !== 'INBOUND';
      const wantIn = filter?.direction !== 'OUTBOUND';
      // Sent documents by status-change time, in windows Ibanity accepts; `from` counts back from `until`.
      const to = untilMs ?? Date.now();
      let windows: StatusWindow[] = [];
      if (wantOut) {
        try {
          windows = statusWindows(since ?? to - lookbackDays * 86_400_000, to, maxWindows);
        } catch (err) {
          throw new InvalidInputError(`${(err as Error).message}: give a later since, an until, or direction: INBOUND (IBANITY_DOCUMENTS_MAX_WINDOWS raises the bound).`, ['filter', 'since']);
        }
      }
      const [sentPerWindow, received] = await Promise.all([
        Promise.all(windows.map((w) => client.outboundList({ fromStatusChanged: new Date(w.from).toISOString(), toStatusChanged: new Date(w.to).toISOString(), supplierId }))),
        wantIn ? client.inboundList({ fromCreatedAt: since === null ? EPOCH : new Date(since).toISOString(), supplierId }) : [],
      ]);
      // Windows touch at their ends, and a status may change between two requests: one record per document.
      const seen = new Set<string>();
      const sent = sentPerWindow.flat().filter((d) => !seen.has(d.id) && Boolean(seen.add(d.id)));
      // The sandbox (and, per Lino, the real one) may list other suppliers' documents: keep this one's.
      const mine = <T extends { relationships?: { supplier?: { data: { id: string } } } }>(d: T) => !d.relationships?.supplier || d.relationships.supplier.data.id.toLowerCase() === supplierId.toLowerCase();
      // Each message from its list record; its UBL is read only where a filter or the page needs it.
      const entries = [
        ...sent.filter(mine).map((d) => ({ message: toOutboundMessage(connection, d, me, null, false, listedKind(d)), full: () => outbound(d, me) })),
        ...received.filter(mine).map((d) => ({ message: toInboundMessage(connection, d, me, null), full: () => inbound(d, me) })),
      ].filter(({ message: m }) => (!until || (m.createdAt ?? '') < until) && (!filter?.status || m.status === filter.status));
      const full = new Map(entries.map((e) => [e.message.uniqueId, e.full]));
      const needsUbl = Boolean(filter?.party || filter?.reference || filter?.documentType);
      let all: MessageModel[] = needsUbl ? await Promise.all(entries.map((e) => e.full())) : entries.map((e) => e.message);
      if (filter?.documentType) all = all.filter((m) => m.documentType === filter.documentType);
      if (filter?.reference) all = all.filter((m) => m.documentNumber === filter.reference || m.uniqueId.endsWith(filter.reference!.toLowerCase()));
      if (filter?.party) {
        const ids = new Set((parsePartyIdentifier(filter.party) ?? []).map((i) => i.iso6523));
        all = all.filter((m) => [m.sender, m.receiver].some((p) => p?.identifiers.some((i) => ids.has(i.iso6523))));
      }
      // Ordered by the document's own id after its time, so that a kind learnt later keeps the cursor's meaning.
      const page = pageByKey(all, (m) => [-Date.parse(m.createdAt ?? EPOCH), m.uniqueId.slice(m.uniqueId.indexOf(':') + 1)], LIST, first, cursor);
      if (!needsUbl) for (const edge of page.edges) edge.node = await full.get(edge.node.uniqueId)!();
      return page;
    },

    async get(local) {
      const ref = parseMessageLocal(local);
      if (!ref) return null;
      const me = await self();
      if (ref.kind === 'inbound') {
        const d = await client.inbound(ref.id);
        if (!d || (d.relationships?.supplier && d.relationships.supplier.data.id.toLowerCase() !== supplierId.toLowerCase())) return null;
        return inbound(d, me);
      }
      const d = await client.outbound(supplierId, ref.kind, ref.id);
      return d ? outbound(d, me, ref.kind) : null;
    },

    async events(m) {
      const ref = parseMessageLocal(m.uniqueId);
      if (ref?.kind === 'inbound') return (await client.businessStatuses(ref.id)).map((s) => ({ at: s.attributes.createdAt ?? m.createdAt ?? EPOCH, type: `businessStatus:${s.attributes.code}`, text: s.attributes.technicalStatus ? `answer ${s.attributes.technicalStatus}` : null, party: null }));
      return [
        { at: m.createdAt ?? EPOCH, type: 'created', text: 'Received by Ibanity', party: null },
        ...(m.upstreamStatus !== 'created' ? [{ at: m.deliveredAt ?? m.createdAt ?? EPOCH, type: m.upstreamStatus, text: null, party: null }] : []),
      ];
    },

    async validation(m) {
      const ref = parseMessageLocal(m.uniqueId);
      if (!ref || ref.kind === 'inbound') return [];
      const d = await client.outbound(supplierId, ref.kind, ref.id);
      return (d?.attributes.errors ?? []).map((e) => ({ severity: 'ERROR', rule: e.code ?? null, message: e.detail ?? e.message ?? e.code ?? 'error', location: null }));
    },

    async invoice(m) {
      if (m.documentType !== 'INVOICE' && m.documentType !== 'CREDIT_NOTE') return null;
      const doc = await ubl(m.uniqueId, m.direction === 'INBOUND');
      return doc?.invoice ? toInvoice(connection, m, doc.invoice) : null;
    },

    async buyerResponse(m) {
      // Asked only for received documents: a sent one's record carries the answer (toOutboundMessage).
      const ref = parseMessageLocal(m.uniqueId);
      if (ref?.kind !== 'inbound') return null;
      const statuses = await client.businessStatuses(ref.id);
      const last = statuses.at(-1);
      return last ? buyerResponse(last.attributes.code, instant(last.attributes.createdAt)) : null;
    },

    async mark() {
      return { ok: false, error: { code: 'UNSUPPORTED_DOCUMENT', message: 'Ibanity keeps no import status: answer a received invoice with respondToInvoice instead.', field: ['input', 'messageId'] } };
    },
  };
  return cap;
}

/** The UBL of a message, for the signed download route. */
export async function messageXml(client: IbanityClient, store: Store, connection: string, kind: string, ref: string): Promise<string | null> {
  return kind === 'ibanity-inbound' ? client.inboundXml(ref) : store.sentDocuments.get('IBANITY', connection, ref);
}

/** The invoice a message carries, read back by the message's local ID. */
export const ibanityRecords = (messages: MessagesCapability): RecordsCapability => ({
  async invoice(local) {
    const m = await messages.get(local);
    return m ? messages.invoice(m) : null;
  },
});
