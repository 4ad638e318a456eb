import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AG, invoiceGid, startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack.close());
beforeEach(() => {
  stack.sandbox.api.resetCalls();
  stack.sandbox.api.clearFaults();
});

const REGISTER = /* GraphQL */ `
  mutation ($input: RegisterPaymentInput!) {
    registerPayment(input: $input) {
      invoice { id total { amount } paid { amount } open { amount } recipient { lastName } }
      payment { id source kind amount { amount currency } date badDebt paymentReference { formatted } invoice { id } }
      userErrors { code message field }
    }
  }`;

const PAYMENTS = 'POST /api/payments/:accessGroup/:invoiceId';

/** An open invoice of the bulk data, of the given kind, that no other test touches. */
function openInvoice(kind: 'INVOICE' | 'CREDIT_NOTE', skip = 0) {
  const found = [...stack.sandbox.data.invoices.values()].filter(
    (i) => i.accessGroup === AG && i.booked && i.deelboek === 31 && i.invoiceType === kind && Number(i.paid) === 0 && !i.invoiceId.startsWith('cac965e9'),
  );
  return found[skip]!;
}

describe('registerPayment', () => {
  it('registers a payment and returns the invoice with Informat\'s new amounts', async () => {
    const inv = openInvoice('INVOICE', 0);
    const { body } = await stack.gql(REGISTER, { input: { invoiceId: invoiceGid(inv.invoiceId), amount: '10.50', date: '2024-03-01', idempotencyKey: 'pay-1' } });
    expect(body.errors).toBeUndefined();
    const r = body.data.registerPayment;
    expect(r.userErrors).toEqual([]);
    const expectedOpen = (Math.round(Number(inv.total) * 100) - 1050) / 100;
    expect(r.invoice).toMatchObject({ id: invoiceGid(inv.invoiceId), total: { amount: inv.total }, paid: { amount: '10.50' }, open: { amount: expectedOpen.toFixed(2) } });
    expect(r.payment).toMatchObject({ source: 'INFORMAT', kind: 'REGISTERED', amount: { amount: '10.50', currency: 'EUR' }, date: '2024-03-01', badDebt: false, invoice: { id: invoiceGid(inv.invoiceId) } });
    const calls = stack.sandbox.api.calls(PAYMENTS);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toContain('"amountPaid":10.50');
    expect(JSON.parse(calls[0]!.body)).toMatchObject({ invoiceId: inv.invoiceId, paymentReference: inv.paymentReference, datePaid: '2024-03-01', isBadDebt: false });
  });

  it('replays the first result for the same key and input without calling Informat', async () => {
    const inv = openInvoice('INVOICE', 1);
    const input = { invoiceId: invoiceGid(inv.invoiceId), amount: '5', date: '2024-03-01', idempotencyKey: 'pay-replay' };
    const first = await stack.gql(REGISTER, { input });
    stack.sandbox.api.resetCalls();
    const again = await stack.gql(REGISTER, { input: { ...input, amount: '5.00' } });
    expect(again.body.data.registerPayment).toEqual(first.body.data.registerPayment);
    expect(stack.sandbox.api.calls()).toHaveLength(0);
    expect(inv.paid).toBe('5.00');
  });

  it('registers two equal installments on one day under two keys as two payments with their own IDs', async () => {
    const inv = openInvoice('INVOICE', 5);
    const input = { invoiceId: invoiceGid(inv.invoiceId), amount: '2.00', date: '2024-03-02' };
    const a = (await stack.gql(REGISTER, { input: { ...input, idempotencyKey: 'installment-1' } })).body.data.registerPayment;
    const b = (await stack.gql(REGISTER, { input: { ...input, idempotencyKey: 'installment-2' } })).body.data.registerPayment;
    expect([a.userErrors, b.userErrors]).toEqual([[], []]);
    expect(a.payment.id).not.toBe(b.payment.id);
    expect(stack.sandbox.api.calls(PAYMENTS)).toHaveLength(2);
    expect(inv.paid).toBe('4.00');
  });

  it('refuses the same key with a different input: IDEMPOTENCY_KEY_REUSED', async () => {
    const inv = openInvoice('INVOICE', 2);
    await stack.gql(REGISTER, { input: { invoiceId: invoiceGid(inv.invoiceId), amount: '3.00', date: '2024-03-01', idempotencyKey: 'pay-reuse' } });
    const { body } = await stack.gql(REGISTER, { input: { invoiceId: invoiceGid(inv.invoiceId), amount: '4.00', date: '2024-03-01', idempotencyKey: 'pay-reuse' } });
    expect(body.data.registerPayment.userErrors).toEqual([expect.objectContaining({ code: 'IDEMPOTENCY_KEY_REUSED', field: ['input', 'idempotencyKey'] })]);
    expect(stack.sandbox.api.calls(PAYMENTS)).toHaveLength(1);
    expect(inv.paid).toBe('3.00');
  });

  it('makes exactly one upstream registration for 20 concurrent duplicates', async () => {
    const inv = openInvoice('INVOICE', 3);
    const input = { invoiceId: invoiceGid(inv.invoiceId), amount: '7.25', date: '2024-03-01', idempotencyKey: 'pay-concurrent' };
    const results = await Promise.all(Array.from({ length: 20 }, () => stack.gql(REGISTER, { input })));
    for (const r of results) {
      expect(r.body.data.registerPayment.userErrors).toEqual([]);
      expect(r.body.data.registerPayment.payment.amount.amount).toBe('7.25');
    }
    expect(stack.sandbox.api.calls(PAYMENTS)).toHaveLength(1);
    expect(inv.paid).toBe('7.25');
  });

  it('keeps keys of different callers apart', async () => {
    // Same caller here (open access): the key scoping is proven by the ledger contract tests; this
    // checks that a used key stays used across a gateway restart.
    const inv = openInvoice('INVOICE', 4);
    const input = { invoiceId: invoiceGid(inv.invoiceId), amount: '1.00', date: '2024-03-01', idempotencyKey: 'pay-restart' };
    await stack.gql(REGISTER, { input });
    await stack.restart();
    stack.sandbox.api.resetCalls();
    const again = await stack.gql(REGISTER, { input });
    expect(again.body.data.registerPayment.userErrors).toEqual([]);
    expect(stack.sandbox.api.calls(PAYMENTS)).toHaveLength(0);
    expect(inv.paid).toBe('1.00');
  });

  it('follows the document\'s open-amount table for credit notes (refund of -10 on -10 leaves 0)', async () => {
    const cn = openInvoice('CREDIT_NOTE', 0);
    const { body } = await stack.gql(REGISTER, { input: { invoiceId: invoiceGid(cn.invoiceId), amount: `-${cn.total}`, date: '2024-03-01', idempotencyKey: 'pay-cn' } });
    expect(body.data.registerPayment.userErrors).toEqual([]);
    expect(body.data.registerPayment.invoice.open.amount).toBe('0.00');
    expect(body.data.registerPayment.invoice.paid.amount).toBe(`-${cn.total}`);
  });

  it('maps Informat\'s documented refusals to stable userErrors and frees the key', async () => {
    const inv = openInvoice('INVOICE', 5);
    const period = await stack.gql(REGISTER, { input: { invoiceId: invoiceGid(inv.invoiceId), amount: '1.00', date: '2019-06-09', idempotencyKey: 'pay-period' } });
    expect(period.body.data.registerPayment.userErrors[0]).toMatchObject({ code: 'PERIOD_NOT_FOUND' });
    expect(period.body.data.registerPayment.userErrors[0].message).toContain('Period not found for 2019-06-09 in deelboek 31');
    // Nothing was registered, so the same key may be used again once the period exists (here: another date).
    const retry = await stack.gql(REGISTER, { input: { invoiceId: invoiceGid(inv.invoiceId), amount: '1.00', date: '2019-06-09', idempotencyKey: 'pay-period' } });
    expect(retry.body.data.registerPayment.userErrors[0].code).toBe('PERIOD_NOT_FOUND');
    expect(stack.sandbox.api.calls(PAYMENTS)).toHaveLength(2);

    const staff = [...stack.sandbox.data.invoices.values()].find((i) => i.accessGroup === AG && i.booked && i.deelboek === 32)!;
    const journal = await stack.gql(REGISTER, { input: { invoiceId: invoiceGid(staff.invoiceId), amount: '1.00', date: '2024-03-01', badDebt: true, idempotencyKey: 'pay-journal' } });
    expect(journal.body.data.registerPayment.userErrors[0].code).toBe('JOURNAL_NOT_FOUND');

    const section = [...stack.sandbox.data.invoices.values()].find((i) => i.accessGroup === AG && i.booked && i.deelboek === 33)!;
    const sec = await stack.gql(REGISTER, { input: { invoiceId: invoiceGid(section.invoiceId), amount: '1.00', date: '2024-03-01', idempotencyKey: 'pay-section' } });
    expect(sec.body.data.registerPayment.userErrors[0].code).toBe('SECTION_NOT_FOUND');
  });

  it('answers OGM_MISMATCH and NOT_BOOKED as Informat does', async () => {
    // The gateway always sends the invoice's own OGM; a mismatch happens when Informat's data changes in between.
    const inv = openInvoice('INVOICE', 6);
    stack.sandbox.api.inject(PAYMENTS, { status: 400, body: 'Invoice – OGM mismatch', times: 1 });
    const ogm = await stack.gql(REGISTER, { input: { invoiceId: invoiceGid(inv.invoiceId), amount: '1.00', date: '2024-03-01', idempotencyKey: 'pay-ogm' } });
    expect(ogm.body.data.registerPayment.userErrors[0].code).toBe('OGM_MISMATCH');

    const unbooked = [...stack.sandbox.data.invoices.values()].find((i) => i.accessGroup === AG && !i.booked)!;
    const nb = await stack.gql(REGISTER, { input: { invoiceId: invoiceGid(unbooked.invoiceId), amount: '1.00', date: '2024-03-01', idempotencyKey: 'pay-unbooked' } });
    // Informat's GraphQL does not show unbooked invoices, so the gateway stops before posting.
    expect(nb.body.data.registerPayment.userErrors[0].code).toBe('NOT_FOUND');
    expect(stack.sandbox.api.calls(PAYMENTS)).toHaveLength(1);
  });

  it('reports OUTCOME_UNKNOWN when the answer is lost, and never posts again for that key', async () => {
    const inv = openInvoice('INVOICE', 7);
    const input = { invoiceId: invoiceGid(inv.invoiceId), amount: '2.00', date: '2024-03-01', idempotencyKey: 'pay-lost' };
    stack.sandbox.api.inject(PAYMENTS, { drop: true, times: 1 });
    const first = await stack.gql(REGISTER, { input });
    expect(first.body.data.registerPayment.userErrors[0].code).toBe('OUTCOME_UNKNOWN');
    const again = await stack.gql(REGISTER, { input });
    expect(again.body.data.registerPayment.userErrors[0].code).toBe('OUTCOME_UNKNOWN');
    // The dropped request was sent once and never retried, even though the transport retries reads.
    expect(stack.sandbox.api.calls(PAYMENTS)).toHaveLength(1);
  });

  it('checks input before anything is sent', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ amount: '10.555' }, 'INVALID_AMOUNT', 'amount'],
      [{ amount: '0.00' }, 'INVALID_AMOUNT', 'amount'],
      [{ invoiceId: 'bm9wZQ' }, 'INVALID_ID', 'invoiceId'],
      [{ idempotencyKey: ' ' }, 'INVALID_IDEMPOTENCY_KEY', 'idempotencyKey'],
    ];
    for (const [patch, code, field] of cases) {
      const input = { invoiceId: invoiceGid(), amount: '1.00', date: '2024-03-01', idempotencyKey: `bad-${code}`, ...patch };
      const { body } = await stack.gql(REGISTER, { input });
      expect(body.data.registerPayment.userErrors).toEqual([expect.objectContaining({ code, field: ['input', field] })]);
    }
    const notDecimal = await stack.gql(REGISTER, { input: { invoiceId: invoiceGid(), amount: 10.5, date: '2024-03-01', idempotencyKey: 'x' } });
    expect(notDecimal.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const badDate = await stack.gql(REGISTER, { input: { invoiceId: invoiceGid(), amount: '1.00', date: '2024-02-30', idempotencyKey: 'x' } });
    expect(badDate.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(stack.sandbox.api.calls()).toHaveLength(0);
  });
});

describe('requestInvoicePdf and signed downloads', () => {
  const DOCS = 'query($id: ID!) { invoice(id: $id) { documents { name available url } } }';

  it('asks Informat for the PDF; once made, the invoice offers a signed gateway URL that streams it', async () => {
    const id = invoiceGid();
    const before = await stack.gql(DOCS, { id });
    expect(before.body.data.invoice.documents[0]).toMatchObject({ available: false, url: null });
    const req = await stack.gql('mutation($id: ID!) { requestInvoicePdf(invoiceId: $id) { accepted userErrors { code } invoice { id } } }', { id });
    expect(req.body.data.requestInvoicePdf).toMatchObject({ accepted: true, userErrors: [], invoice: { id } });
    await new Promise((r) => setTimeout(r, 80));
    const after = await stack.gql(DOCS, { id });
    const doc = after.body.data.invoice.documents[0];
    expect(doc.available).toBe(true);
    expect(doc.url).toMatch(new RegExp(`^${stack.gateway.url}/files/`));
    const file = await fetch(doc.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toContain('invoice-000282332442.pdf');
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBe(4096);
  });

  it('answers 403 for a tampered or expired link', async () => {
    const id = invoiceGid();
    await stack.gql('mutation($id: ID!) { requestInvoicePdf(invoiceId: $id) { accepted } }', { id });
    await new Promise((r) => setTimeout(r, 80));
    const url: string = (await stack.gql(DOCS, { id })).body.data.invoice.documents[0].url;
    const [base, token] = url.split('/files/') as [string, string];
    const [payload, sig] = token.split('.') as [string, string];
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString());
    forged.r = 'ffffffff-ffff-4fff-8fff-ffffffffffff';
    const tampered = `${base}/files/${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${sig}`;
    expect((await fetch(tampered)).status).toBe(403);
    expect((await fetch(`${base}/files/garbage`)).status).toBe(403);

    await stack.restart({ DOWNLOAD_SIGNING_KEY: 'k'.repeat(40), DOWNLOAD_URL_TTL_SECONDS: '1' });
    const short: string = (await stack.gql(DOCS, { id })).body.data.invoice.documents[0].url;
    expect((await fetch(short)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await fetch(short);
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as { error: string }).error).toContain('expired');
  });

  it('reports a PDF request Informat refuses as a userError', async () => {
    const unbooked = [...stack.sandbox.data.invoices.values()].find((i) => i.accessGroup === AG && !i.booked)!;
    const { body } = await stack.gql('mutation($id: ID!) { requestInvoicePdf(invoiceId: $id) { accepted userErrors { code } } }', { id: invoiceGid(unbooked.invoiceId) });
    expect(body.data.requestInvoicePdf).toEqual({ accepted: false, userErrors: [{ code: 'NOT_BOOKED' }] });
  });
});
