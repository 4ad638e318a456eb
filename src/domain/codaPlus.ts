import { bankTransactionKey } from './bankTransaction.js';
import { readXml } from './safeXml.js';
import { decimalFromWire } from './money.js';
import { toPaymentReference, type PaymentReferenceModel } from './ogm.js';
import type { PaymentModel } from './models.js';
import type { SourceName } from './globalId.js';

/** A payment read from a CODA+ statement (CodaBox's codaPLUS_V1.0.xsd). */
export interface CodaPlusPayment {
  statementNumber: number;
  sequence: number;
  detail: number;
  counterpartyName: string | null;
  counterpartyAccount: string | null;
  amount: string;
  currency: string;
  valueDate: string | null;
  communication: string | null;
  /** The communication when it is a structured OGM. */
  paymentReference: PaymentReferenceModel | null;
  transactionCode: string | null;
  transactionDescription: string | null;
}

export interface CodaPlusStatement {
  account: string | null;
  oldBalance: { value: string; date: string | null; statement: number } | null;
  newBalance: { value: string; date: string | null; statement: number } | null;
  payments: CodaPlusPayment[];
}


const text = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

const MAX_CODA_PLUS_BYTES = 32 * 1024 * 1024;

/** Parses CODA+ XML. Refuses DTDs (no entities are ever expanded) and malformed XML with an Error. */
export function parseCodaPlus(xml: string): CodaPlusStatement {
  const read = readXml(xml, { maxBytes: MAX_CODA_PLUS_BYTES, what: 'CODA+ statement', parser: { ignoreAttributes: true, isArray: (name) => name === 'Payment', trimValues: true } });
  if (!read.ok) throw new Error(read.message);
  const doc = read.doc as { Statement?: Record<string, any> };
  const s = doc.Statement;
  if (!s) throw new Error('CODA+ document has no Statement root');
  const balance = (b: any) => (b ? { value: decimalFromWire(String(b.Value)), date: text(b.Date), statement: Number(b.StatementNumber) } : null);
  // An empty <PaymentList> parses as an empty string, not an object.
  const payments = (typeof s.PaymentList === 'object' && s.PaymentList !== null ? (s.PaymentList.Payment ?? []) : []) as any[];
  return {
    account: text(s.ClientAccount),
    oldBalance: balance(s.OldBalance),
    newBalance: balance(s.NewBalance),
    payments: payments.map((p) => {
      const communication = text(p.Communication);
      const ref = communication ? toPaymentReference(communication) : null;
      return {
        statementNumber: Number(p.StatementNumber),
        sequence: Number(p.MovSeqNum),
        detail: Number(p.DetailNum ?? 0),
        counterpartyName: text(p.Counterparty?.Name),
        counterpartyAccount: text(p.Counterparty?.BankAccount),
        amount: decimalFromWire(String(p.Amount)),
        currency: text(p.Currency) ?? 'EUR',
        valueDate: text(p.ValueDate),
        communication,
        paymentReference: ref?.structured ? ref : null,
        transactionCode: text(p.TransactionCode?.Code),
        transactionDescription: text(p.TransactionCode?.Description),
      };
    }),
  };
}

/** A CODA+ statement's payments as unified bank transactions; `idOf` gives each its ID for `source`. */
export function codaPlusPayments(s: CodaPlusStatement, source: SourceName, idOf: (p: CodaPlusPayment) => string): PaymentModel[] {
  return s.payments.map((p) => ({
    id: idOf(p),
    source,
    kind: 'BANK_TRANSACTION',
    amount: { amount: p.amount, currency: p.currency },
    date: p.valueDate,
    counterparty: { name: p.counterpartyName, iban: p.counterpartyAccount },
    communication: p.communication,
    paymentReference: p.paymentReference,
    invoice: null,
    badDebt: null,
    statementNumber: p.statementNumber,
    sequenceNumber: p.sequence,
    transactionKey: s.account ? bankTransactionKey(s.account, p.statementNumber, p.sequence, p.detail) : null,
  }));
}
