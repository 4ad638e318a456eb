import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOgm } from '../../src/domain/ogm.js';
import { codaFile, codaPlusXml } from '../../src/sandbox/codabox/files.js';
import { describeWithShared, readShared } from '../helpers/shared.js';
import { startStack, type Stack } from '../helpers/stack.js';

/**
 * parseBankStatement: a file the caller has, read into statements and signed payments. The files are
 * written by the CodaBox sandbox's own writers (independent of the gateway's parser) and, where the
 * shared folder is there, are the anonymised CODA samples of others.
 */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

const PARSE = `query($c: String!, $f: BankStatementFormat!) { parseBankStatement(content: $c, format: $f) { warnings statements {
  iban bic currency firstStatementNumber newBalanceDate movementCount oldBalance { amount } newBalance { amount }
  payments { id source amount { amount currency } date counterparty { name iban } communication paymentReference { structured formatted } statementNumber sequenceNumber } } } }`;
const parse = async (content: string, format: 'CODA' | 'CODA_PLUS') => (await stack.gql(PARSE, { c: content, f: format })).body;

describe('parseBankStatement', () => {
  const ogm = makeOgm(2402838428);
  const coda = codaFile({
    iban: 'BE68539007547034', bic: 'GKCCBEBB', holder: 'BROUWERIJ SANDBOX BV', date: '2025-11-03', statement: 42, oldBalance: 1000,
    movements: [
      { amount: 121, valueDate: '2025-11-02', counterpartyName: 'KLANT EEN', counterpartyIban: 'BE71096123456769', communication: '', ogm },
      { amount: -25.5, valueDate: '2025-11-03', counterpartyName: 'VERHUURDER', counterpartyIban: 'BE62510007547061', communication: 'Huur november' },
    ],
  });

  it('reads a CODA file into a statement with its balances and signed payments, structured OGMs recognised', async () => {
    const { data, errors } = await parse(coda, 'CODA');
    expect(errors).toBeUndefined();
    expect(data.parseBankStatement.warnings).toEqual([]);
    const [s] = data.parseBankStatement.statements;
    expect(s).toMatchObject({ iban: 'BE68539007547034', bic: 'GKCCBEBB', currency: 'EUR', firstStatementNumber: 42, newBalanceDate: '2025-11-03', movementCount: 2, oldBalance: { amount: '1000.00' }, newBalance: { amount: '1095.50' } });
    expect(s.payments.map((p: any) => [p.source, p.amount.amount, p.date, p.counterparty, p.communication, p.paymentReference?.formatted ?? null])).toEqual([
      ['GATEWAY', '121.00', '2025-11-02', { name: 'KLANT EEN', iban: 'BE71096123456769' }, '+++240/2838/42818+++', '+++240/2838/42818+++'],
      ['GATEWAY', '-25.50', '2025-11-03', { name: 'VERHUURDER', iban: 'BE62510007547061' }, 'Huur november', null],
    ]);
    // Not stored: node(id) of a parsed payment finds nothing.
    expect((await stack.gql('query($id: ID!) { node(id: $id) { id } }', { id: s.payments[0].id })).body).toEqual({ data: { node: null } });
  });

  it('reads a file whose totals do not add up, and says what does not', async () => {
    const tampered = coda.replace(/^(8.{41})(\d{15})/m, (_m, head: string, digits: string) => `${head}${String(Number(digits) + 10).padStart(15, '0')}`);
    const { data } = await parse(tampered, 'CODA');
    expect(data.parseBankStatement.statements[0].payments).toHaveLength(2);
    expect(data.parseBankStatement.warnings).toEqual(['Statement 42 of BE68539007547034: old balance 1000.00 + movements 95.50 = 1095.50, but the new balance is 1095.51.']);
  });

  it('reads CODA+ XML, and refuses what is not CODA+ as BAD_USER_INPUT', async () => {
    const xml = codaPlusXml({ fiduciary: 'F', client: 'C', account: 'BE68539007547034', oldBalance: ['100.00', '2025-11-01', 7], newBalance: ['150.00', '2025-11-02', 7], payments: [{ statement: 7, seq: 1, name: 'KLANT', account: 'BE71096123456769', amount: '50.00', valueDate: '2025-11-02', communication: `+++${ogm.slice(0, 3)}/${ogm.slice(3, 7)}/${ogm.slice(7)}+++` }] });
    const { data } = await parse(xml, 'CODA_PLUS');
    expect(data.parseBankStatement.statements[0]).toMatchObject({ iban: 'BE68539007547034', oldBalance: { amount: '100.00' }, newBalance: { amount: '150.00' }, movementCount: 1 });
    expect(data.parseBankStatement.statements[0].payments[0]).toMatchObject({ amount: { amount: '50.00' }, paymentReference: { structured: true } });
    const bad = await parse('<!DOCTYPE x><x/>', 'CODA_PLUS');
    expect(bad.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describeWithShared('testdata/coda/s1.cod', 'parseBankStatement on CODA files of others', () => {
  it('reads the anonymised samples and reports their wrong OGM check digits as warnings', async () => {
    const { data } = await parse(readShared('testdata/coda/s1.cod'), 'CODA');
    expect(data.parseBankStatement.statements[0].payments).toHaveLength(4);
    expect(data.parseBankStatement.warnings).toHaveLength(4);
    // Wrong check digits: read as communications, not as structured references.
    expect(data.parseBankStatement.statements[0].payments.every((p: any) => p.paymentReference?.structured !== true)).toBe(true);
  });
});
