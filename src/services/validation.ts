import { createHash } from 'node:crypto';
import { checkUblDocument } from '../domain/documentRules.js';
import { encodeGlobalId } from '../domain/globalId.js';
import type { InvoiceModel } from '../domain/models.js';
import { invoiceFromUbl } from '../domain/ublInvoiceModel.js';
import type { ValidationIssue } from '../generated/graphql.js';

/**
 * `validateDocument`: the built-in rules over a UBL invoice or credit note, and what it says in the
 * unified model. Its records are the gateway's own (source GATEWAY), with IDs from the document's
 * hash: not stored, so `node(id)` finds nothing for them.
 */
export function validateDocument(xml: string): { valid: boolean; documentType: 'INVOICE' | 'CREDIT_NOTE' | null; customizationId: string | null; issues: ValidationIssue[]; invoice: InvoiceModel | null; ruleSets: string[] } {
  const { invoice: ubl, issues } = checkUblDocument(xml);
  const local = createHash('sha256').update(xml).digest('base64url').slice(0, 22);
  const id = (type: 'Invoice' | 'Party', l: string) => encodeGlobalId({ type, source: 'GATEWAY', connection: 'validation', local: l });
  return {
    valid: !issues.some((i) => i.severity === 'ERROR'),
    documentType: ubl?.kind ?? null,
    customizationId: ubl?.customizationId ?? null,
    issues,
    invoice: ubl ? invoiceFromUbl(ubl, { id: id('Invoice', local), source: 'GATEWAY', direction: null, createdAt: null, documents: [], partyId: (iso) => id('Party', iso) }) : null,
    ruleSets: ['built-in'],
  };
}
