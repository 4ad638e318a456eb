import { describeWithShared, readShared } from '../../helpers/shared.js';
import { describe, expect, it } from 'vitest';
import { codaboxFileName, codaboxFolder } from '../../../src/domain/codaboxFiles.js';
import { parseCodaPlus } from '../../../src/domain/codaPlus.js';

const DOC = 'upstream-docs/codabox-api-v2.txt';
const doc = readShared(DOC);

/** The XML of the document's CODA+ "Example N", as printed there. */
function codaPlusExample(n: number): string {
  const start = doc.indexOf('<?xml', doc.indexOf(`Example ${n}`));
  return doc.slice(start, doc.indexOf('</Statement>', start) + '</Statement>'.length).replace(/^ {4}/gm, '');
}

describe('CodaBox file naming convention', () => {
  it('names files as the document\'s examples do', () => {
    expect(codaboxFileName('coda', { new_balance_date: '2015-10-23', first_statement_number: 1, last_statement_number: 1, iban: 'BE27974000004133' }, 'cod')).toBe('2015-001-BE27974000004133-151023.cod');
    expect(codaboxFileName('coda', { new_balance_date: '2015-10-24', first_statement_number: 2, last_statement_number: 3, iban: 'BE27974000004133' }, 'pdf')).toBe('2015-002-003-BE27974000004133-151024.pdf');
    expect(codaboxFileName('soda', { file_counter: '0001', social_welfare_id: 'group_s', vat_number: 'BE0010015348', accounting_period: '201509', creation_date: '2015-10-23' }, 'xml')).toBe('0001-soda-group_s-BE0010015348-201509-20151023.xml');
    expect(codaboxFileName('purchase_invoice', { invoice_date: '2015-10-29', file_counter: 1, supplier: 'proximus' }, 'xml')).toBe('2015-00000001-proximus.xml');
    expect(codaboxFileName('sales_invoice', { invoice_date: '2015-03-01', file_counter: 1, invoice_reference: 'FACT201501' }, 'pdf')).toBe('2015-00000001-FACT201501.pdf');
  });

  it('places files in the document\'s folders', () => {
    expect(codaboxFolder('coda', { new_balance_date: '2015-10-23', iban: 'BE27974000004133' }, 'cod', 'CLIENT4')).toBe('/CLIENT4/2015/BE27974000004133/');
    expect(codaboxFolder('coda', { new_balance_date: '2015-10-23', iban: 'BE27974000004133' }, 'pdf', 'CLIENT4')).toBe('/CLIENT4/2015/BE27974000004133/pdf/');
    expect(codaboxFolder('soda', { creation_date: '2015-10-23', social_welfare_id: 'group_s' }, 'xml', 'CLIENT4')).toBe('/CLIENT4/2015/soda_from_group_s/');
    expect(codaboxFolder('purchase_invoice', { invoice_date: '2015-10-29', ubl_type: 'credit-note' }, 'xml', 'CLIENT4')).toBe('/CLIENT4/2015/Credit-notes-IN-01/');
    expect(codaboxFolder('purchase_invoice', { invoice_date: '2015-10-29', ubl_type: 'invoice', source_format: 'pdf' }, 'pdf', 'CLIENT4')).toBe('/CLIENT4/2015/Invoices-IN-01/');
    expect(codaboxFolder('sales_invoice', { invoice_date: '2015-10-29', ubl_type: 'invoice', invoice_folder: 'folder1' }, 'xml', 'CLIENT4')).toBe('/CLIENT4/2015/Invoices-OUT-01-folder1/');
    expect(codaboxFolder('sales_invoice', { invoice_date: '2015-10-29', ubl_type: 'credit-note' }, 'xml', 'CLIENT4')).toBe('/CLIENT4/2015/Credit-notes-OUT-01/');
  });
});

describeWithShared(DOC, 'CODA+ statements', () => {
  it('reads the four payments of the document\'s example 1', () => {
    const s = parseCodaPlus(codaPlusExample(1));
    expect(s.account).toBe('BE27974000004133');
    expect(s.oldBalance).toEqual({ value: '7574.22', date: '2015-10-16', statement: 201 });
    expect(s.newBalance).toEqual({ value: '7002.42', date: '2015-10-19', statement: 203 });
    expect(s.payments.map((p) => [p.amount, p.communication, p.counterpartyName, p.statementNumber, p.sequence])).toEqual([
      ['99.99', 'Facture20151010', "François l'embrouille", 201, 1],
      ['2377.65', 'Facture20151012', 'My company SA', 201, 2],
      ['1349.15', 'Facture20151013', 'Codabox SA', 202, 1],
      ['13.34', 'Facture20151014', 'Codabox SA', 203, 1],
    ]);
  });

  it('reads an empty payment list (example 2) and a single payment (example 3)', () => {
    expect(parseCodaPlus(codaPlusExample(2)).payments).toEqual([]);
    expect(parseCodaPlus(codaPlusExample(3)).payments.map((p) => p.amount)).toEqual(['1000.00']);
  });

  it('recognises structured communications and refuses DTDs', () => {
    const xml = codaPlusExample(3).replace('Facture20151018', '+++010/8068/17183+++');
    expect(parseCodaPlus(xml).payments[0]!.paymentReference?.formatted).toBe('+++010/8068/17183+++');
    expect(() => parseCodaPlus('<!DOCTYPE x [<!ENTITY e "x">]><Statement/>')).toThrow(/DOCTYPE/);
  });
});
