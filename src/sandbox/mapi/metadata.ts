import Big from 'big.js';

/**
 * Checks of transaction metadata as the MAPI document describes them, and the amounts MAPI
 * computes. Returns field-keyed errors (400) or one business error (422).
 */

export type DocKey = 'invoice' | 'creditNote' | 'order' | 'billingResponse' | 'paymentNotification';

// ISO 4217 codes the sandbox accepts (the common ones; MAPI checks the full list).
const CURRENCIES = new Set(['EUR', 'USD', 'GBP', 'ISK', 'NOK', 'SEK', 'DKK', 'CHF', 'PLN', 'CZK', 'HUF', 'RON', 'BGN', 'JPY', 'CAD', 'AUD']);
const UNITS = new Set(['One', 'Piece', 'Package', 'Kilogram', 'Metre', 'Litre', 'SquareMetre', 'CubicMetre', 'Kilometre', 'Tonne', 'KiloWattHour', 'Hour', 'Day', 'Month', 'Year', 'Rec20', 'Rec21']);
const TAX_CATEGORIES = new Set(['StandardRated', 'ReducedRated', 'ZeroRated', 'Exempt', 'NotSubjectToVat']);
const RESPONSE_STATUSES = new Set(['MessageAcknowledgement', 'Accepted', 'Rejected', 'InProcess', 'UnderQuery', 'ConditionallyAccepted', 'Paid']);

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export interface Checked {
  errors: Record<string, string[]>;
  /** A rule MAPI reports with 422 (for example a wrong payableAmount). */
  unprocessable: string | null;
  totals: { taxable: string; tax: string; payable: string } | null;
}

function party(errors: Record<string, string[]>, path: string, p: unknown, needVat: boolean) {
  if (!isObj(p)) return void (errors[path] = [`The ${path} field is required.`]);
  for (const f of ['name', 'identifier']) if (typeof p[f] !== 'string' || !p[f]) errors[`${path}.${f}`] = [`The ${f} field is required.`];
  if (needVat && (typeof p.vatNumber !== 'string' || !p.vatNumber)) errors[`${path}.vatNumber`] = ['The vatNumber field is required for the supplier.'];
  if (!isObj(p.address) || typeof p.address.countryCode !== 'string' || !/^[A-Z]{2}$/.test(p.address.countryCode)) {
    errors[`${path}.address.countryCode`] = ['The countryCode field is required (ISO 3166-1 alpha-2).'];
  }
}

function lines(errors: Record<string, string[]>, path: string, list: unknown, taxRequired: boolean) {
  if (!Array.isArray(list) || list.length === 0) return void (errors[path] = [`The ${path} field is required.`]);
  let taxable = new Big(0);
  let tax = new Big(0);
  list.forEach((l, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(l)) return void (errors[p] = ['A line must be an object.']);
    if (typeof l.itemNo !== 'string' || !l.itemNo) errors[`${p}.itemNo`] = ['The itemNo field is required.'];
    if (typeof l.name !== 'string' || !l.name) errors[`${p}.name`] = ['The name field is required.'];
    if (!num(l.quantity)) errors[`${p}.quantity`] = ['The quantity field is required.'];
    if (!num(l.unitPriceAmount)) errors[`${p}.unitPriceAmount`] = ['The unitPriceAmount field is required.'];
    const unit = isObj(l.unitOfMeasure) ? l.unitOfMeasure : null;
    if (!unit || typeof unit.unit !== 'string' || !UNITS.has(unit.unit)) errors[`${p}.unitOfMeasure.unit`] = ['The unit field is required and must be a known unit.'];
    else if ((unit.unit === 'Rec20' || unit.unit === 'Rec21') && (typeof unit.code !== 'string' || !unit.code)) errors[`${p}.unitOfMeasure.code`] = ['The code field is required for Rec20 and Rec21 units.'];
    const taxFields = ['taxCategoryType', 'taxableAmount', 'taxAmount', 'taxPercentage'];
    const present = taxFields.filter((f) => l[f] !== undefined && l[f] !== null);
    if (taxRequired ? present.length < 4 : present.length > 0 && present.length < 4) {
      for (const f of taxFields.filter((x) => !present.includes(x))) errors[`${p}.${f}`] = [taxRequired ? `The ${f} field is required.` : 'Tax fields must be given all together or not at all.'];
    }
    if (present.length === 4) {
      if (!TAX_CATEGORIES.has(String(l.taxCategoryType))) errors[`${p}.taxCategoryType`] = [`The value '${String(l.taxCategoryType)}' is not valid.`];
      if (num(l.taxableAmount)) taxable = taxable.plus(String(l.taxableAmount));
      if (num(l.taxAmount)) tax = tax.plus(String(l.taxAmount));
    } else if (num(l.quantity) && num(l.unitPriceAmount)) {
      taxable = taxable.plus(new Big(String(l.quantity)).times(String(l.unitPriceAmount)).round(2));
    }
  });
  return { taxable, tax };
}

/** Checks the body of a POST /transactions/* call. */
export function checkMetadata(key: DocKey, body: unknown): Checked {
  const errors: Record<string, string[]> = {};
  if (!isObj(body)) return { errors: { '': ['A JSON object body is required.'] }, unprocessable: null, totals: null };
  const mh = body.messageHandling;
  if (!isObj(mh)) errors.messageHandling = ['The messageHandling field is required.'];
  else {
    if (typeof mh.receiverIdentifier !== 'string' || !/^[A-Za-z0-9]{2,4}:.+/.test(mh.receiverIdentifier)) errors['messageHandling.receiverIdentifier'] = ['The receiverIdentifier field is required (Type:Id).'];
    if (typeof mh.fallbackEmailAddress !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(mh.fallbackEmailAddress)) errors['messageHandling.fallbackEmailAddress'] = ['The fallbackEmailAddress field is required (an e-mail address).'];
  }
  const doc = body[key];
  if (!isObj(doc)) {
    errors[key] = [`The ${key} field is required.`];
    return { errors, unprocessable: null, totals: null };
  }
  if (key === 'billingResponse') {
    if (typeof doc.status !== 'string' || !RESPONSE_STATUSES.has(doc.status)) errors[`${key}.status`] = ['The status field is required and must be a known response status.'];
    if (!isObj(doc.documentReference) || typeof doc.documentReference.documentNo !== 'string') errors[`${key}.documentReference.documentNo`] = ['The documentNo field is required.'];
    return { errors, unprocessable: null, totals: null };
  }
  if (key === 'paymentNotification') {
    if (!num(doc.paidAmount)) errors[`${key}.paidAmount`] = ['The paidAmount field is required.'];
    return { errors, unprocessable: null, totals: null };
  }
  const numberField = key === 'invoice' ? 'invoiceNo' : key === 'creditNote' ? 'creditNoteNo' : 'orderNo';
  if (typeof doc[numberField] !== 'string' || !doc[numberField]) errors[`${key}.${numberField}`] = [`The ${numberField} field is required.`];
  if (typeof doc.issueDate !== 'string' || Number.isNaN(Date.parse(doc.issueDate))) errors[`${key}.issueDate`] = ['The issueDate field is required.'];
  if (typeof doc.currencyCode !== 'string' || !CURRENCIES.has(doc.currencyCode)) errors[`${key}.currencyCode`] = [`'${String(doc.currencyCode ?? '')}' is not a valid ISO 4217 currency code.`];
  const billing = key !== 'order';
  party(errors, `${key}.supplier`, doc.supplier, billing);
  party(errors, `${key}.customer`, doc.customer, false);
  if (billing && !doc.buyerReference && !(isObj(doc.orderReference) && doc.orderReference.documentNo)) {
    errors[`${key}.buyerReference`] = ['A buyerReference or an orderReference is required (BISENUBL).'];
  }
  const linesKey = key === 'invoice' ? 'invoiceLines' : key === 'creditNote' ? 'creditNoteLines' : 'orderLines';
  const sums = lines(errors, `${key}.${linesKey}`, doc[linesKey], billing);
  if (Object.keys(errors).length || !sums) return { errors, unprocessable: null, totals: null };
  const prepaid = num(doc.prepaidAmount) ? new Big(String(doc.prepaidAmount)) : new Big(0);
  const exact = sums.taxable.plus(sums.tax).minus(prepaid);
  const payable = String(doc.currencyCode) === 'ISK' ? exact.round(0) : exact.round(2);
  if (num(doc.payableAmount) && !new Big(String(doc.payableAmount)).eq(payable)) {
    return { errors, unprocessable: `The payableAmount ${doc.payableAmount} is not correct; the expected amount is ${payable.toFixed(2)}.`, totals: null };
  }
  return { errors, unprocessable: null, totals: { taxable: sums.taxable.toFixed(2), tax: sums.tax.toFixed(2), payable: payable.toFixed(2) } };
}
