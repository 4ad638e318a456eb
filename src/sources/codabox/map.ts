import { codaboxFileName, codaboxFolder, type CodaboxModel } from '../../domain/codaboxFiles.js';
import { codaPlusPayments, type CodaPlusStatement } from '../../domain/codaPlus.js';
import { clientPartyId, feedEntryId, feedId, feedInvoiceId, movementId, movementLocal, supplierPartyId } from './ids.js';
import { normalizeEnterpriseNumber } from '../../domain/identifiers.js';
import { money } from '../../domain/money.js';
import type { DocumentModel, FeedEntryModel, FeedKindName, FeedModel, InvoiceModel, PartyModel, PaymentModel } from '../../domain/models.js';
import { toPaymentReference } from '../../domain/ogm.js';
import { WireCodaMetadata, WireInvoiceMetadata, WireSodaMetadata, type WireClient, type WireFeed, type WirePodClient } from './wire.js';
import { address } from '../../domain/address.js';
import { participantId } from '../../domain/identifiers.js';
import type { z } from 'zod';

const MODELS: Record<string, FeedEntryModel['model']> = { coda: 'CODA', soda: 'SODA', purchase_invoice: 'PURCHASE_INVOICE', sales_invoice: 'SALES_INVOICE' };
const CONTENT_TYPES: Record<string, string> = { cod: 'text/plain', pdf: 'application/pdf', xml: 'application/xml' };
export const FEED_KIND: Record<FeedKindName, 'download' | 'redownload'> = { NEW: 'download', REDOWNLOAD: 'redownload' };

export { feedId, feedEntryId };

export function toFeed(connection: string, c: WirePodClient['feed_clients'][number]): FeedModel {
  return {
    id: feedId(connection, c.id),
    source: 'CODABOX',
    connection,
    feedId: c.id,
    name: c.client_name,
    clientCode: c.client_code ?? String(c.id),
    client: {
      id: clientPartyId(connection, c.client_id),
      name: c.client_name,
      identifiers: [],
      enterpriseNumber: null,
      vatNumber: null,
      address: null,
      email: null,
      bankAccounts: [],
      sources: ['CODABOX'],
    },
  };
}

/** Validates one metadata block with its model's schema; an unexpected shape names the entry. */
export type MetadataCheck = <S extends z.ZodType>(schema: S, value: unknown, path: string) => z.infer<S>;

function files(connection: string, feed: FeedModel, kind: FeedKindName, model: CodaboxModel, index: string, metadata: Record<string, unknown>, formats: string[]): DocumentModel[] {
  // A purchase invoice that came as a PDF has no xml (CodaBox answers 404 for it).
  const offered = model === 'purchase_invoice' && metadata.source_format === 'pdf' ? formats.filter((f) => f !== 'xml') : formats;
  return offered.map((format) => {
    const name = codaboxFileName(model, metadata, format);
    return {
      name,
      folder: codaboxFolder(model, metadata, format, feed.clientCode),
      format,
      contentType: CONTENT_TYPES[format] ?? 'application/octet-stream',
      available: true,
      download: { source: 'CODABOX', connection, kind: 'codabox-file', ref: `${FEED_KIND[kind]}/${index}/${format}`, name, contentType: CONTENT_TYPES[format] ?? 'application/octet-stream' },
    };
  });
}

function invoiceOf(connection: string, feed: FeedModel, model: 'purchase_invoice' | 'sales_invoice', index: string, m: z.infer<typeof WireInvoiceMetadata>, docs: DocumentModel[]): InvoiceModel {
  const currency = m.invoice_currency ?? 'EUR';
  const supplier: PartyModel | null =
    model === 'purchase_invoice' && m.supplier
      ? {
          id: supplierPartyId(connection, m.supplier),
          name: m.supplier,
          identifiers: [],
          enterpriseNumber: null,
          vatNumber: null,
          address: null,
          email: null,
          bankAccounts: m.bank_account_number ? [{ iban: m.bank_account_number.replace(/\s/g, ''), bic: m.bank_account_bic ?? null, currency: null, type: null }] : [],
          sources: ['CODABOX'],
        }
      : null;
  return {
    id: feedInvoiceId(connection, index),
    source: 'CODABOX',
    // Purchase invoices are received by the client; sales invoices are issued by it.
    direction: model === 'purchase_invoice' ? 'INBOUND' : 'OUTBOUND',
    kind: m.ubl_type === 'credit-note' ? 'CREDIT_NOTE' : 'INVOICE',
    number: m.invoice_reference ?? null,
    issueDate: m.invoice_date,
    dueDate: m.invoice_due_date ?? null,
    total: money(m.invoice_amount ?? '0', currency),
    paid: null,
    open: null,
    paymentReference: m.payment_reference ? toPaymentReference(m.payment_reference) : null,
    seller: model === 'purchase_invoice' ? supplier : feed.client,
    buyer: model === 'purchase_invoice' ? feed.client : null,
    recipient: null,
    lines: [],
    documents: docs,
    payments: [],
    createdAt: null,
    updatedAt: null,
    informat: null,
  };
}

/** Maps one feed entry; null for document models the unified API does not carry (e.g. expense). */
export function toFeedEntry(connection: string, feed: FeedModel, kind: FeedKindName, e: WireFeed['feed_entries'][number], allowed: Record<string, string[]>, check: MetadataCheck): FeedEntryModel | null {
  const model = MODELS[e.document_model];
  if (!model) return null;
  const path = `feed_entries[${e.feed_index}].metadata`;
  const docs = files(connection, feed, kind, e.document_model as CodaboxModel, e.feed_index, e.metadata, allowed[e.document_model] ?? []);
  const base = { id: feedEntryId(connection, feed.feedId, kind, e.feed_index), feed, kind, model, feedIndex: e.feed_index, files: docs };
  switch (e.document_model) {
    case 'coda': {
      const m = check(WireCodaMetadata, e.metadata, path);
      const xml = docs.find((d) => d.format === 'xml');
      return {
        ...base,
        details: {
          iban: m.iban,
          bic: m.bank_id ?? null,
          currency: m.currency ?? null,
          firstStatementNumber: m.first_statement_number,
          lastStatementNumber: m.last_statement_number,
          newBalanceDate: m.new_balance_date,
          movementCount: m.movement_count,
          extensionZone: m.extension_zone ?? null,
          codaPlus: xml?.download ?? null,
          coda: docs.find((d) => d.format === 'cod')?.download ?? null,
        },
      };
    }
    case 'soda': {
      const m = check(WireSodaMetadata, e.metadata, path);
      return {
        ...base,
        details: {
          vatNumber: m.vat_number ?? null,
          socialWelfareId: m.social_welfare_id ?? null,
          fileCounter: m.file_counter == null ? null : String(m.file_counter),
          accountingPeriod: m.accounting_period ?? null,
          creationDate: m.creation_date ?? null,
        },
      };
    }
    default:
      return { ...base, details: invoiceOf(connection, feed, e.document_model as 'purchase_invoice' | 'sales_invoice', e.feed_index, check(WireInvoiceMetadata, e.metadata, path), docs) };
  }
}

/** Payments of a CODA+ statement, as unified bank-transaction payments. */
export const toPayments = (connection: string, feedIndex: string, s: CodaPlusStatement): PaymentModel[] =>
  codaPlusPayments(s, 'CODABOX', (p) => movementId(connection, movementLocal(feedIndex, p.statementNumber, p.sequence, p.detail)));

export { normalizeEnterpriseNumber };

const FORMAT_JUNK = new Set(['no address', 'no zip', 'no city', 'no name', 'no email', '']);
const real = (s: string | null | undefined) => (s && !FORMAT_JUNK.has(s.trim()) ? s.trim() : null);

/** A CodaBox client (search result) as a party; bank accounts and address come from its details when asked. */
export function toClientParty(connection: string, c: { id: string; name: string; enterprise_num?: string | null; contact_email?: string | null }): PartyModel {
  const kbo = c.enterprise_num ? normalizeEnterpriseNumber(c.enterprise_num) : null;
  return {
    id: clientPartyId(connection, c.id),
    name: c.name,
    identifiers: kbo ? [participantId('0208', kbo), participantId('9925', `BE${kbo}`)] : [],
    enterpriseNumber: kbo,
    vatNumber: kbo ? `BE${kbo}` : null,
    address: null,
    email: real(c.contact_email),
    bankAccounts: [],
    sources: ['CODABOX'],
    origin: { source: 'CODABOX', connection, clientId: c.id },
  };
}

/** Bank accounts and address from a client's (or a fiduciary's) details. */
export function clientDetails(c: Pick<WireClient, 'legal_entity'> & { bank_accounts?: WireClient['bank_accounts'] }) {
  const le = c.legal_entity;
  const street = real(le.address);
  return {
    address: street || real(le.zip) || real(le.city) ? address({ street, number: null, box: real(le.address2), postalCode: real(le.zip), city: real(le.city), countryCode: 'BE' }) : null,
    bankAccounts: (c.bank_accounts ?? []).map((b) => ({ iban: b.iban.replace(/\s/g, ''), bic: b.bank_id ?? null, currency: b.subaccounts?.[0]?.currency || null, type: b.type ?? null })),
  };
}
