/**
 * Receiving transactions the MAPI sandbox knows, per transaction group, shaped as MAPI's
 * TransactionInfo. The invoice entries are the document's own; the others follow the same pattern.
 */
export interface TransactionInfo {
  uniqueId: string;
  profileId: string;
  customizationId: string;
  transactionKeyName: string;
  profileKeyName: string;
  documentIdentifier: string;
  willBeTransformed: boolean;
}

type Template = Omit<TransactionInfo, 'willBeTransformed' | 'uniqueId' | 'transactionKeyName'>;

const PEPPOL_BILLING = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';
const EN16931_PEPPOL = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';

const PROFILES: Record<string, Record<string, Template>> = {
  SubmitInvoice: {
    'BISENUBL-3.0': { profileId: PEPPOL_BILLING, customizationId: EN16931_PEPPOL, profileKeyName: 'BISENUBL-3.0', documentIdentifier: `urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##${EN16931_PEPPOL}::2.1` },
    'BISENCII-3.0': { profileId: PEPPOL_BILLING, customizationId: EN16931_PEPPOL, profileKeyName: 'BISENCII-3.0', documentIdentifier: `urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100::CrossIndustryInvoice##${EN16931_PEPPOL}::D16B` },
    'BII05-1.0': { profileId: 'urn:www.cenbii.eu:profile:bii05:ver1.0', customizationId: 'urn:www.cenbii.eu:transaction:biicoretrdm010:ver1.0', profileKeyName: 'BII05-1.0', documentIdentifier: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##urn:www.cenbii.eu:transaction:biicoretrdm010:ver1.0::2.0' },
    'BII04-1.0': { profileId: 'urn:www.cenbii.eu:profile:bii04:ver1.0', customizationId: 'urn:www.cenbii.eu:transaction:biicoretrdm010:ver1.0', profileKeyName: 'BII04-1.0', documentIdentifier: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##urn:www.cenbii.eu:transaction:biicoretrdm010:ver1.0::2.0' },
  },
  CorrectWithCredit: {
    'BISENUBL-3.0': { profileId: PEPPOL_BILLING, customizationId: EN16931_PEPPOL, profileKeyName: 'BISENUBL-3.0', documentIdentifier: `urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##${EN16931_PEPPOL}::2.1` },
    'BISENCII-3.0': { profileId: PEPPOL_BILLING, customizationId: EN16931_PEPPOL, profileKeyName: 'BISENCII-3.0', documentIdentifier: `urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100::CrossIndustryInvoice##${EN16931_PEPPOL}::D16B` },
  },
  SubmitOrder: {
    'BISORD-3.0': { profileId: 'urn:fdc:peppol.eu:poacc:bis:ordering:3', customizationId: 'urn:fdc:peppol.eu:poacc:trns:order:3', profileKeyName: 'BISORD-3.0', documentIdentifier: 'urn:oasis:names:specification:ubl:schema:xsd:Order-2::Order##urn:fdc:peppol.eu:poacc:trns:order:3::2.1' },
  },
  SubmitBillingResponse: {
    'BISIMR-3.0': { profileId: 'urn:fdc:peppol.eu:poacc:bis:invoice_response:3', customizationId: 'urn:fdc:peppol.eu:poacc:trns:invoice_response:3', profileKeyName: 'BISIMR-3.0', documentIdentifier: 'urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2::ApplicationResponse##urn:fdc:peppol.eu:poacc:trns:invoice_response:3::2.1' },
  },
};

/** Every transaction group MAPI documents; groups without profiles here simply have no receivers. */
export const TRANSACTION_GROUPS = [
  'AcknowledgeCatalogue', 'AcknowledgeOrder', 'CorrectWithCredit', 'CorrectWithDebit', 'PunchOutCatalogue', 'RequestQuotation',
  'SubmitCatalogue', 'SubmitDocument', 'SubmitInvoice', 'SubmitBillingResponse', 'SubmitMessageResponse', 'SubmitOrder',
  'SubmitOrderResponse', 'SubmitPackingNote', 'SubmitPaymentNotification', 'SubmitPaymentReminder', 'SubmitQuotation', 'SubmitUtilityStatement',
];

/** Finds a documented group, case-insensitively as ASP.NET binds it. */
export const findGroup = (name: string) => TRANSACTION_GROUPS.find((g) => g.toLowerCase() === name.toLowerCase()) ?? null;

/**
 * What a party can receive for a group: its registered profiles, plus (with includeAll) the other
 * profiles of the group that MAPI can transform into one of them.
 */
export function transactionsFor(group: string, registered: readonly string[], includeAll: boolean): TransactionInfo[] {
  const profiles = PROFILES[group] ?? {};
  const own = registered.filter((p) => profiles[p]);
  const out: TransactionInfo[] = own.map((p) => info(group, profiles[p]!, false));
  if (includeAll && own.length > 0) {
    for (const [key, t] of Object.entries(profiles)) if (!own.includes(key)) out.push(info(group, t, true));
  }
  return out;
}

function info(group: string, t: Template, willBeTransformed: boolean): TransactionInfo {
  return { uniqueId: `${t.profileId}##${t.customizationId}`, transactionKeyName: `${t.profileKeyName} ${group}`, ...t, willBeTransformed };
}
