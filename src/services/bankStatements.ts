import { createHash } from 'node:crypto';
import { parseCoda, type CodaStatement } from '../domain/coda.js';
import { codaPlusPayments, parseCodaPlus } from '../domain/codaPlus.js';
import { encodeGlobalId } from '../domain/globalId.js';
import { InvalidInputError } from '../domain/inputError.js';
import type { BankStatementModel } from '../domain/models.js';
import { codaPayments } from '../domain/bankTransaction.js';

/**
 * `parseBankStatement`: a file the caller has, read into the unified model. Movements are payments
 * of source GATEWAY with IDs from the file's hash and their position: not stored, so `node(id)` finds
 * nothing. Amounts are signed: credits positive, debits negative.
 */

const idOf = (fileHash: string, statement: number, sequence: number, detail: number) => encodeGlobalId({ type: 'Payment', source: 'GATEWAY', connection: 'parsed', local: `${fileHash}:${statement}:${sequence}:${detail}` });

function fromCoda(s: CodaStatement, fileHash: string): BankStatementModel {
  const currency = s.currency ?? 'EUR';
  const payments = codaPayments(s, 'GATEWAY', (statement, sequence, detail) => idOf(fileHash, statement, sequence, detail));
  return {
    iban: s.account,
    bic: s.bic,
    currency: s.currency,
    firstStatementNumber: s.statementNumber,
    lastStatementNumber: s.statementNumber,
    newBalanceDate: s.newBalance?.date ?? s.oldBalance.date ?? '',
    movementCount: s.movements.length,
    extensionZone: null,
    codaPlus: null,
    oldBalance: { amount: s.oldBalance.amount, currency },
    newBalance: s.newBalance ? { amount: s.newBalance.amount, currency } : null,
    parsedPayments: payments,
  };
}

export function parseBankStatement(content: string, format: 'CODA' | 'CODA_PLUS'): { statements: BankStatementModel[]; warnings: string[] } {
  const fileHash = createHash('sha256').update(content).digest('base64url').slice(0, 16);
  if (format === 'CODA') {
    const { statements, warnings } = parseCoda(content);
    // A statement without any date cannot be shown (its new-balance date is required): reported, not invented.
    const dated = statements.filter((s) => s.newBalance?.date ?? s.oldBalance.date);
    for (const s of statements) if (!dated.includes(s)) warnings.push(`Statement ${s.statementNumber} of ${s.account} has no date; left out.`);
    return { statements: dated.map((s) => fromCoda(s, fileHash)), warnings };
  }
  let parsed;
  try {
    parsed = parseCodaPlus(content);
  } catch (err) {
    throw new InvalidInputError(`content is not a CODA+ statement: ${(err as Error).message}`, ['content']);
  }
  const currency = parsed.payments[0]?.currency ?? 'EUR';
  const statement = parsed.newBalance?.statement ?? parsed.oldBalance?.statement ?? 0;
  return {
    statements: [
      {
        iban: parsed.account ?? '',
        bic: null,
        currency,
        firstStatementNumber: parsed.oldBalance?.statement ?? statement,
        lastStatementNumber: statement,
        newBalanceDate: parsed.newBalance?.date ?? parsed.oldBalance?.date ?? '',
        movementCount: parsed.payments.length,
        extensionZone: null,
        codaPlus: null,
        oldBalance: parsed.oldBalance ? { amount: parsed.oldBalance.value, currency } : null,
        newBalance: parsed.newBalance ? { amount: parsed.newBalance.value, currency } : null,
        parsedPayments: codaPlusPayments(parsed, 'GATEWAY', (p) => idOf(fileHash, p.statementNumber, p.sequence, p.detail)),
      },
    ],
    warnings: [],
  };
}
