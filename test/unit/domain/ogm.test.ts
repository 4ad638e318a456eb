import { describe, expect, it } from 'vitest';
import { formatOgm, isValidOgm, makeOgm, normalizeOgm, ogmCheckDigits, toPaymentReference } from '../../../src/domain/ogm.js';

describe('OGM/VCS', () => {
  // Worked examples of shared/upstream-specs/belgian-rules.md §2.1.
  it.each([
    ['0108068171', 83, '+++010/8068/17183+++'],
    ['3124013980', 67, '+++312/4013/98067+++'],
    ['2402838428', 18, '+++240/2838/42818+++'],
    ['0000000097', 97, '+++000/0000/09797+++'],
  ])('check digits of %s are %i', (first10, check, printed) => {
    expect(ogmCheckDigits(first10)).toBe(check);
    const digits = first10 + String(check).padStart(2, '0');
    expect(isValidOgm(digits)).toBe(true);
    expect(formatOgm(digits)).toBe(printed);
  });

  it('rejects wrong check digits', () => {
    expect(isValidOgm('010806817180')).toBe(false);
  });

  it('reads printed forms with +++, *** and spaces', () => {
    expect(normalizeOgm('+++010/8068/17183+++')).toBe('010806817183');
    expect(normalizeOgm('***010/8068/17183***')).toBe('010806817183');
    expect(normalizeOgm(' 010 8068 17183 ')).toBe('010806817183');
    expect(normalizeOgm('12345')).toBeNull();
  });

  it('maps the Informat sample reference', () => {
    expect(toPaymentReference('000282332442')).toEqual({ raw: '000282332442', structured: true, formatted: '+++000/2823/32442+++' });
    expect(toPaymentReference('invoice 2020/17')).toEqual({ raw: 'invoice 2020/17', structured: false, formatted: null });
    expect(toPaymentReference('000282332443').structured).toBe(false);
  });

  it('makes valid OGMs from a counter, and refuses counters over 10 digits', () => {
    for (const n of [0, 1, 96, 97, 1234567890]) expect(isValidOgm(makeOgm(n))).toBe(true);
    expect(() => makeOgm(12345678901)).toThrow(RangeError);
  });
});
