import { z } from 'zod';
import { decimalFromWire } from '../../domain/money.js';

/**
 * What Informat really sends. Every field but the identifiers is optional because the gateway
 * selects only the fields a caller asked for. Decimals arrive as JSON numbers (65.10) and become
 * exact decimal strings here.
 */

const Decimal = z.union([z.number(), z.string()]).transform((v, ctx) => {
  try {
    return decimalFromWire(v);
  } catch {
    ctx.addIssue({ code: 'custom', message: `not a decimal: ${JSON.stringify(v)}` });
    return z.NEVER;
  }
});
const str = z.string().nullish();

export const WireRelation = z.object({ name: str, title: str, nationalNumber: str, lpv: z.number().int().nullish() });

export const WireAddress = z.object({
  databaseId: z.number().int().nullish(),
  addressGuid: str,
  title: str,
  name: str,
  street: str,
  number: str,
  busNumber: str,
  zip: str,
  city: str,
  emailAddresses: str,
  relations: z.array(WireRelation).nullish(),
});

export const WireRecipient = z.object({
  id: z.string(),
  databaseId: z.number().int().nullish(),
  firstName: str,
  lastName: str,
  birthDate: str,
  stamNumber: str,
  location: str,
  institute: str,
  class: str,
  classNumber: z.number().int().nullish(),
  code: str,
});

export const WireMandate = z.object({
  beginDate: str,
  creditorId: str,
  ibanSchool: str,
  mandateReference: str,
  ibanParent: str,
  bicParent: str,
});

export const WireItem = z.object({
  description: str,
  extraName: str,
  quantity: Decimal,
  unitPrice: Decimal,
  discountPercentage: Decimal.nullish(),
  discountAmount: Decimal.nullish(),
  total: Decimal,
});

export const WireItemGroup = z.object({
  code: z.string(),
  description: str,
  glAccountCode: str,
  codeBudgetExtern: str,
  total: Decimal.nullish(),
  items: z.array(WireItem),
});

export const InvoiceGroupType = z.enum(['STUDENT', 'STAFF', 'INTERN', 'REGISTRATION']);

export const WireInvoiceGroup = z.object({
  id: z.number().int(),
  name: z.string(),
  fromDate: str,
  toDate: str,
  invoiceGroupType: InvoiceGroupType,
  schoolYear: z.string(),
});

export const WireInvoice = z.object({
  invoiceId: z.string().uuid(),
  invoiceType: z.enum(['INVOICE', 'CREDIT_NOTE']),
  invoiceGroup: WireInvoiceGroup.nullish(),
  printDate: str,
  dueDate: str,
  total: Decimal,
  paid: Decimal.nullish(),
  open: Decimal.nullish(),
  paymentReference: str,
  paymentReferenceInvoice: str,
  eolEntryNumber: z.union([z.string(), z.number()]).nullish(),
  created: str,
  changed: str,
  createImageUrl: str,
  imageUrl: str,
  recipient: WireRecipient.nullish(),
  mandate: WireMandate.nullish(),
  invoiceAddress: WireAddress.nullish(),
  homeAddress: WireAddress.nullish(),
  itemGroups: z.array(WireItemGroup).nullish(),
});
export type WireInvoice = z.infer<typeof WireInvoice>;
export type WireInvoiceGroup = z.infer<typeof WireInvoiceGroup>;

/**
 * A list answer, checked lightly: groups in full, invoices only for their id. Each invoice of the
 * page handed out is then checked in full with WireInvoice, so a big school year costs one cheap
 * pass instead of validating thousands of invoices nobody asked for.
 */
export const WireGroupsAnswer = z.object({
  accessGroup: z
    .object({
      invoiceGroups: z.array(WireInvoiceGroup.extend({ invoices: z.array(z.looseObject({ invoiceId: z.string() })).optional() })),
    })
    .nullable(),
});

/** The answer to `invoicesQuery`: one aliased `invoice` per asked ID. */
export const WireInvoicesAnswer = z.object({
  accessGroup: z.record(z.string().regex(/^i\d+$/), WireInvoice.nullable()).nullable(),
});

export const WirePingAnswer = z.object({ accessGroup: z.object({ guid: z.string() }).nullable() });

export const WirePaymentResult = z.object({
  totalAmount: Decimal,
  totalPaid: Decimal,
  openAmount: Decimal,
  invoiceId: z.string(),
  paymentReference: z.string().nullish(),
});
export type WirePaymentResult = z.infer<typeof WirePaymentResult>;
