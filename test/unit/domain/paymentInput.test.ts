import { describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../../src/domain/globalId.js';
import { checkPaymentInput } from '../../../src/domain/paymentInput.js';

const invoiceId = encodeGlobalId({ type: 'Invoice', source: 'INFORMAT', connection: 'ag', local: 'cac965e9-0a1c-4b6e-9f3a-2d8f3c1b7e10' });
const ok = { invoiceId, amount: '10.5', date: '2024-01-01', idempotencyKey: 'k' };

describe('checkPaymentInput', () => {
  it('accepts a good input and canonicalises the amount', () => {
    const r = checkPaymentInput(ok);
    expect(r.ok && r.value.amount).toBe('10.50');
    expect(r.ok && r.value.badDebt).toBe(false);
  });

  it('names every problem with its field', () => {
    const r = checkPaymentInput({ invoiceId: encodeGlobalId({ type: 'Invoice', source: 'MAPI', connection: 'c', local: '1' }), amount: '0', date: '2024-01-01', idempotencyKey: '' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.userErrors.map((e) => [e.code, e.field![1]])).toEqual([['INVALID_ID', 'invoiceId'], ['INVALID_AMOUNT', 'amount'], ['INVALID_IDEMPOTENCY_KEY', 'idempotencyKey']]);
  });

  it('refuses more than two decimals and absurd sizes', () => {
    expect(checkPaymentInput({ ...ok, amount: '1.001' }).ok).toBe(false);
    expect(checkPaymentInput({ ...ok, amount: '12345678901.00' }).ok).toBe(false);
    expect(checkPaymentInput({ ...ok, amount: '-12.00' }).ok).toBe(true);
  });

  it('refuses an Informat invoice ID whose local part is not a UUID, before anything is sent', () => {
    const r = checkPaymentInput({ ...ok, invoiceId: encodeGlobalId({ type: 'Invoice', source: 'INFORMAT', connection: 'ag', local: 'not-a-uuid' }) });
    expect(!r.ok && r.userErrors.map((e) => e.code)).toEqual(['INVALID_ID']);
  });
});
