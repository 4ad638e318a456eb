/**
 * What Ibanity's documents and SDKs leave open, offered as switchable behaviours so that the
 * client is run against each (test/contract/vendor-rules.test.ts). Defaults are the most likely
 * reading; each entry says where the doubt comes from.
 */
export interface IbanityVariants {
  /**
   * `DELETE /einvoicing/suppliers/{id}`: the offboarded record (200), or 204 without a body. The
   * API reference shows no answer; Lino accepts 200, 201, 202 and 204 (upstream-specs/ibanity.md §9).
   */
  offboardAnswer: 'record' | 'no-content';
  /**
   * The `type` of `GET /peppol/documents` items: always the specific `peppolOutboundInvoice` /
   * `peppolOutboundCreditNote`, the generic `peppolOutboundDocument` (Lino's documentation lists
   * it) for some (`mixed`: every other document) or for all.
   */
  outboundListType: 'specific' | 'mixed' | 'generic';
  /** Order of `GET /peppol/inbound-documents`: Ibanity does not say; newest or oldest first. */
  inboundOrder: 'newest' | 'oldest';
  /**
   * The most items a list page holds, whatever `page[size]` asks: 2000 is the documented maximum,
   * LINO-UTILS observed 20 (upstream-specs/ibanity.md §3, "conflict").
   */
  pageSizeCap: number;
}

export const DEFAULT_VARIANTS: IbanityVariants = { offboardAnswer: 'record', outboundListType: 'mixed', inboundOrder: 'newest', pageSizeCap: 2000 };

/** Every value of each variant, for suites that run the client against all of them. */
export const IBANITY_VARIANT_VALUES: { [K in keyof IbanityVariants]: IbanityVariants[K][] } = {
  offboardAnswer: ['record', 'no-content'],
  outboundListType: ['specific', 'mixed', 'generic'],
  inboundOrder: ['newest', 'oldest'],
  pageSizeCap: [2000, 20],
};
