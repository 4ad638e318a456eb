import Big from 'big.js';
import { formatOgm, isValidOgm } from './ogm.js';

/**
 * Which bank movements pay which open invoices. Pure: the service reads the movements and the open
 * invoices, this decides. Rules, strongest first; each movement is proposed once:
 *
 * 1. the structured communication (OGM) is the invoice's payment reference: confidence 1;
 * 2. a valid OGM written in the free communication is: 0.9;
 * 3. the amount equals what is still open and the payer's name shares a word with the invoice's
 *    names: 0.6; the amount alone, when exactly one open invoice has it: 0.3.
 *
 * Credits pay invoices (open amount positive); debits refund credit notes (open amount negative),
 * as Informat counts open amounts. A movement smaller than the open amount is a partial payment and
 * said so; the open amount left is what the name-and-amount rule sees for the next movement.
 */

export interface BankMovement {
  id: string;
  /** Signed: credits positive. */
  amount: string;
  counterpartyName: string | null;
  communication: string | null;
  /** The 12 digits of a structured communication. */
  reference: string | null;
}

export interface OpenItem {
  id: string;
  /** Signed as Informat counts it: negative for a credit note owed back. */
  open: string;
  /** The 12 digits of the invoice's payment reference. */
  reference: string | null;
  /** Names on the invoice (pupil, addressee) the payer's name is compared with. */
  names: string[];
}

export interface ProposedMatch {
  paymentId: string;
  invoiceId: string;
  confidence: number;
  reason: string;
}

const sign = (v: string) => new Big(v).cmp(0);

/** Valid OGMs written anywhere in a text: `+++090/9337/55493+++`, `090/9337/55493`, or 12 digits in a row. */
export function referencesIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/(\d{3})\s*[/.\- ]?\s*(\d{4})\s*[/.\- ]?\s*(\d{5})/g)) {
    const digits = `${m[1]}${m[2]}${m[3]}`;
    if (isValidOgm(digits)) found.add(digits);
  }
  return [...found];
}

const words = (s: string) => new Set(s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').split(/[^a-z]+/).filter((w) => w.length >= 3));

function amountNote(amount: string, open: string): string {
  const paid = new Big(amount).abs();
  const owed = new Big(open).abs();
  if (paid.eq(owed)) return '';
  return paid.lt(owed) ? ` (partial payment: ${paid.toFixed(2)} of ${owed.toFixed(2)} open)` : ` (pays ${paid.toFixed(2)}, more than the ${owed.toFixed(2)} open)`;
}

export function proposeMatches(movements: readonly BankMovement[], items: readonly OpenItem[]): ProposedMatch[] {
  const byReference = new Map<string, OpenItem>();
  for (const i of items) if (i.reference) byReference.set(i.reference, i);
  const remaining = new Map(items.map((i) => [i.id, new Big(i.open)]));
  const out: ProposedMatch[] = [];
  const matched = new Set<string>();
  // A credit pays what is owed to the school (open > 0); a debit refunds a credit note (open < 0).
  const fits = (m: BankMovement, i: OpenItem) => sign(m.amount) !== 0 && sign(m.amount) === sign(i.open);
  const take = (m: BankMovement, i: OpenItem, confidence: number, reason: string) => {
    out.push({ paymentId: m.id, invoiceId: i.id, confidence, reason: reason + amountNote(m.amount, remaining.get(i.id)!.toString()) });
    remaining.set(i.id, remaining.get(i.id)!.minus(m.amount));
    matched.add(m.id);
  };

  for (const m of movements) {
    const i = m.reference ? byReference.get(m.reference) : undefined;
    if (i && fits(m, i)) take(m, i, 1, `The structured communication ${formatOgm(m.reference!)} is the invoice's payment reference`);
  }
  for (const m of movements) {
    if (matched.has(m.id) || !m.communication) continue;
    const i = referencesIn(m.communication).map((r) => byReference.get(r)).find((x) => x && fits(m, x));
    if (i) take(m, i, 0.9, `The invoice's payment reference ${formatOgm(i.reference!)} is written in the free communication`);
  }

  // What is still open, by amount, for the last rule.
  const byOpen = new Map<string, OpenItem[]>();
  const openKey = (v: Big) => v.toFixed(2);
  for (const i of items) {
    const left = remaining.get(i.id)!;
    if (left.eq(0) || left.cmp(0) !== sign(i.open)) continue;
    const k = openKey(left);
    byOpen.set(k, [...(byOpen.get(k) ?? []), i]);
  }
  for (const m of movements) {
    if (matched.has(m.id)) continue;
    const candidates = (byOpen.get(openKey(new Big(m.amount))) ?? []).filter((i) => fits(m, i) && remaining.get(i.id)!.eq(m.amount));
    if (candidates.length === 0) continue;
    const payer = words(m.counterpartyName ?? '');
    const named = candidates.filter((i) => i.names.some((n) => [...words(n)].some((w) => payer.has(w))));
    const i = named.length === 1 ? named[0]! : candidates.length === 1 && named.length === 0 ? candidates[0]! : null;
    if (!i) continue;
    take(m, i, named.length === 1 ? 0.6 : 0.3, named.length === 1 ? "The amount equals the invoice's open amount and the payer's name matches the invoice's" : 'The amount equals the open amount of the only open invoice with that amount');
    byOpen.set(openKey(new Big(m.amount)), (byOpen.get(openKey(new Big(m.amount))) ?? []).filter((x) => x !== i));
  }
  return out;
}
