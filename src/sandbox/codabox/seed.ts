import { createRandom } from '../random.js';
import { codaFile, codaPlusXml, invoiceUbl, pdfBytes, sodaXml, type CodaPlusPayment } from './files.js';

export type DocumentModelName = 'coda' | 'soda' | 'purchase_invoice' | 'sales_invoice';

export interface FeedEntry {
  feed_index: string;
  document_model: DocumentModelName;
  metadata: Record<string, unknown>;
  /** File makers by format; a missing format is a 404 (purchase invoices that came as PDF have no xml). */
  files: Partial<Record<'cod' | 'pdf' | 'xml', () => Buffer>>;
  /** A file too large to hold: streamed on request. */
  largePdfBytes?: number;
}

export interface FeedClient {
  id: number;
  client_id: string;
  client_name: string;
  client_code: string;
  fiduciary_id: string;
  target_root_state: string;
  delivery_config: null;
}

export interface CodaboxData {
  feedClients: Map<number, FeedClient>;
  feeds: Map<number, { download: FeedEntry[]; redownload: FeedEntry[] }>;
}

export const ALL_FORMATS = { coda: ['cod', 'pdf', 'xml'], soda: ['pdf', 'xml'], purchase_invoice: ['pdf', 'xml'], sales_invoice: ['pdf', 'xml'], expense: [] as string[] };

/** The CODA+ document example 1, as a feed entry of client 889 (the document's download example index). */
const EXAMPLE1_PAYMENTS: CodaPlusPayment[] = [
  { statement: 201, seq: 1, name: "François l'embrouille", account: 'BE05977000008210', amount: '99.99', valueDate: '2015-10-17', communication: 'Facture20151010' },
  { statement: 201, seq: 2, name: 'My company SA', account: 'BE05977000008210', amount: '2377.65', valueDate: '2015-10-17', communication: 'Facture20151012' },
  { statement: 202, seq: 1, name: 'Codabox SA', account: 'BE80977000008218', amount: '1349.15', valueDate: '2015-10-18', communication: 'Facture20151013' },
  { statement: 203, seq: 1, name: 'Codabox SA', account: 'BE80977000008218', amount: '13.34', valueDate: '2015-10-19', communication: 'Facture20151014' },
];

/**
 * Movements of a generated statement: transfers in the statement's favour, some with a structured
 * (OGM) communication, so that CODA and CODA+ of one entry tell the same story.
 */
function generatedMovements(m: { first: number; date: string; movements: number; iban: string }): CodaPlusPayment[] {
  const seed = [...m.iban].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 100_003, m.first);
  return Array.from({ length: m.movements }, (_, i) => {
    const cents = 1000 + ((seed * (i + 7)) % 90_000);
    const ogmBase = String(100_000_000 + ((seed * 13 + i) % 900_000_000)).padStart(10, '0');
    const ogm = `${ogmBase}${String(Number(ogmBase) % 97 || 97).padStart(2, '0')}`;
    return {
      statement: m.first,
      seq: i + 1,
      name: `Counterparty ${((seed + i) % 40) + 1}`,
      account: 'BE05977000008210',
      amount: (cents / 100).toFixed(2),
      valueDate: m.date,
      communication: i % 2 === 0 ? `+++${ogm.slice(0, 3)}/${ogm.slice(3, 7)}/${ogm.slice(7)}+++` : `Invoice ${m.first}-${i + 1}`,
    };
  });
}

/** A CODA entry; `printed` keeps a document's own balances (example 1), else they add up from 1000.00. */
export function codaEntry(feedIndex: string, m: { iban: string; bank_id: string; first: number; last: number; date: string; movements: number; extension: string | null }, given: CodaPlusPayment[] = [], printed?: { old: string; new: string; oldDate: string }): FeedEntry {
  const payments = given.length ? given : generatedMovements(m);
  const cents = (s: string) => Math.round(Number(s) * 100);
  const oldBalance = printed?.old ?? '1000.00';
  const newBalance = printed?.new ?? ((cents(oldBalance) + payments.reduce((t, p) => t + cents(p.amount), 0)) / 100).toFixed(2);
  const metadata = {
    last_statement_number: m.last,
    new_balance_date: m.date,
    bank_id: m.bank_id,
    currency: 'EUR',
    iban: m.iban,
    first_statement_number: m.first,
    movement_count: m.movements,
    extension_zone: m.extension,
  };
  return {
    feed_index: feedIndex,
    document_model: 'coda',
    metadata,
    files: {
      cod: () =>
        Buffer.from(
          codaFile({
            iban: m.iban, bic: m.bank_id, holder: 'CLIENT', date: m.date, statement: m.first, oldBalance: Number(oldBalance),
            movements: payments.map((p) => ({
              amount: Number(p.amount), valueDate: p.valueDate, counterpartyName: p.name, counterpartyIban: p.account, communication: p.communication,
              ...(/^\+\+\+/.test(p.communication) ? { ogm: p.communication.replace(/\D/g, '') } : {}),
            })),
          }),
          'latin1',
        ),
      pdf: () => pdfBytes(`CODA ${m.iban} ${m.date}`),
      xml: () =>
        Buffer.from(
          codaPlusXml({ fiduciary: 'BE0010012774', client: 'BE0010015348', account: m.iban, oldBalance: [oldBalance, printed?.oldDate ?? m.date, m.first], newBalance: [newBalance, m.date, m.last], payments }),
          'utf8',
        ),
    },
  };
}

function invoiceEntry(feedIndex: string, model: 'purchase_invoice' | 'sales_invoice', metadata: Record<string, unknown>): FeedEntry {
  const m = metadata as { invoice_reference: string; invoice_date: string; invoice_due_date: string | null; invoice_amount: string; invoice_currency: string; ubl_type: string; supplier?: string; payment_reference?: string | null; source_format?: string };
  return {
    feed_index: feedIndex,
    document_model: model,
    metadata,
    files: {
      pdf: () => pdfBytes(`${model} ${m.invoice_reference}`),
      ...(m.source_format === 'pdf' ? {} : { xml: () => Buffer.from(invoiceUbl(m), 'utf8') }),
    },
  };
}

/** The document's pod-client 9, feed clients 889-891 and feed entries, plus generated entries. */
export function seedCodabox(seed = 42, bulkEntries = 1200): CodaboxData {
  const feedClients = new Map<number, FeedClient>([
    [889, { id: 889, client_id: '3fb18ad1-cb7e-4cc7-8ba1-ad1051ebeb42', client_name: 'Client 1', client_code: 'CLIENT1', fiduciary_id: 'e9ce180a-b35a-4bc8-a2b6-18ee23857b07', target_root_state: 'default', delivery_config: null }],
    [890, { id: 890, client_id: 'ac44f888-4aee-4471-aeaf-476d67c082e9', client_name: 'Client 2', client_code: 'CLIENT2', fiduciary_id: 'e9ce180a-b35a-4bc8-a2b6-18ee23857b07', target_root_state: 'default', delivery_config: null }],
    [891, { id: 891, client_id: '02fdc400-6c93-4c9d-a3d5-f9ad7a10e2a9', client_name: 'Client 3', client_code: 'CLIENT3', fiduciary_id: '21e3c8ba-7963-4dae-827f-17610eb24dc5', target_root_state: 'default', delivery_config: null }],
  ]);
  const soda: FeedEntry = {
    feed_index: '062c3dfd-6ca9-4c9e-9302-8a237bbf244d',
    document_model: 'soda',
    metadata: { accounting_period: '201508', vat_number: 'BE0010021583', file_counter: '0001', social_welfare_id: 'group_s', creation_date: '2015-10-23' },
    files: {
      xml: () => Buffer.from(sodaXml({ accounting_period: '201508', vat_number: 'BE0010021583', file_counter: '0001', social_welfare_id: 'group_s', creation_date: '2015-10-23' })),
      pdf: () => pdfBytes('SODA 201508'),
    },
  };
  const feed889: FeedEntry[] = [
    codaEntry('99cf252a-e4d3-40ab-9cc9-a0672c1512be', { iban: 'BE32974000031203', bank_id: 'CDBXBE33', first: 1, last: 1, date: '2016-03-10', movements: 12, extension: '035' }),
    codaEntry('96c2655a-d02d-49de-a7e1-13b38f060665', { iban: 'BE13974000003415', bank_id: 'CDBXBE33', first: 1, last: 1, date: '2016-03-10', movements: 1, extension: null }),
    soda,
    invoiceEntry('c4246d00-059b-4208-b6eb-dd0ebbc79a88', 'purchase_invoice', {
      file_counter: 3, invoice_currency: 'EUR', invoice_date: '2015-10-29', invoice_due_date: '2015-11-30', bank_account_bic: 'CDBXBE33', invoice_amount: '299.60',
      supplier: 'tresfase', payment_reference: '15700004', bank_account_number: 'BE03974000000103', invoice_reference: 'FACT20151029', ubl_type: 'invoice', source_format: 'ubl', source_provider: 'provider 1',
    }),
    invoiceEntry('47d4d96e-cd53-4133-9c92-a84b6042e17d', 'sales_invoice', {
      file_counter: 2, invoice_currency: 'EUR', invoice_date: '2016-03-01', invoice_folder: 'folder2', invoice_due_date: null, invoice_reference: 'FACT-1600002',
      bank_account_bic: null, invoice_amount: '200.00', payment_reference: null, bank_account_number: null, ubl_type: 'invoice',
    }),
    codaEntry('ab021947-63aa-4fb4-8134-05b9384b9e71', { iban: 'BE27974000004133', bank_id: 'GKCCBEBB', first: 201, last: 203, date: '2015-10-19', movements: 4, extension: null }, EXAMPLE1_PAYMENTS, { old: '7574.22', new: '7002.42', oldDate: '2015-10-16' }),
    invoiceEntry('3ecd1940-db62-4bf1-a01b-1643d94d509c', 'purchase_invoice', {
      file_counter: 4, invoice_currency: 'EUR', invoice_date: '2015-11-05', invoice_due_date: '2015-12-05', bank_account_bic: 'GKCCBEBB', invoice_amount: '54.45',
      supplier: 'proximus', payment_reference: '+++090/9337/55493+++', bank_account_number: 'BE82210000000044', invoice_reference: 'PX-2015-11', ubl_type: 'invoice', source_format: 'pdf', source_provider: 'provider 2',
    }),
  ];
  const redownload889 = [codaEntry('9939b0bb-c50c-4b78-94a7-e3a2448df5b4', { iban: 'BE32974000031203', bank_id: 'CDBXBE33', first: 2, last: 2, date: '2016-03-10', movements: 10, extension: '035' })];

  const rnd = createRandom(seed + 7);
  const bulk = (clientCode: string, n: number): FeedEntry[] =>
    Array.from({ length: n }, (_, i) => {
      const date = new Date(Date.parse('2024-01-01') + i * 43_200_000).toISOString().slice(0, 10);
      const roll = rnd.next();
      if (roll < 0.5) {
        return codaEntry(rnd.uuid(), { iban: `BE${String(10 + (i % 80)).padStart(2, '0')}97400000${String(1000 + (i % 997)).padStart(4, '0')}`, bank_id: 'GKCCBEBB', first: i + 1, last: i + 1, date, movements: rnd.int(1, 5), extension: null });
      }
      if (roll < 0.7) {
        return invoiceEntry(rnd.uuid(), 'purchase_invoice', {
          file_counter: i + 1, invoice_currency: 'EUR', invoice_date: date, invoice_due_date: date, bank_account_bic: 'GKCCBEBB', invoice_amount: (rnd.int(100, 99_999) / 100).toFixed(2),
          supplier: rnd.pick(['proximus', 'engie', 'telenet', 'colruyt']), payment_reference: null, bank_account_number: 'BE82210000000044', invoice_reference: `${clientCode}-P${i}`,
          ubl_type: rnd.chance(0.1) ? 'credit-note' : 'invoice', source_format: rnd.chance(0.3) ? 'pdf' : 'ubl', source_provider: 'provider 1',
        });
      }
      return invoiceEntry(rnd.uuid(), 'sales_invoice', {
        file_counter: i + 1, invoice_currency: 'EUR', invoice_date: date, invoice_folder: rnd.chance(0.3) ? 'folder1' : null, invoice_due_date: null, invoice_reference: `${clientCode}-S${i}`,
        bank_account_bic: null, invoice_amount: (rnd.int(100, 99_999) / 100).toFixed(2), payment_reference: null, bank_account_number: null, ubl_type: 'invoice',
      });
    });
  const feed890 = bulk('CLIENT2', bulkEntries);
  // A 25 MiB PDF for streaming tests and benchmarks.
  feed890.unshift({ ...codaEntry('5f3a7c1e-0000-4000-8000-00000000b16f', { iban: 'BE27974000004133', bank_id: 'GKCCBEBB', first: 1, last: 1, date: '2024-01-01', movements: 1, extension: null }), largePdfBytes: 25 * 1024 * 1024 });
  return {
    feedClients,
    feeds: new Map([
      [889, { download: feed889, redownload: redownload889 }],
      [890, { download: feed890, redownload: [] }],
      [891, { download: bulk('CLIENT3', Math.floor(bulkEntries / 4)), redownload: [] }],
    ]),
  };
}
