/** The sandbox's own records: what Informat holds in its database, wider than what the API shows. */

export type InvoiceGroupType = 'STUDENT' | 'STAFF' | 'INTERN' | 'REGISTRATION';

export interface Deelboek {
  id: number;
  /** Journal names; payments need `Extern` (or `Extern_Dubieus` for bad debt) exactly once. */
  journals: string[];
  /** Open accounting periods, inclusive ISO dates. */
  periods: { from: string; to: string }[];
}

export interface AccessGroupRecord {
  identifier: string;
  guid: string;
  name: string;
}

export interface InvoiceGroupRecord {
  id: number;
  accessGroup: string;
  name: string;
  fromDate: string;
  toDate: string;
  invoiceGroupType: InvoiceGroupType;
  schoolYear: string;
}

export interface Relation {
  name: string;
  title: string;
  nationalNumber: string | null;
  lpv: number;
}

export interface AddressRecord {
  databaseId: number;
  addressGuid: string;
  title: string | null;
  name: string | null;
  street: string;
  number: string;
  busNumber: string;
  zip: string;
  city: string;
  emailAddresses: string;
  relations: Relation[];
}

export interface ItemRecord {
  description: string;
  extraName: string;
  quantity: string;
  unitPrice: string;
  discountPercentage: string;
  discountAmount: string;
  total: string;
}

export interface ItemGroupRecord {
  code: string;
  description: string;
  glAccountCode: string;
  codeBudgetExtern: string;
  total: string;
  items: ItemRecord[];
}

export interface InvoiceRecord {
  invoiceId: string;
  accessGroup: string;
  invoiceGroupId: number;
  /** Only booked invoices are visible through the API (VZW validation). */
  booked: boolean;
  deelboek: number;
  invoiceType: 'INVOICE' | 'CREDIT_NOTE';
  printDate: string;
  dueDate: string;
  /** Decimal strings; `total` is positive for credit notes too. */
  total: string;
  paid: string;
  paymentReference: string;
  paymentReferenceInvoice: string | null;
  eolEntryNumber: string | null;
  created: string;
  changed: string;
  pdf: { state: 'none' | 'pending' | 'ready'; readyAt: number; sizeBytes: number };
  recipient: {
    id: string;
    databaseId: number;
    firstName: string;
    lastName: string;
    birthDate: string;
    stamNumber: string | null;
    location: string | null;
    institute: string;
    class: string | null;
    classNumber: number | null;
    code: string | null;
    rrNo: string | null;
    bisNo: string | null;
  };
  mandate: {
    beginDate: string;
    creditorId: string;
    ibanSchool: string;
    mandateReference: string;
    ibanParent: string;
    bicParent: string;
  } | null;
  invoiceAddress: AddressRecord | null;
  homeAddress: AddressRecord | null;
  itemGroups: ItemGroupRecord[];
}

export interface InformatData {
  accessGroups: AccessGroupRecord[];
  deelboeken: Map<number, Deelboek>;
  groups: InvoiceGroupRecord[];
  invoices: Map<string, InvoiceRecord>;
}
