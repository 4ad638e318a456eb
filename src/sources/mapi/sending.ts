import { computeInvoiceAmounts } from '../../domain/invoiceAmounts.js';
import type { SendingCapability, SendResult } from '../types.js';
import type { MapiClient } from './client.js';
import { TRANSACTION_GROUP } from './map.js';
import { RESPONSE_ACTIONS, RESPONSE_REASONS, RESPONSE_STATUS, toInvoiceTransaction } from './metadata.js';

/**
 * Sending through MAPI. The idempotency token is MAPI's client-generated message id, so MAPI itself
 * refuses a second message for it ("already exists" is the first one's success).
 */
export function mapiSending(client: MapiClient, fallbackEmail: string | null): SendingCapability {
  const created = async (r: Awaited<ReturnType<MapiClient['create']>>, token: string): Promise<SendResult> => {
    if (r.ok) return { ok: true, local: r.message.uniqueId };
    if (r.status === 422 && /already exists/i.test(r.message)) return { ok: true, local: token };
    return { ok: false, error: { code: r.status === 400 ? 'VALIDATION_FAILED' : 'UPSTREAM_REJECTED', message: `MAPI refused the document: ${r.message}`, field: null } };
  };
  return {
    honoursToken: true,
    async precheckInvoice(invoice) {
      // MAPI's invoice metadata has no document-level allowances: refused rather than dropped.
      if (invoice.allowances.length) return { code: 'CHANNEL_UNSUPPORTED', message: 'MAPI cannot carry document-level allowances; send through IBANITY, or fold the allowance into the lines.', field: ['input', 'allowances'] };
      if (invoice.buyer.email ?? fallbackEmail) return null;
      return { code: 'FALLBACK_EMAIL_REQUIRED', message: 'MAPI needs an e-mail address to fall back on: give buyer.email (or configure MAPI_FALLBACK_EMAIL).', field: ['input', 'buyer', 'email'] };
    },
    precheckDocument: async () => null,
    async sendInvoice(invoice, token) {
      const tx = toInvoiceTransaction(invoice, computeInvoiceAmounts(invoice.lines), (invoice.buyer.email ?? fallbackEmail)!);
      return created(await client.create(tx.path, { messageId: token, more: 'false' }, { json: tx.body }), token);
    },
    async sendDocument(xml, documentType, token) {
      return created(await client.create('/messages/create-business-transaction', { messageId: token, transactionGroupIdentifier: TRANSACTION_GROUP[documentType], more: 'false' }, { xml }), token);
    },
    responseActions: RESPONSE_ACTIONS,
    async respond(original, response, token) {
      const sender = original.sender?.identifiers[0];
      if (!sender || !original.documentNumber) return { ok: false, error: { code: 'UPSTREAM_REJECTED', message: 'The original message does not name its sender or number.', field: ['input', 'messageId'] } };
      if (!fallbackEmail) return { ok: false, error: { code: 'FALLBACK_EMAIL_REQUIRED', message: 'MAPI needs an e-mail address to fall back on: configure MAPI_FALLBACK_EMAIL.', field: null } };
      const code = RESPONSE_REASONS.find((r) => r.toLowerCase() === response.reason?.toLowerCase()) ?? null;
      const description = [code ? null : response.reason, response.note].filter(Boolean).join(' — ') || null;
      const body = {
        messageHandling: { receiverIdentifier: sender.iso6523, fallbackEmailAddress: fallbackEmail },
        billingResponse: {
          issueDate: new Date().toISOString().slice(0, 10),
          status: RESPONSE_STATUS[response.status],
          ...(response.reason ? { reason: code ?? 'Other' } : {}),
          ...(description ? { reasonDescription: description } : {}),
          documentReference: { documentNo: original.documentNumber },
          ...(response.action ? { actions: [{ type: response.action, ...(response.note ? { description: response.note } : {}) }] } : {}),
        },
      };
      return created(await client.create('/transactions/submit-billing-response', { messageId: token, more: 'false' }, { json: body }), token);
    },
  };
}
