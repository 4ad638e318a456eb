import { describe, expect, it } from 'vitest';
import { parseCoda } from '../../../src/domain/coda.js';
import { makeOgm } from '../../../src/domain/ogm.js';
import { describeWithShared, readShared } from '../../helpers/shared.js';

/** A record at its CODA positions (1-based), padded to 128 characters. */
function record(fields: [number, string][]): string {
  const chars = Array.from({ length: 128 }, () => ' ');
  for (const [pos, text] of fields) for (let i = 0; i < text.length; i++) chars[pos - 1 + i] = text[i]!;
  return chars.join('');
}
const amount = (cents: number) => String(Math.abs(cents) * 10).padStart(15, '0');

/** A small consistent file: one statement, a structured credit, a free-text debit on two records. */
function consistentFile(ogm: string): string {
  return [
    record([[1, '0'], [6, '011125'], [61, 'GKCCBEBB'], [128, '2']]),
    record([[1, '1'], [2, '2'], [3, '042'], [6, 'BE68539007547034'], [40, 'EUR'], [43, '0'], [44, amount(100_000)], [59, '011125'], [65, 'BROUWERIJ SANDBOX BV']]),
    record([[1, '21'], [3, '0001'], [7, '0000'], [11, 'REF1'], [32, '0'], [33, amount(12_100)], [48, '021125'], [54, '00150000'], [62, '1'], [63, '101'], [66, ogm], [116, '021125'], [122, '042'], [126, '1'], [128, '0']]),
    record([[1, '23'], [3, '0001'], [7, '0000'], [11, 'BE71096123456769'], [48, 'KLANT EEN']]),
    record([[1, '21'], [3, '0002'], [7, '0000'], [11, 'REF2'], [32, '1'], [33, amount(2_550)], [48, '031125'], [54, '01500000'], [62, '0'], [63, 'Huur november'], [116, '031125'], [122, '042'], [126, '1']]),
    record([[1, '22'], [3, '0002'], [7, '0000'], [11, 'kantoor Gent']]),
    record([[1, '8'], [2, '042'], [42, '0'], [43, amount(109_550)], [58, '031125']]),
    record([[1, '9'], [17, '000006'], [23, amount(2_550)], [38, amount(12_100)], [128, '2']]),
  ].join('\r\n');
}

describe('CODA', () => {
  it('reads a consistent file without warnings: balances, signed amounts, the OGM, the communication over two records', () => {
    const ogm = makeOgm(2402838428);
    const { statements, warnings } = parseCoda(consistentFile(ogm));
    expect(warnings).toEqual([]);
    expect(statements).toHaveLength(1);
    const s = statements[0]!;
    expect(s).toMatchObject({ account: 'BE68539007547034', accountStructure: 2, currency: 'EUR', bic: 'GKCCBEBB', holderName: 'BROUWERIJ SANDBOX BV', statementNumber: 42, oldBalance: { amount: '1000.00', date: '2025-11-01' }, newBalance: { amount: '1095.50', date: '2025-11-03' } });
    expect(s.movements.map((m) => [m.amount, m.ogm, m.communication, m.counterpartyName, m.counterpartyAccount])).toEqual([
      ['121.00', ogm, '+++240/2838/42818+++', 'KLANT EEN', 'BE71096123456769'],
      ['-25.50', null, 'Huur november kantoor Gent', null, null],
    ]);
  });

  it('warns, and still reads, when the trailer, the balance or an OGM does not add up', () => {
    const broken = consistentFile('240283842800').replace(/^9(.{15})000006/m, '9$1000009');
    const { statements, warnings } = parseCoda(broken);
    expect(statements[0]!.movements).toHaveLength(2);
    expect(warnings).toEqual([
      'Line 3: the structured communication +++240/2838/42800+++ has wrong check digits.',
      'Trailer (line 8): 9 records announced, 6 found.',
    ]);
    const unbalanced = parseCoda(consistentFile(makeOgm(1)).replace(amount(109_550), amount(109_551)));
    expect(unbalanced.warnings).toEqual(['Statement 42 of BE68539007547034: old balance 1000.00 + movements 95.50 = 1095.50, but the new balance is 1095.51.']);
  });

  it('never throws on what is not CODA', () => {
    expect(parseCoda('').statements).toEqual([]);
    expect(parseCoda('hello\nworld').warnings).toContain('No statement (record 1) was found.');
    expect(parseCoda('1'.repeat(5000)).warnings.length).toBeGreaterThan(0);
  });
});

describeWithShared('testdata/coda/s1.cod', 'CODA samples of others', () => {
  it('reads the anonymised samples, reporting their wrong OGM check digits and totals as warnings', () => {
    const s1 = parseCoda(readShared('testdata/coda/s1.cod'));
    expect(s1.statements).toHaveLength(1);
    expect(s1.statements[0]!.movements.filter((m) => m.structuredType === '101')).toHaveLength(4);
    expect(s1.warnings.filter((w) => /wrong check digits/.test(w))).toHaveLength(4);
    // Its balances and trailer are consistent: no other warning.
    expect(s1.warnings).toHaveLength(4);
    for (const f of ['s2', 's3']) {
      const r = parseCoda(readShared(`testdata/coda/${f}.cod`));
      expect(r.statements.length, f).toBeGreaterThan(0);
      expect(r.warnings.length, f).toBeGreaterThan(0);
    }
  });
});
