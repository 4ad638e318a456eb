import { uploadedInvoiceId } from './ids.js';
import type { InvoiceModel } from '../../domain/models.js';
import { money } from '../../domain/money.js';
import { checkSalesInvoice, withFolder, type SalesInvoiceHead } from '../../domain/salesInvoice.js';
import type { UploadsCapability } from '../types.js';
import type { CodaboxClient } from './client.js';
import { uploadErrorCode } from './errors.js';

function uploadedInvoice(connection: string, h: SalesInvoiceHead): InvoiceModel {
  return {
    id: uploadedInvoiceId(connection, h.issueDate.slice(0, 4), h.folder, h.number),
    source: 'CODABOX', direction: 'OUTBOUND', kind: h.kind, number: h.number, issueDate: h.issueDate, dueDate: null,
    total: money(h.total ?? '0', h.currency ?? 'EUR'), paid: null, open: null, paymentReference: null, seller: null, buyer: null, recipient: null,
    lines: [], documents: [], payments: [], createdAt: null, updatedAt: null, informat: null,
  };
}

/** Sales invoices for the client's accountant, checked against CodaBox's documented rules first. */
export function codaboxUploads(connection: string, client: CodaboxClient): UploadsCapability {
  return {
    async uploadSalesInvoice(xmlIn, folder) {
      const xml = folder ? withFolder(xmlIn, folder) : xmlIn;
      // The supplier must be the client the connection belongs to (an invoicing user sees one client).
      const own = (await client.clients())[0]?.legal_entity.enterprise_num ?? null;
      const checked = checkSalesInvoice(xml, own ? own.replace(/^BE/i, '') : null);
      if (!checked.ok) return { ok: false, errors: checked.problems.map((p) => ({ code: p.code, message: p.message, field: ['input', 'xml'] })) };
      const r = await client.uploadSalesInvoice(`${checked.head.number.replace(/[^A-Za-z0-9._-]/g, '_')}.xml`, checked.text);
      if (!r.ok) return { ok: false, errors: r.messages.map((m) => ({ code: uploadErrorCode(r.status, m), message: `CodaBox: ${m}`, field: ['input', 'xml'] })) };
      return { ok: true, invoice: uploadedInvoice(connection, checked.head) };
    },
  };
}
