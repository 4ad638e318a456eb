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
