import type { CodaStatement } from './coda.js';
import type { SourceName } from './globalId.js';
import type { PaymentModel } from './models.js';
import { toPaymentReference } from './ogm.js';

/**
 * The identity of a bank transaction: account, statement, sequence and detail number. The same
 * movement delivered twice (a feed's redownload, CODA and CODA+ of one statement, the file a user
 * uploads) has the same key, so the exactly-once ledger registers it once whatever brought it.
 */
export const bankTransactionKey = (account: string, statement: number, sequence: number, detail: number) => `${account.replace(/\s/g, '').toUpperCase()}:${statement}:${sequence}:${detail}`;

/** A classic CODA statement's movements as payments: credits positive, debits negative. */
export function codaPayments(s: CodaStatement, source: SourceName, idOf: (statement: number, sequence: number, detail: number) => string): PaymentModel[] {
  const currency = s.currency ?? 'EUR';
  return s.movements.map((m) => {
    const statement = m.statementNumber ?? s.statementNumber;
    return {
      id: idOf(statement, m.sequence, m.detail),
      source,
      kind: 'BANK_TRANSACTION',
      amount: { amount: m.amount, currency },
      date: m.valueDate,
      counterparty: m.counterpartyName || m.counterpartyAccount ? { name: m.counterpartyName, iban: m.counterpartyAccount } : null,
      communication: m.communication,
      paymentReference: m.ogm ? toPaymentReference(m.ogm) : null,
      invoice: null,
      badDebt: null,
      statementNumber: statement,
      sequenceNumber: m.sequence,
      transactionKey: bankTransactionKey(s.account, statement, m.sequence, m.detail),
    };
  });
}
