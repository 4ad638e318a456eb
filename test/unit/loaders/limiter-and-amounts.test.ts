import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../../src/loaders/batching.js';
import { computeEn16931Amounts } from '../../../src/domain/invoiceAmounts.js';

describe('createLimiter', () => {
  it('never runs more than its bound at once, across callers, and runs every call', async () => {
    const limit = createLimiter(3);
    let active = 0;
    let peak = 0;
    const done: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          active++;
          peak = Math.max(peak, active);
          await sleep(i % 4);
          active--;
          done.push(i);
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('frees the slot of a call that fails', async () => {
    const limit = createLimiter(1);
    await expect(limit(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit(async () => 'next')).resolves.toBe('next');
  });
});

describe('EN16931 amounts', () => {
  it('taxes each category and rate once on its sum, less its allowances (BR-CO-17), not line by line', () => {
    // Three lines of 0.35 at 21 %: taxed per line, 0.0735 -> 0.07 each, 0.21; taxed on the sum as EN16931
    // wants, 1.05 × 21 % = 0.2205 -> 0.22.
    const a = computeEn16931Amounts(
      [
        { quantity: '1', unitPrice: '0.35', taxPercent: '21', taxCategory: 'S' },
        { quantity: '1', unitPrice: '0.35', taxPercent: '21', taxCategory: 'S' },
        { quantity: '1', unitPrice: '0.35', taxPercent: '21', taxCategory: 'S' },
        { quantity: '2', unitPrice: '5', taxPercent: '6', taxCategory: 'S' },
        { quantity: '1', unitPrice: '3', taxPercent: '0', taxCategory: 'Z' },
      ],
      [{ reason: 'Korting', amount: '1.00', taxPercent: '6', taxCategory: 'S' }],
    );
    expect(a.lines).toEqual(['0.35', '0.35', '0.35', '10.00', '3.00']);
    expect(a.breakdown).toEqual([
      { category: 'S', percent: '21', taxable: '1.05', tax: '0.22' },
      { category: 'S', percent: '6', taxable: '9.00', tax: '0.54' },
      { category: 'Z', percent: '0', taxable: '3.00', tax: '0.00' },
    ]);
    expect(a).toMatchObject({ lineTotal: '14.05', allowanceTotal: '1.00', taxExclusive: '13.05', tax: '0.76', taxInclusive: '13.81', payable: '13.81' });
  });
});
