import { createHash } from 'node:crypto';
import { checkUblDocument } from '../domain/documentRules.js';
import { encodeGlobalId } from '../domain/globalId.js';
import type { InvoiceModel } from '../domain/models.js';
import { invoiceFromUbl } from '../domain/ublInvoiceModel.js';
import type { OfficialRulesState, ValidationIssue } from '../generated/graphql.js';
import type { OfficialRules } from '../validation/official.js';
import type { UserErrorModel } from '../domain/paymentInput.js';

/**
 * `validateDocument`: the built-in rules over a UBL invoice or credit note, the official ones too when
 * they are ready, and what the document says in the unified model. Its records are the gateway's own
 * (source GATEWAY), with IDs from the document's hash: not stored, so `node(id)` finds nothing.
 */
export async function validateDocument(xml: string, official: OfficialRules): Promise<{ valid: boolean; documentType: 'INVOICE' | 'CREDIT_NOTE' | null; customizationId: string | null; issues: ValidationIssue[]; invoice: InvoiceModel | null; ruleSets: string[]; officialRules: OfficialRulesState }> {
  const { invoice: ubl, issues: builtIn } = checkUblDocument(xml);
  const state = official.state();
  let issues: ValidationIssue[] = builtIn;
  const ruleSets = ['built-in'];
  // The official rules only see a document the gateway could read safely.
  if (state === 'READY' && ubl) {
    const failures = await official.check(xml);
    const ids = new Set(failures.map((f) => f.id));
    // Where both name a rule, the official wording stands; the gateway's own rules (BE-…) stay.
    issues = [
      ...failures.map((f) => ({ severity: f.flag === 'warning' || f.flag === 'information' ? 'WARNING' : 'ERROR', rule: f.id || null, message: f.text, location: f.location || null })),
      ...builtIn.filter((i) => !ids.has(i.rule ?? '')),
    ];
    ruleSets.push('peppol-bis-3', 'cen-en16931');
  }
  const local = createHash('sha256').update(xml).digest('base64url').slice(0, 22);
  const id = (type: 'Invoice' | 'Party', l: string) => encodeGlobalId({ type, source: 'GATEWAY', connection: 'validation', local: l });
  return {
    valid: !issues.some((i) => i.severity === 'ERROR'),
    documentType: ubl?.kind ?? null,
    customizationId: ubl?.customizationId ?? null,
    issues,
    invoice: ubl ? invoiceFromUbl(ubl, { id: id('Invoice', local), source: 'GATEWAY', direction: null, createdAt: null, documents: [], partyId: (iso) => id('Party', iso) }) : null,
    ruleSets,
    officialRules: state === 'READY' && !ubl ? 'READY' : state,
  };
}

/**
 * What a mutation that hands over a ready-made invoice (sendDocument, uploadSalesInvoice) refuses
 * before it reaches an upstream: every built-in rule the document breaks, as userErrors on `field`.
 * With `readableOnly`, a document the rules cannot read (not well-formed, not an invoice) passes, so
 * that the upstream's own checks name its problem with their own codes.
 */
export function ruleBreaks(xml: string, field: string[], readableOnly = false): UserErrorModel[] {
  const checked = checkUblDocument(xml);
  if (readableOnly && !checked.invoice) return [];
  return checked.issues
    .filter((i) => i.severity === 'ERROR')
    .map((i) => ({ code: 'VALIDATION_FAILED' as const, message: `${i.rule}: ${i.message}${i.location ? ` (${i.location})` : ''}`, field }));
}
