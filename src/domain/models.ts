/**
 * Domain models: what upstream mappers produce and resolvers return. They follow the generated
 * GraphQL types except where a field needs request context (signed URLs) or a lazy fetch.
 */
import type { BuyerResponse } from '../generated/graphql.js';
import type { MoneyModel } from './money.js';
import type { PaymentReferenceModel } from './ogm.js';
import type { SourceName } from './globalId.js';
import type { ParticipantIdModel } from './identifiers.js';

export type InvoiceKindName = 'INVOICE' | 'CREDIT_NOTE';
export type InvoiceGroupTypeName = 'STUDENT' | 'STAFF' | 'INTERN' | 'REGISTRATION';

/** Where a file lives upstream; the gateway signs this into a download URL. */
export interface DownloadRef {
  source: SourceName;
  connection: string;
  /** What kind of file route serves it, e.g. `informat-pdf`. */
  kind: string;
  /** Upstream-local reference of the file. */
  ref: string;
  name: string;
  contentType: string;
}

export interface DocumentModel {
  name: string;
  folder: string | null;
  format: string;
  contentType: string;
  available: boolean;
  download: DownloadRef | null;
}

export interface AddressModel {
  street: string | null;
  number: string | null;
  box: string | null;
  postalCode: string | null;
  city: string | null;
  countryCode: string | null;
  lines: string[];
}

export interface PostalContactModel {
  title: string | null;
  name: string | null;
  address: AddressModel | null;
  emails: string[];
  relations: { name: string | null; title: string | null; rank: number | null }[];
}

export interface PersonModel {
  id: string;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  studentNumber: string | null;
  className: string | null;
  institute: string | null;
}

export interface InvoiceLineModel {
  group: string | null;
  description: string;
  quantity: string | null;
  unitPrice: MoneyModel | null;
  discount: MoneyModel | null;
  discountPercent: string | null;
  taxPercent: string | null;
  accountCode: string | null;
  total: MoneyModel;
}

export interface SepaMandateModel {
  reference: string;
  creditorId: string | null;
  signedOn: string | null;
  debtorIban: string | null;
  debtorBic: string | null;
  creditorIban: string | null;
}

export interface InvoiceGroupModel {
  id: string;
  accessGroup: string;
  groupNumber: number;
  name: string;
  type: InvoiceGroupTypeName;
  schoolYear: string;
  fromDate: string | null;
  toDate: string | null;
  /**
   * Invoices the upstream already returned with the group (unvalidated wire rows, checked when a
   * page of them is handed out), keyed by the filter they were fetched with.
   */
  prefetched?: { filterKey: string; invoices: readonly { invoiceId: string }[] };
}

export interface InformatDetailsModel {
  invoiceGroup: InvoiceGroupModel | null;
  mandate: SepaMandateModel | null;
  invoiceAddress: PostalContactModel | null;
  homeAddress: PostalContactModel | null;
  exactOnlineEntry: string | null;
  relatedPaymentReference: PaymentReferenceModel | null;
}

export interface InvoiceModel {
  id: string;
  source: SourceName;
  direction: 'INBOUND' | 'OUTBOUND' | null;
  kind: InvoiceKindName;
  number: string | null;
  issueDate: string | null;
  dueDate: string | null;
  total: MoneyModel;
  paid: MoneyModel | null;
  open: MoneyModel | null;
  paymentReference: PaymentReferenceModel | null;
  seller: PartyModel | null;
  buyer: PartyModel | null;
  recipient: PersonModel | null;
  lines: InvoiceLineModel[];
  documents: DocumentModel[];
  payments: PaymentModel[];
  createdAt: string | null;
  updatedAt: string | null;
  informat: InformatDetailsModel | null;
}

export interface PaymentModel {
  id: string;
  source: SourceName;
  kind: 'BANK_TRANSACTION' | 'REGISTERED';
  amount: MoneyModel;
  date: string | null;
  counterparty: { name: string | null; iban: string | null } | null;
  communication: string | null;
  paymentReference: PaymentReferenceModel | null;
  invoice: InvoiceModel | null;
  badDebt: boolean | null;
  statementNumber?: number | null;
  sequenceNumber?: number | null;
  /** A bank movement's identity (`bankTransactionKey`): account, statement, sequence, detail. */
  transactionKey?: string | null;
}

export type DocumentTypeName =
  | 'INVOICE' | 'CREDIT_NOTE' | 'ORDER' | 'ORDER_RESPONSE' | 'BILLING_RESPONSE'
  | 'PAYMENT_NOTIFICATION' | 'QUOTATION' | 'QUOTATION_REQUEST' | 'OTHER';

export interface DocumentFormatModel {
  source: SourceName;
  documentType: DocumentTypeName;
  name: string | null;
  profileId: string | null;
  customizationId: string;
  syntax: string | null;
  viaTransformation: boolean;
}

export type LookupStatusName = 'READY' | 'NOT_FOUND' | 'PENDING' | 'ERROR';

/** One source's answer for one identifier and document type. */
export interface SourceCapability {
  status: Exclude<LookupStatusName, 'ERROR'>;
  formats: DocumentFormatModel[];
  checkedAt: string;
}

export interface CapabilityLookupModel {
  status: LookupStatusName;
  reachable: boolean;
  formats: DocumentFormatModel[];
  checkedAt: string | null;
  /** The identifier the answer is for; set by the party lookup, not by the loader. */
  identifier?: ParticipantIdModel | null;
}

export interface PartyModel {
  id: string;
  name: string | null;
  identifiers: { scheme: string; value: string; iso6523: string }[];
  enterpriseNumber: string | null;
  vatNumber: string | null;
  address: AddressModel | null;
  email: string | null;
  bankAccounts: { iban: string; bic: string | null; currency: string | null; type: string | null }[];
  sources: SourceName[];
  /** Where more of the party can be read (CodaBox client details), when it came from an upstream list. */
  origin?: { source: 'CODABOX'; connection: string; clientId: string };
}

export type MessageStatusName = 'DRAFT' | 'QUEUED' | 'SENDING' | 'DELIVERED' | 'AWAITING_IMPORT' | 'FAILED' | 'INVALID' | 'PARKED';

export interface MessageModel {
  id: string;
  /** Upstream id, for follow-up calls (traces, validation entries). */
  uniqueId: string;
  connection: string;
  source: SourceName;
  direction: 'INBOUND' | 'OUTBOUND';
  status: MessageStatusName;
  upstreamStatus: string;
  documentType: DocumentTypeName | null;
  documentNumber: string | null;
  sender: PartyModel | null;
  receiver: PartyModel | null;
  createdAt: string | null;
  deliveredAt: string | null;
  documents: DocumentModel[];
  validationStatus: string | null;
  /** The network's transmission id, where the source names one. */
  transmissionId: string | null;
  /** The buyer's answer when the record carries it; undefined: ask the source's `buyerResponse`. */
  buyerResponse?: BuyerResponseModel | null;
}

/** Generated from the schema: a plain value type, nothing to map. */
export type BuyerResponseModel = BuyerResponse;

export type FeedKindName = 'NEW' | 'REDOWNLOAD';
export type FeedDocumentModelName = 'CODA' | 'SODA' | 'PURCHASE_INVOICE' | 'SALES_INVOICE';

export interface FeedModel {
  id: string;
  source: SourceName;
  connection: string;
  /** Upstream feed (feed client) number. */
  feedId: number;
  name: string;
  clientCode: string;
  client: PartyModel | null;
}

export interface BankStatementModel {
  iban: string;
  bic: string | null;
  currency: string | null;
  firstStatementNumber: number;
  lastStatementNumber: number;
  newBalanceDate: string;
  movementCount: number;
  extensionZone: string | null;
  /** Where the statement's CODA+ XML can be fetched, when the connection may download it. */
  codaPlus: DownloadRef | null;
  /** Where the classic CODA file can be fetched, when the connection may download it (read when CODA+ may not be). */
  coda?: DownloadRef | null;
  oldBalance?: MoneyModel | null;
  newBalance?: MoneyModel | null;
  /** Movements already read (a statement parsed from a file the caller sent): no upstream call. */
  parsedPayments?: PaymentModel[];
}

export interface SocialDocumentModel {
  vatNumber: string | null;
  socialWelfareId: string | null;
  fileCounter: string | null;
  accountingPeriod: string | null;
  creationDate: string | null;
}

export interface FeedEntryModel {
  id: string;
  feed: FeedModel;
  kind: FeedKindName;
  model: FeedDocumentModelName;
  /** Upstream index, the offset acknowledgements name. */
  feedIndex: string;
  files: DocumentModel[];
  details: BankStatementModel | SocialDocumentModel | InvoiceModel;
}

/** A company an access point sends and receives for (an Ibanity supplier). */
export interface PeppolSupplierModel {
  id: string;
  source: SourceName;
  connection: string;
  /** The upstream's id of the supplier. */
  supplierId: string;
  names: string[];
  enterpriseNumber: string | null;
  vatNumber: string | null;
  onboardingStatus: 'CREATED' | 'APPROVED' | 'ONBOARDED' | 'REJECTED' | 'OFFBOARDED' | 'UNKNOWN';
  upstreamOnboardingStatus: string;
  peppolReceiver: boolean;
  ibans: string[];
  email: string | null;
  contactEmail: string | null;
  phoneNumber: string | null;
  homepage: string | null;
  address: AddressModel | null;
  createdAt: string | null;
}

export interface PeppolRegistrationModel {
  identifier: { scheme: string; value: string; iso6523: string } | null;
  type: string;
  value: string;
  status: 'IN_PROGRESS' | 'REGISTERED' | 'FAILED' | 'DEREGISTERED' | 'UNKNOWN';
  upstreamStatus: string;
  reason: string | null;
  accessPoints: string[];
  modifiedAt: string | null;
}
