import { describe, expect, it } from 'vitest';
import { addDecimals, canonicalDecimal, compareDecimals, decimalFromWire, isDecimal, money, subtractDecimals } from '../../../src/domain/money.js';

describe('money', () => {
  it('keeps wire numbers exact with at least two decimals', () => {
    expect(decimalFromWire(65.1)).toBe('65.10');
    expect(decimalFromWire(0)).toBe('0.00');
    expect(decimalFromWire(-366.55)).toBe('-366.55');
    expect(decimalFromWire('14.400')).toBe('14.400');
    expect(decimalFromWire(1e-7, 2)).toBe('0.0000001');
    expect(decimalFromWire(9999999999999.99)).toBe('9999999999999.99');
  });

  it('refuses what is not a decimal', () => {
    expect(() => decimalFromWire('12,50')).toThrow(TypeError);
    expect(() => decimalFromWire(Number.NaN)).toThrow(TypeError);
    expect(isDecimal('1.')).toBe(false);
    expect(isDecimal('01.5')).toBe(false);
    expect(isDecimal('-0.5')).toBe(true);
  });

  it('adds without float error', () => {
    expect(addDecimals('0.10', '0.20')).toBe('0.30');
    expect(subtractDecimals('15.00', '20.00')).toBe('-5.00');
    expect(compareDecimals('10.5', '10.50')).toBe(0);
    expect(canonicalDecimal('10.5')).toBe('10.50');
    expect(canonicalDecimal('-10')).toBe('-10.00');
  });

  it('makes EUR money by default', () => {
    expect(money(12)).toEqual({ amount: '12.00', currency: 'EUR' });
  });
});
