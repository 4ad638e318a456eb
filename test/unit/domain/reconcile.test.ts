import { describe, expect, it } from 'vitest';
import { proposeMatches, referencesIn, type BankMovement, type OpenItem } from '../../../src/domain/reconcile.js';
import { makeOgm } from '../../../src/domain/ogm.js';

const ogm = (n: number) => makeOgm(n);
const item = (id: string, open: string, reference: string | null, names: string[] = []): OpenItem => ({ id, open, reference, names });
const credit = (id: string, amount: string, extra: Partial<BankMovement> = {}): BankMovement => ({ id, amount, counterpartyName: null, communication: null, reference: null, ...extra });

describe('proposeMatches', () => {
  it('matches a structured communication to the invoice with that payment reference, with confidence 1', () => {
    const r = proposeMatches([credit('p1', '25.00', { reference: ogm(1000001) })], [item('i1', '25.00', ogm(1000001)), item('i2', '25.00', ogm(1000002))]);
    expect(r).toEqual([{ paymentId: 'p1', invoiceId: 'i1', confidence: 1, reason: expect.stringContaining('structured communication') }]);
  });

  it('says when a payment pays part of what is open, and lets two partial payments pay one invoice', () => {
    const ref = ogm(1000003);
    const r = proposeMatches([credit('p1', '10.00', { reference: ref }), credit('p2', '15.00', { reference: ref })], [item('i1', '25.00', ref)]);
    expect(r.map((m) => [m.paymentId, m.invoiceId])).toEqual([['p1', 'i1'], ['p2', 'i1']]);
    expect(r[0]!.reason).toContain('partial payment: 10.00 of 25.00 open');
    expect(r[1]!.reason).not.toContain('partial');
  });

  it('finds a reference in free text, in any usual spelling, at 0.9', () => {
    const ref = ogm(1000004);
    const spelled = `Betaling ${ref.slice(0, 3)}/${ref.slice(3, 7)}/${ref.slice(7)} schoolrekening`;
    const r = proposeMatches([credit('p1', '30.00', { communication: spelled })], [item('i1', '30.00', ref)]);
    expect(r).toMatchObject([{ invoiceId: 'i1', confidence: 0.9 }]);
    expect(referencesIn('123456789012 is not valid')).toEqual([]);
  });

  it('falls back on amount and payer name (0.6), or amount alone when one invoice has it (0.3), and proposes nothing when it cannot tell', () => {
    const items = [item('a', '42.00', null, ['Jan Peeters']), item('b', '42.00', null, ['An Janssens']), item('d', '42.00', null, ['Wim Claes']), item('c', '17.50', null, ['Els Maes'])];
    const r = proposeMatches([credit('p1', '42.00', { counterpartyName: 'PEETERS-DE SMET J.' }), credit('p2', '17.50', { counterpartyName: 'Someone' }), credit('p3', '42.00', { counterpartyName: 'Unknown' })], items);
    expect(r).toEqual([
      { paymentId: 'p1', invoiceId: 'a', confidence: 0.6, reason: expect.any(String) },
      { paymentId: 'p2', invoiceId: 'c', confidence: 0.3, reason: expect.any(String) },
    ]);
  });

  it('pays invoices with credits and refunds credit notes with debits, never the other way round', () => {
    const ref = ogm(1000005);
    expect(proposeMatches([credit('p1', '-12.00', { reference: ref })], [item('i1', '12.00', ref)])).toEqual([]);
    expect(proposeMatches([credit('p1', '-12.00', { reference: ref })], [item('cn', '-12.00', ref)])).toMatchObject([{ invoiceId: 'cn', confidence: 1 }]);
    expect(proposeMatches([credit('p1', '12.00', { reference: ref })], [item('cn', '-12.00', ref)])).toEqual([]);
  });

  it('proposes each movement once and scales to thousands without quadratic work', () => {
    const items = Array.from({ length: 5000 }, (_, i) => item(`i${i}`, '10.00', ogm(2_000_000 + i)));
    const movements = Array.from({ length: 5000 }, (_, i) => credit(`p${i}`, '10.00', { reference: ogm(2_000_000 + i) }));
    const r = proposeMatches(movements, items);
    expect(r).toHaveLength(5000);
    expect(new Set(r.map((m) => m.paymentId)).size).toBe(5000);
    expect(r.every((m) => m.invoiceId === `i${m.paymentId.slice(1)}`)).toBe(true);
  });
});
