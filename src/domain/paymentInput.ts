import type { UserErrorCode } from '../generated/graphql.js';
import { isDecimal, scaleOf, canonicalDecimal } from './money.js';
import { decodeGlobalId, isInformatInvoiceLocal, type GlobalId } from './globalId.js';

/** A business refusal, with a code from the schema's one list (`UserErrorCode`). */
export interface UserErrorModel {
  code: UserErrorCode;
  message: string;
  field: string[] | null;
}

export interface PaymentInput {
  invoiceId: string;
  amount: string;
  date: string;
  badDebt?: boolean | null;
  idempotencyKey: string;
}

export interface CheckedPayment {
  invoice: GlobalId;
  amount: string;
  date: string;
  badDebt: boolean;
  idempotencyKey: string;
}

const err = (code: UserErrorCode, message: string, field: string): UserErrorModel => ({ code, message, field: ['input', field] });

/** Checks a registerPayment input before anything is sent; returns the problems or the clean input. */
export function checkPaymentInput(input: PaymentInput): { ok: true; value: CheckedPayment } | { ok: false; userErrors: UserErrorModel[] } {
  const errors: UserErrorModel[] = [];
  const id = decodeGlobalId(input.invoiceId);
  if (!id || id.type !== 'Invoice') errors.push(err('INVALID_ID', 'invoiceId is not an invoice ID from this gateway.', 'invoiceId'));
  else if (id.source !== 'INFORMAT') errors.push(err('INVALID_ID', 'Payments can be registered on Informat invoices only.', 'invoiceId'));
  else if (!isInformatInvoiceLocal(id.local)) errors.push(err('INVALID_ID', 'invoiceId names no Informat invoice.', 'invoiceId'));
  if (!isDecimal(input.amount) || scaleOf(input.amount) > 2) {
    errors.push(err('INVALID_AMOUNT', 'amount must be a decimal with at most 2 decimals, like "10.50".', 'amount'));
  } else if (Number(input.amount) === 0) {
    errors.push(err('INVALID_AMOUNT', 'amount must not be zero.', 'amount'));
  } else if (input.amount.replace(/^-/, '').split('.')[0]!.length > 10) {
    errors.push(err('INVALID_AMOUNT', 'amount is too large.', 'amount'));
  }
  const key = input.idempotencyKey;
  if (key.trim().length === 0 || key.length > 200 || /[\u0000-\u001f]/.test(key)) {
    errors.push(err('INVALID_IDEMPOTENCY_KEY', 'idempotencyKey must be 1 to 200 printable characters.', 'idempotencyKey'));
  }
  if (errors.length) return { ok: false, userErrors: errors };
  return {
    ok: true,
    value: { invoice: id!, amount: canonicalDecimal(input.amount), date: input.date, badDebt: input.badDebt === true, idempotencyKey: key },
  };
}
