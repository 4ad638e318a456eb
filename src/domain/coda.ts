import Big from 'big.js';
import { formatOgm, isValidOgm } from './ogm.js';

/**
 * Febelfin CODA 2.x bank statements (128-character records; belgian-rules.md §2.5): statements with
 * their balances and movements, each movement with its signed amount, dates, counterparty and
 * communication (a structured OGM of type 101/102, or free text gathered from records 21, 22 and 23).
 *
 * The file's own checks are reported as warnings, never as failures, because real and anonymised
 * files break them (the anonymised samples have wrong OGM check digits and totals that do not add
 * up): the trailer's record count and its debit and credit totals (over movement records with detail
 * number 0000), old balance + credits − debits = new balance, OGM check digits, line lengths.
 */

export interface CodaMovement {
  sequence: number;
  detail: number;
  bankReference: string | null;
  /** Credits positive, debits negative, with 2 decimals (3 when the file uses the third). */
  amount: string;
  valueDate: string | null;
  entryDate: string | null;
  transactionCode: string | null;
  /** The OGM's 12 digits when the communication is structured (type 101 or 102). */
  ogm: string | null;
  /** The structured communication's type code (`101`, `102`, `127`, …); null for free text. */
  structuredType: string | null;
  communication: string | null;
  counterpartyName: string | null;
  counterpartyAccount: string | null;
  counterpartyBic: string | null;
  statementNumber: number | null;
}

export interface CodaStatement {
  account: string;
  /** 0 Belgian account number, 1 foreign, 2 Belgian IBAN, 3 foreign IBAN. */
  accountStructure: number;
  currency: string | null;
  bic: string | null;
  holderName: string | null;
  statementNumber: number;
  oldBalance: { amount: string; date: string | null };
  newBalance: { amount: string; date: string | null } | null;
  movements: CodaMovement[];
}

export interface CodaFile {
  statements: CodaStatement[];
  warnings: string[];
}

/** Largest file read: CODA files are small; a bank's yearly export is a few MB. */
export const MAX_CODA_BYTES = 16 * 1024 * 1024;

const at = (line: string, from: number, to: number) => line.slice(from - 1, to);
const trimmed = (s: string) => (s.trim() ? s.trim() : null);

/** DDMMYY → YYYY-MM-DD (CODA dates are of this century); null for blanks or zeros. */
function date(ddmmyy: string): string | null {
  if (!/^\d{6}$/.test(ddmmyy) || ddmmyy === '000000') return null;
  return `20${ddmmyy.slice(4, 6)}-${ddmmyy.slice(2, 4)}-${ddmmyy.slice(0, 2)}`;
}

/** 15 digits with 3 implied decimals and a sign digit (0 credit, 1 debit), as a signed Big. */
function amountOf(sign: string, digits: string): Big {
  const value = /^\d{15}$/.test(digits) ? new Big(digits).div(1000) : new Big(0);
  return sign === '1' ? value.times(-1) : value;
}

/** Two decimals unless the third is used. */
const money = (b: Big) => (b.times(100).mod(1).eq(0) ? b.toFixed(2) : b.toFixed(3));

export function parseCoda(content: string): CodaFile {
  const warnings: string[] = [];
  if (Buffer.byteLength(content, 'latin1') > MAX_CODA_BYTES) return { statements: [], warnings: [`The file is larger than ${MAX_CODA_BYTES / 1024 / 1024} MB; nothing was read.`] };
  const lines = content.split(/\r?\n/).filter((l) => l.length > 0);
  const statements: CodaStatement[] = [];
  let bic: string | null = null;
  let current: CodaStatement | null = null;
  let movement: CodaMovement | null = null;
  // What the trailer of the current file is checked against.
  let records = 0;
  let debit = new Big(0);
  let credit = new Big(0);

  const communicationOf = (m: CodaMovement, more: string) => {
    if (m.structuredType) return;
    const text = more.trim();
    if (text) m.communication = m.communication ? `${m.communication} ${text}` : text;
  };

  lines.forEach((raw, index) => {
    const n = index + 1;
    if (raw.length !== 128) warnings.push(`Line ${n} has ${raw.length} characters, not 128.`);
    const line = raw.padEnd(128, ' ');
    const type = line[0];
    if (type !== '0' && type !== '9') records++;
    switch (type) {
      case '0':
        bic = trimmed(at(line, 61, 71));
        records = 0;
        debit = new Big(0);
        credit = new Big(0);
        break;
      case '1': {
        const structure = Number(line[1]);
        const account = structure === 0 ? at(line, 6, 17) : structure === 2 ? at(line, 6, 21) : at(line, 6, 39);
        const currency = structure === 0 ? at(line, 19, 21) : at(line, 40, 42);
        current = {
          account: account.trim(),
          accountStructure: structure,
          currency: trimmed(currency),
          bic,
          holderName: trimmed(at(line, 65, 90)),
          statementNumber: Number(at(line, 3, 5)) || 0,
          oldBalance: { amount: money(amountOf(line[42]!, at(line, 44, 58))), date: date(at(line, 59, 64)) },
          newBalance: null,
          movements: [],
        };
        statements.push(current);
        movement = null;
        break;
      }
      case '2': {
        if (!current) {
          warnings.push(`Line ${n}: a movement record before any old-balance record; skipped.`);
          break;
        }
        const part = line[1];
        if (part === '1') {
          const detail = Number(at(line, 7, 10));
          const amount = amountOf(line[31]!, at(line, 33, 47));
          if (detail === 0) {
            if (amount.lt(0)) debit = debit.plus(amount.abs());
            else credit = credit.plus(amount);
          }
          const structured = line[61] === '1';
          const structuredType = structured ? at(line, 63, 65) : null;
          const digits = structured && (structuredType === '101' || structuredType === '102') ? at(line, 66, 77) : null;
          const ogm = digits && /^\d{12}$/.test(digits) ? digits : null;
          if (ogm && !isValidOgm(ogm)) warnings.push(`Line ${n}: the structured communication ${formatOgm(ogm)} has wrong check digits.`);
          movement = {
            sequence: Number(at(line, 3, 6)),
            detail,
            bankReference: trimmed(at(line, 11, 31)),
            amount: money(amount),
            valueDate: date(at(line, 48, 53)),
            entryDate: date(at(line, 116, 121)),
            transactionCode: trimmed(at(line, 54, 61)),
            ogm,
            structuredType,
            communication: ogm ? formatOgm(ogm) : structured ? trimmed(at(line, 66, 115)) : trimmed(at(line, 63, 115)),
            counterpartyName: null,
            counterpartyAccount: null,
            counterpartyBic: null,
            statementNumber: Number(at(line, 122, 124)) || null,
          };
          // Detail records (detail number > 0) break a globalised movement down; the statement lists movements.
          if (detail === 0) current.movements.push(movement);
        } else if (movement && part === '2') {
          communicationOf(movement, at(line, 11, 63));
          movement.counterpartyBic = trimmed(at(line, 99, 109));
        } else if (movement && part === '3') {
          movement.counterpartyAccount = trimmed(at(line, 11, 44));
          movement.counterpartyName = trimmed(at(line, 48, 82));
          communicationOf(movement, at(line, 83, 117));
        } else warnings.push(`Line ${n}: record 2${part} is not one CODA knows, or comes without its movement.`);
        break;
      }
      case '3':
      case '4':
        // Information records and free communications: counted, not needed for movements.
        break;
      case '8':
        if (!current) {
          warnings.push(`Line ${n}: a new-balance record before any old-balance record.`);
          break;
        }
        current.newBalance = { amount: money(amountOf(line[41]!, at(line, 43, 57))), date: date(at(line, 58, 63)) };
        {
          const moved = current.movements.reduce((s, m) => s.plus(m.amount), new Big(0));
          const expected = new Big(current.oldBalance.amount).plus(moved);
          if (!expected.eq(current.newBalance.amount)) {
            warnings.push(`Statement ${current.statementNumber} of ${current.account}: old balance ${current.oldBalance.amount} + movements ${money(moved)} = ${money(expected)}, but the new balance is ${current.newBalance.amount}.`);
          }
        }
        break;
      case '9': {
        const count = Number(at(line, 17, 22));
        const debitTotal = new Big(/^\d{15}$/.test(at(line, 23, 37)) ? at(line, 23, 37) : '0').div(1000);
        const creditTotal = new Big(/^\d{15}$/.test(at(line, 38, 52)) ? at(line, 38, 52) : '0').div(1000);
        if (count !== records) warnings.push(`Trailer (line ${n}): ${count} records announced, ${records} found.`);
        if (!debitTotal.eq(debit)) warnings.push(`Trailer (line ${n}): debit total ${money(debitTotal)} announced, movements add up to ${money(debit)}.`);
        if (!creditTotal.eq(credit)) warnings.push(`Trailer (line ${n}): credit total ${money(creditTotal)} announced, movements add up to ${money(credit)}.`);
        break;
      }
      default:
        warnings.push(`Line ${n}: record type "${type}" is not a CODA record; skipped.`);
    }
  });
  if (lines.length && !statements.length) warnings.push('No statement (record 1) was found.');
  for (const s of statements) if (!s.newBalance) warnings.push(`Statement ${s.statementNumber} of ${s.account} has no new-balance record.`);
  return { statements, warnings };
}
