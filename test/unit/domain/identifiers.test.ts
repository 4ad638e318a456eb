import { describe, expect, it } from 'vitest';
import { normalizeEnterpriseNumber, parsePartyIdentifier } from '../../../src/domain/identifiers.js';

describe('enterprise numbers', () => {
  // Worked examples of belgian-rules.md §2.2.
  it.each([
    ['0566.988.259', '0566988259'],
    ['0739484052', '0739484052'],
    ['BE 0840.559.537', '0840559537'],
    ['840559537', '0840559537'],
  ])('accepts %s', (input, out) => expect(normalizeEnterpriseNumber(input)).toBe(out));

  it.each(['0739484059', '07399999484052', 'ABC', '2840559537'])('refuses %s', (input) => expect(normalizeEnterpriseNumber(input)).toBeNull());
});

describe('party identifiers', () => {
  const both = [
    { scheme: '0208', value: '0840559537', iso6523: '0208:0840559537' },
    { scheme: '9925', value: 'BE0840559537', iso6523: '9925:BE0840559537' },
  ];

  it('reads the usual spellings of a Belgian company', () => {
    // One company, one answer: every spelling gives the same identifiers in the same order.
    for (const s of ['0208:0840559537', 'BE0840559537', 'BE 0840.559.537', '0840.559.537', '840559537', 'iso6523-actorid-upis::0208:0840559537', '0208:BE0840559537', '9925:BE0840559537', '9925:be0840559537']) {
      expect(parsePartyIdentifier(s)).toEqual(both);
    }
  });

  it('treats MAPI KT as ICD 0196', () => {
    expect(parsePartyIdentifier('KT:1111118899')).toEqual([{ scheme: '0196', value: '1111118899', iso6523: '0196:1111118899' }]);
    expect(parsePartyIdentifier('0196:1111118899')).toEqual(parsePartyIdentifier('kt:1111118899'));
  });

  it('refuses what is not an identifier', () => {
    for (const s of ['', 'hello', '0208:0739484059', '0208:', 'a:b c']) expect(parsePartyIdentifier(s)).toBeNull();
  });
});

describe('explainIdentifier', () => {
  it('names the rule a refused identifier breaks', async () => {
    const { explainIdentifier } = await import('../../../src/domain/identifiers.js');
    expect(explainIdentifier('BE0840559538')).toBe('its check digits are 38, but 97 − (08405595 mod 97) is 37');
    expect(explainIdentifier('0208:2840559537')).toBe('a Belgian enterprise number starts with 0 or 1');
    expect(explainIdentifier('08405595')).toBe('a Belgian enterprise number has 10 digits (9 are read with a leading 0), not 8');
    expect(explainIdentifier('9925:BEabc')).toBe('a Belgian VAT number is digits (BE and 10 digits for VAT)');
    expect(explainIdentifier('hello world')).toMatch(/neither scheme:value/);
    expect(explainIdentifier('KT:a b')).toMatch(/may hold only letters/);
  });
});
