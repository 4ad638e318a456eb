/**
 * CodaBox's advised file names and folders (API v2 document, "File naming convention and folder
 * hierarchy"). Pure: metadata in, name and folder out.
 */

export type CodaboxModel = 'coda' | 'soda' | 'purchase_invoice' | 'sales_invoice';

const pad = (v: unknown, n: number) => String(v ?? '').padStart(n, '0');
const year = (date: unknown) => String(date ?? '').slice(0, 4);
/** File-system-safe part of a name: the convention puts free text (supplier, reference) in names. */
const safe = (s: unknown) => String(s ?? '').replace(/[\\/:*?"<>|\s]+/g, '_');

/** Base name without extension: `2015-001-BE27974000004133-151023`. */
export function codaboxBaseName(model: CodaboxModel, m: Record<string, unknown>): string {
  switch (model) {
    case 'coda': {
      const date = String(m.new_balance_date ?? '');
      const yymmdd = date.slice(2, 4) + date.slice(5, 7) + date.slice(8, 10);
      const first = pad(m.first_statement_number, 3);
      const last = m.last_statement_number;
      // Several statements in one file: {yyyy}-{first:000}-{last:000}-{iban}-{yymmdd}.
      const range = last != null && last !== m.first_statement_number ? `${first}-${pad(last, 3)}` : first;
      return `${year(date)}-${range}-${m.iban}-${yymmdd}`;
    }
    case 'soda':
      return `${pad(m.file_counter, 4)}-soda-${m.social_welfare_id}-${m.vat_number}-${String(m.accounting_period ?? '').slice(0, 6)}-${String(m.creation_date ?? '').replace(/-/g, '')}`;
    case 'purchase_invoice':
      return `${year(m.invoice_date)}-${pad(m.file_counter, 8)}-${safe(m.supplier)}`;
    case 'sales_invoice':
      return `${year(m.invoice_date)}-${pad(m.file_counter, 8)}-${safe(m.invoice_reference)}`;
  }
}

/** File name for a format: `.cod`, `.pdf`, `.xml` appended to the base name. */
export function codaboxFileName(model: CodaboxModel, m: Record<string, unknown>, format: string): string {
  return `${codaboxBaseName(model, m)}.${format}`;
}

/** Advised folder, e.g. `/CLIENT4/2015/BE27974000004133/pdf/`. */
export function codaboxFolder(model: CodaboxModel, m: Record<string, unknown>, format: string, clientCode: string): string {
  const pdf = format === 'pdf' ? 'pdf/' : '';
  const credit = m.ubl_type === 'credit-note';
  switch (model) {
    case 'coda':
      return `/${clientCode}/${year(m.new_balance_date)}/${m.iban}/${pdf}`;
    case 'soda':
      return `/${clientCode}/${year(m.creation_date)}/soda_from_${m.social_welfare_id}/${pdf}`;
    case 'purchase_invoice': {
      // A purchase invoice that came as a PDF keeps its PDF beside where the xml would be.
      const sub = m.source_format === 'pdf' ? '' : pdf;
      return `/${clientCode}/${year(m.invoice_date)}/${credit ? 'Credit-notes' : 'Invoices'}-IN-01/${sub}`;
    }
    case 'sales_invoice': {
      const folder = m.invoice_folder ? `-${m.invoice_folder}` : '';
      return `/${clientCode}/${year(m.invoice_date)}/${credit ? 'Credit-notes' : 'Invoices'}-OUT-01${folder}/${pdf}`;
    }
  }
}
