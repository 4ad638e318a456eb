import Big from 'big.js';

export interface LineInput {
  quantity: string;
  unitPrice: string;
  taxPercent: string;
}

export interface LineAmounts {
  taxable: string;
  tax: string;
}

export interface InvoiceAmounts {
  lines: LineAmounts[];
  taxable: string;
  tax: string;
  payable: string;
}

/**
 * Exact invoice amounts: per line, taxable = round2(quantity × unit price) and
 * tax = round2(taxable × percent / 100) (tax per line, as MAPI's metadata carries it);
 * totals are sums of the rounded line amounts, so they always agree with the lines.
 */
export function computeInvoiceAmounts(lines: readonly LineInput[]): InvoiceAmounts {
  const out = lines.map((l) => {
    const taxable = new Big(l.quantity).times(l.unitPrice).round(2, Big.roundHalfUp);
    const tax = taxable.times(l.taxPercent).div(100).round(2, Big.roundHalfUp);
    return { taxable, tax };
  });
  const taxable = out.reduce((s, l) => s.plus(l.taxable), new Big(0));
  const tax = out.reduce((s, l) => s.plus(l.tax), new Big(0));
  return {
    lines: out.map((l) => ({ taxable: l.taxable.toFixed(2), tax: l.tax.toFixed(2) })),
    taxable: taxable.toFixed(2),
    tax: tax.toFixed(2),
    payable: taxable.plus(tax).toFixed(2),
  };
}

/** A document-level allowance (EN16931 BG-20): an amount off the invoice, taxed in one VAT category. */
export interface AllowanceInput {
  reason: string;
  amount: string;
  taxPercent: string;
  taxCategory: string;
}

/** One row of the VAT breakdown (EN16931 BG-23). */
export interface VatBreakdown {
  category: string;
  percent: string;
  taxable: string;
  tax: string;
}

export interface En16931Amounts {
  /** BT-131 per line: round2(quantity × price). */
  lines: string[];
  /** BT-106, BT-107, BT-109, BT-110, BT-112 and BT-115. */
  lineTotal: string;
  allowanceTotal: string;
  taxExclusive: string;
  tax: string;
  taxInclusive: string;
  payable: string;
  breakdown: VatBreakdown[];
}

/**
 * EN16931 amounts, the way the CEN rules check them: line nets rounded to cents, VAT computed once
 * per category and rate on the sum of its line nets less its allowances (BR-CO-17), and totals as
 * sums of those rounded amounts (BR-CO-10, -13, -14, -15). `category` is the EN16931 code (S, Z, E, O);
 * rows come out in the order the categories first appear.
 */
export function computeEn16931Amounts(lines: readonly (LineInput & { taxCategory: string })[], allowances: readonly AllowanceInput[] = []): En16931Amounts {
  const round = (b: Big) => b.round(2, Big.roundHalfUp);
  const nets = lines.map((l) => round(new Big(l.quantity).times(l.unitPrice)));
  const offs = allowances.map((a) => round(new Big(a.amount)));
  const groups = new Map<string, { category: string; percent: string; taxable: Big }>();
  const add = (category: string, percent: string, amount: Big) => {
    const key = `${category}|${new Big(percent).toString()}`;
    const g = groups.get(key) ?? { category, percent: new Big(percent).toString(), taxable: new Big(0) };
    g.taxable = g.taxable.plus(amount);
    groups.set(key, g);
  };
  lines.forEach((l, i) => add(l.taxCategory, l.taxPercent, nets[i]!));
  allowances.forEach((a, i) => add(a.taxCategory, a.taxPercent, offs[i]!.times(-1)));
  const breakdown = [...groups.values()].map((g) => ({ category: g.category, percent: g.percent, taxable: g.taxable, tax: round(g.taxable.times(g.percent).div(100)) }));
  const lineTotal = nets.reduce((s, n) => s.plus(n), new Big(0));
  const allowanceTotal = offs.reduce((s, n) => s.plus(n), new Big(0));
  const taxExclusive = lineTotal.minus(allowanceTotal);
  const tax = breakdown.reduce((s, b) => s.plus(b.tax), new Big(0));
  const taxInclusive = taxExclusive.plus(tax);
  return {
    lines: nets.map((n) => n.toFixed(2)),
    lineTotal: lineTotal.toFixed(2),
    allowanceTotal: allowanceTotal.toFixed(2),
    taxExclusive: taxExclusive.toFixed(2),
    tax: tax.toFixed(2),
    taxInclusive: taxInclusive.toFixed(2),
    payable: taxInclusive.toFixed(2),
    breakdown: breakdown.map((b) => ({ category: b.category, percent: b.percent, taxable: b.taxable.toFixed(2), tax: b.tax.toFixed(2) })),
  };
}
