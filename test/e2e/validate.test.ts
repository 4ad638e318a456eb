import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePartyIdentifier } from '../../src/domain/identifiers.js';
import { writePeppolInvoice } from '../../src/domain/peppolUbl.js';
import type { CheckedParty, InvoiceInputModel } from '../../src/domain/sendInput.js';
import { CACHE, loadRules, type Rules } from '../helpers/schematron.js';
import { describeWithShared, hasShared, readShared, SHARED_DIR } from '../helpers/shared.js';
import { startStack, type Stack } from '../helpers/stack.js';

/** validateDocument: the built-in rules over good and broken documents, through the API. */
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

const VALIDATE = 'query($xml: String!) { validateDocument(xml: $xml) { valid documentType customizationId ruleSets officialRules issues { severity rule message location } invoice { id source number total { amount currency } paymentReference { structured } seller { enterpriseNumber } } } }';
const validate = async (xml: string) => (await stack.gql(VALIDATE, { xml })).body.data.validateDocument;

const party = (id: string, name: string, vat: string | null): CheckedParty => ({ ids: parsePartyIdentifier(id)!, name, vatNumber: vat, street: 'Veldstraat 12', postalCode: '9000', city: 'Gent', countryCode: 'BE', email: null, iban: 'BE71096123456769' });
const line = (description: string, quantity: string, unitPrice: string, taxPercent: string, taxCategory = 'S', exemptionReason: string | null = null) => ({ itemNumber: null, description, quantity, unitCode: 'C62', unitPrice, taxPercent, taxCategory, exemptionReason });
const base: InvoiceInputModel = {
  kind: 'INVOICE', number: 'VAL-1', issueDate: '2026-11-02', dueDate: '2026-12-02', currency: 'EUR', buyerReference: 'PO-1', orderReference: null,
  seller: party('0208:0739484052', 'Brouwerij Sandbox BV', 'BE0739484052'), buyer: party('BE0840559537', 'Peppol Test Receiver NV', 'BE0840559537'),
  lines: [line('Vat', '3', '10.333', '21'), line('Boek', '1', '19.99', '6'), line('Leeggoed', '2', '0.10', '0', 'Z')],
  allowances: [{ reason: 'Korting', amount: '2.50', taxPercent: '21', taxCategory: 'S' }],
  paymentReference: '+++090/9337/55493+++', pdf: null,
};
const good = writePeppolInvoice(base);

/** Broken on purpose, each with the rule the built-in check names (and the official rules name too). */
const BROKEN: [string, string, string][] = [
  ['a wrong amount due', good.replace(/<cbc:PayableAmount currencyID="EUR">[^<]+</, '<cbc:PayableAmount currencyID="EUR">1.00<'), 'BR-CO-16'],
  ['a line total that does not add up', good.replace(/(<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">)[^<]+/, '$199.99'), 'BR-CO-10'],
  ['no buyer or order reference', writePeppolInvoice({ ...base, buyerReference: null }), 'PEPPOL-EN16931-R003'],
  ['a Belgian enterprise number with wrong check digits', good.replaceAll('0739484052', '0739484059'), 'PEPPOL-COMMON-R043'],
  ['a VAT amount not its rate times its base', good.replace(/(<cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">28\.50<\/cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">)5\.99/, '$15.98'), 'BR-CO-14'],
  ['no seller name', good.replace(/<cac:PartyLegalEntity><cbc:RegistrationName>Brouwerij Sandbox BV<\/cbc:RegistrationName>/, '<cac:PartyLegalEntity>'), 'BR-06'],
  ['an exempt line without a reason', writePeppolInvoice({ ...base, lines: [...base.lines, line('Cursus', '1', '100', '0', 'E', 'Vrijgesteld')] }).replace(/<cbc:TaxExemptionReason>Vrijgesteld<\/cbc:TaxExemptionReason>/, ''), 'BR-E-10'],
];

describe('validateDocument', () => {
  it('passes what the gateway writes, and reads it into the unified model as the gateway\'s own record', async () => {
    const r = await validate(good);
    expect(r).toMatchObject({ valid: true, documentType: 'INVOICE', ruleSets: ['built-in'], officialRules: 'OFF', issues: [], invoice: { source: 'GATEWAY', number: 'VAL-1', total: { amount: '55.88', currency: 'EUR' }, paymentReference: { structured: true }, seller: { enterpriseNumber: '0739484052' } } });
    // Not stored: node(id) finds nothing, and says nothing is wrong.
    const node = await stack.gql('query($id: ID!) { node(id: $id) { id } }', { id: r.invoice.id });
    expect(node.body).toEqual({ data: { node: null } });
  });

  for (const [name, xml, rule] of BROKEN) {
    it(`names ${rule} for ${name}`, async () => {
      const r = await validate(xml);
      expect(r.valid).toBe(false);
      expect(r.issues.map((i: any) => i.rule)).toContain(rule);
      expect(r.issues.find((i: any) => i.rule === rule).location).toMatch(/^\/Invoice/);
    });
  }

  it('warns (BR-CO-17) where a VAT amount is not its rate times its base, as the CEN rules do', async () => {
    const r = await validate(BROKEN.find(([, , rule]) => rule === 'BR-CO-14')![1]);
    expect(r.issues.find((i: any) => i.rule === 'BR-CO-17')).toMatchObject({ severity: 'WARNING' });
  });

  it('reads nothing dangerous: a DOCTYPE is refused as UBL-READ, and a wrong OGM is BE-OGM', async () => {
    const doctype = await validate('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Invoice>&e;</Invoice>');
    expect(doctype).toMatchObject({ valid: false, invoice: null, issues: [{ rule: 'UBL-READ', severity: 'ERROR' }] });
    const ogm = await validate(writePeppolInvoice({ ...base, paymentReference: '090933755400' }));
    expect(ogm.issues.map((i: any) => i.rule)).toEqual(['BE-OGM']);
  });
});

describeWithShared('validation-artefacts/peppol/PEPPOL-EN16931-UBL.sch', 'built-in rules beside the official ones', () => {
  let rules: Rules;
  beforeAll(async () => {
    rules = await loadRules();
  }, 180_000);

  it('agree on every broken example: the official rules fail each one on the same rule id', async () => {
    for (const [name, xml, rule] of BROKEN) {
      const official = new Set((await rules.check(xml)).map((f) => f.id));
      expect([...official], name).toContain(rule);
    }
  }, 60_000);

  it('pass every example of others that the official rules pass', async () => {
    for (const dir of ['testdata/peppol-examples', 'testdata/en16931-examples']) {
      if (!hasShared(dir)) continue;
      for (const file of readdirSync(join(SHARED_DIR, dir))) {
        const r = await validate(readShared(`${dir}/${file}`));
        expect(r.issues, file).toEqual([]);
        expect(r.valid, file).toBe(true);
      }
    }
  }, 60_000);
});

describeWithShared('validation-artefacts/peppol/PEPPOL-EN16931-UBL.sch', 'validateDocument with the official rules (VALIDATION_ARTEFACTS_DIR)', () => {
  let official: Stack;
  const ask = async (xml: string) => (await official.gql(VALIDATE, { xml })).body.data.validateDocument;
  beforeAll(async () => {
    official = await startStack({ env: { VALIDATION_ARTEFACTS_DIR: join(SHARED_DIR, 'validation-artefacts'), VALIDATION_CACHE_DIR: CACHE } });
    // Compiled in the background; reports say COMPILING until then.
    for (let i = 0; i < 600 && (await ask(good)).officialRules === 'COMPILING'; i++) await new Promise((r) => setTimeout(r, 200));
  }, 150_000);
  afterAll(async () => official?.close());

  it('runs them beside the built-in rules: their failures with flag and location, the gateway\'s own Belgian rules kept', async () => {
    const ok = await ask(good);
    expect(ok).toMatchObject({ officialRules: 'READY', ruleSets: ['built-in', 'peppol-bis-3', 'cen-en16931'], valid: true });
    expect(ok.issues.filter((i: any) => i.severity === 'ERROR')).toEqual([]);
    const broken = await ask(BROKEN[0]![1]);
    expect(broken.valid).toBe(false);
    expect(broken.issues.find((i: any) => i.rule === 'BR-CO-16')).toMatchObject({ severity: 'ERROR', location: expect.stringContaining('LegalMonetaryTotal') });
    const ogm = await ask(writePeppolInvoice({ ...base, paymentReference: '090933755400' }));
    expect(ogm.issues.map((i: any) => i.rule)).toContain('BE-OGM');
  }, 30_000);
});
