import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AG, invoiceGid, startStack, type Stack } from '../helpers/stack.js';
import { SECOND_ACCESS_GROUP } from '../../src/sandbox/informat/index.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack.close());
beforeEach(() => stack.sandbox.api.resetCalls());

const FULL_INVOICE = /* GraphQL */ `
  query ($id: ID!) {
    invoice(id: $id) {
      id source direction kind number issueDate dueDate createdAt updatedAt
      total { amount currency } paid { amount currency } open { amount currency }
      paymentReference { raw structured formatted }
      recipient { id firstName lastName birthDate studentNumber className institute }
      lines { group description quantity unitPrice { amount } discount { amount } discountPercent accountCode total { amount currency } }
      documents { name format contentType available url }
      informat {
        exactOnlineEntry
        invoiceGroup { id name type schoolYear groupNumber accessGroup }
        mandate { reference creditorId signedOn debtorIban debtorBic creditorIban }
        invoiceAddress { title name emails address { street number box postalCode city lines } relations { name title rank } }
        homeAddress { title name emails address { street number box postalCode city lines } relations { name title rank } }
      }
    }
  }`;

describe('the document sample invoice', () => {
  it('resolves with every field the Informat document shows', async () => {
    const { body } = await stack.gql(FULL_INVOICE, { id: invoiceGid() });
    expect(body.errors).toBeUndefined();
    const inv = body.data.invoice;
    expect(inv).toMatchObject({
      id: invoiceGid(),
      source: 'INFORMAT',
      direction: 'OUTBOUND',
      kind: 'INVOICE',
      issueDate: '2020-10-31',
      dueDate: '2020-11-30',
      createdAt: '2020-10-13T12:02:03.067Z',
      updatedAt: '2020-11-16T10:38:31.797Z',
      total: { amount: '65.10', currency: 'EUR' },
      paid: { amount: '0.00', currency: 'EUR' },
      open: { amount: '65.10', currency: 'EUR' },
      paymentReference: { raw: '000282332442', structured: true, formatted: '+++000/2823/32442+++' },
      recipient: { id: '9f7cf737-bbd3-4333-84ea-f145cc722591', firstName: 'Mats', lastName: 'Verheghe', birthDate: '2010-02-03', studentNumber: '201200008', className: 'L5C', institute: '016981' },
    });
    expect(inv.lines.slice(0, 4)).toEqual([
      { group: 'MEEUIT', description: 'Openluchtklassen – 1e schijf', quantity: '1.00', unitPrice: { amount: '26.00' }, discount: { amount: '0.00' }, discountPercent: '0.00', accountCode: '700700', total: { amount: '26.00', currency: 'EUR' } },
      { group: 'MTZ', description: 'Middagtoezicht', quantity: '9.00', unitPrice: { amount: '1.60' }, discount: { amount: '0.00' }, discountPercent: '0.00', accountCode: '703460', total: { amount: '14.40', currency: 'EUR' } },
      { group: 'NASOPV', description: 'Naschoolse opvang', quantity: '14.00', unitPrice: { amount: '0.20' }, discount: { amount: '0.00' }, discountPercent: '0.00', accountCode: '703470', total: { amount: '2.80', currency: 'EUR' } },
      { group: 'NASOPV', description: 'Studie', quantity: '2.00', unitPrice: { amount: '0.20' }, discount: { amount: '0.00' }, discountPercent: '0.00', accountCode: '703470', total: { amount: '0.40', currency: 'EUR' } },
    ]);
    expect(inv.documents).toEqual([{ name: 'invoice-000282332442.pdf', format: 'pdf', contentType: 'application/pdf', available: false, url: null }]);
    expect(inv.informat.invoiceGroup).toMatchObject({ name: 'Rekening OKTOBER 2020', type: 'STUDENT', schoolYear: '2020-21', groupNumber: 8053, accessGroup: AG });
    expect(inv.informat.mandate).toEqual({
      reference: '2', creditorId: 'BE78ZZZ0447943822', signedOn: '2021-04-16', debtorIban: 'BE13668597588700', debtorBic: 'GKCCBEBB', creditorIban: 'BE94062210624514',
    });
    const relations = [{ name: 'Verheghe Harald', title: 'Vader', rank: 2 }, { name: 'Wolkarius Ann', title: 'Moeder', rank: 1 }];
    expect(inv.informat.invoiceAddress).toEqual({
      title: 'Aan de vader van', name: 'Mats Verheghe', emails: ['jasper.verheghe@gmail.com'],
      address: { street: 'Vaartstraat', number: '8', box: null, postalCode: '8600', city: 'DIKSMUIDE', lines: ['Vaartstraat 8', '8600 DIKSMUIDE'] },
      relations,
    });
    expect(inv.informat.homeAddress).toEqual({
      title: 'Aan de ouder(s) van', name: 'Mats Verheghe', emails: ['jasper.verheghe@gmail.com', 'ann@homedecor.be'],
      address: { street: 'Wallestraat', number: '15', box: 'A', postalCode: '8820', city: 'TORHOUT', lines: ['Wallestraat 15 bus A', '8820 TORHOUT'] },
      relations,
    });
  });

  it('sums its lines to its total', async () => {
    const { body } = await stack.gql('query($id: ID!) { invoice(id: $id) { total { amount } lines { total { amount } } } }', { id: invoiceGid() });
    const cents = body.data.invoice.lines.reduce((s: number, l: any) => s + Math.round(Number(l.total.amount) * 100), 0);
    expect(cents).toBe(6510);
  });

  it('is found again through node(id) and nodes(ids)', async () => {
    const { body } = await stack.gql('query($id: ID!) { node(id: $id) { id ... on Invoice { total { amount } } } nodes(ids: [$id, "bm9wZQ"]) { id } }', { id: invoiceGid() });
    expect(body.errors).toBeUndefined();
    expect(body.data.node).toEqual({ id: invoiceGid(), total: { amount: '65.10' } });
    expect(body.data.nodes).toEqual([{ id: invoiceGid() }, null]);
  });

  it('loads many invoices by ID in one Informat query per 50, in order, unknown ones null', async () => {
    const booked = [...stack.sandbox.data.invoices.values()].filter((i) => i.booked && i.accessGroup === AG).slice(0, 120);
    expect(booked).toHaveLength(120);
    const unknown = invoiceGid('00000000-0000-4000-8000-000000000000');
    const notUuid = invoiceGid('not-a-uuid');
    const ids = [...booked.map((i) => invoiceGid(i.invoiceId)), unknown, notUuid, invoiceGid(booked[0]!.invoiceId)];
    const { body } = await stack.gql('query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Invoice { total { amount } } } }', { ids });
    expect(body.errors).toBeUndefined();
    expect(body.data.nodes.slice(0, 120)).toEqual(booked.map((i) => ({ id: invoiceGid(i.invoiceId), total: { amount: expect.any(String) } })));
    expect(body.data.nodes[0].total.amount).toBe(booked[0]!.total);
    expect(body.data.nodes.slice(120)).toEqual([null, null, body.data.nodes[0]]);
    // 120 distinct known IDs plus one unknown: ceil(121 / 50) queries; the repeated ID and the non-UUID ask nothing.
    expect(stack.sandbox.api.calls('POST /graphql')).toHaveLength(3);
  });

  it('asks Informat only for the fields the query selects, in one request', async () => {
    await stack.gql('query($id: ID!) { invoice(id: $id) { total { amount } recipient { lastName } } }', { id: invoiceGid() });
    const calls = stack.sandbox.api.calls('POST /graphql');
    expect(calls).toHaveLength(1);
    const sent = JSON.parse(calls[0]!.body).query as string;
    expect(sent).toContain('recipient');
    expect(sent).not.toContain('itemGroups');
    expect(sent).not.toContain('invoiceAddress');
    expect(sent).not.toContain('mandate');
  });
});

describe('invoices(filter)', () => {
  const LIST = /* GraphQL */ `
    query ($filter: InvoiceFilter!, $first: Int, $after: String) {
      invoices(filter: $filter, first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { id kind total { amount } open { amount } updatedAt paymentReference { raw } } }
      }
    }`;

  it('pages through a whole school year, each invoice exactly once, one Informat request per page', async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    let total = 0;
    let pages = 0;
    do {
      const { body }: { body: any } = await stack.gql(LIST, { filter: { source: 'INFORMAT', accessGroup: AG, schoolYear: '2022-23' }, first: 97, after });
      expect(body.errors).toBeUndefined();
      const c: any = body.data.invoices;
      total = c.totalCount;
      for (const e of c.edges) {
        expect(seen.has(e.node.id)).toBe(false);
        seen.add(e.node.id);
      }
      after = c.pageInfo.hasNextPage ? c.pageInfo.endCursor : null;
      pages++;
    } while (after);
    const booked = [...stack.sandbox.data.invoices.values()].filter((i) => i.booked && stack.sandbox.data.groups.find((g) => g.id === i.invoiceGroupId)?.schoolYear === '2022-23');
    expect(total).toBe(booked.length);
    expect(seen.size).toBe(booked.length);
    expect(stack.sandbox.api.calls('POST /graphql')).toHaveLength(pages);
  });

  it('pushes openOnly, minTotal, changedSince and kind down into the Informat where', async () => {
    const filter = { source: 'INFORMAT', accessGroup: AG, schoolYear: '2023-24', openOnly: true, minTotal: '25.50', changedSince: '2024-01-01T00:00:00Z', kind: 'INVOICE' };
    const { body } = await stack.gql(LIST, { filter, first: 500 });
    expect(body.errors).toBeUndefined();
    const sent = JSON.parse(stack.sandbox.api.calls('POST /graphql')[0]!.body).query as string;
    expect(sent).toContain('open: {neq: 0}');
    expect(sent).toContain('total: {gte: 25.50}');
    expect(sent).toContain('changed: {gte: "2024-01-01T00:00:00Z"}');
    expect(sent).toContain('invoiceType: {eq: INVOICE}');
    const nodes = body.data.invoices.edges.map((e: any) => e.node);
    expect(nodes.length).toBeGreaterThan(0);
    for (const n of nodes) {
      expect(n.open.amount).not.toBe('0.00');
      expect(Number(n.total.amount)).toBeGreaterThanOrEqual(25.5);
      expect(Date.parse(n.updatedAt)).toBeGreaterThanOrEqual(Date.parse('2024-01-01T00:00:00Z'));
      expect(n.kind).toBe('INVOICE');
    }
    // The same filter evaluated on the sandbox's own records gives the same count.
    const expected = [...stack.sandbox.data.invoices.values()].filter((i) => {
      const g = stack.sandbox.data.groups.find((x) => x.id === i.invoiceGroupId)!;
      const open = i.invoiceType === 'CREDIT_NOTE' ? -Number(i.total) - Number(i.paid) : Number(i.total) - Number(i.paid);
      return i.booked && g.accessGroup === AG && g.schoolYear === '2023-24' && Math.abs(open) > 0.001 && Number(i.total) >= 25.5 && Date.parse(i.changed) >= Date.parse('2024-01-01') && i.invoiceType === 'INVOICE';
    });
    expect(body.data.invoices.totalCount).toBe(expected.length);
  });

  it('finds one invoice by its payment reference in printed OGM form', async () => {
    const { body } = await stack.gql(LIST, { filter: { source: 'INFORMAT', accessGroup: AG, schoolYear: '2020-21', paymentReference: '+++000/2823/32442+++' } });
    expect(body.data.invoices.totalCount).toBe(1);
    expect(body.data.invoices.edges[0].node.id).toBe(invoiceGid());
  });

  it('limits to one invoice group by its ID and lists registration groups by their school-year format', async () => {
    const groups = await stack.gql('{ invoiceGroups(accessGroup: "' + AG + '", schoolYear: "01/09/2022-31/08/2023") { id type schoolYear } }');
    expect(groups.body.data.invoiceGroups).toHaveLength(1);
    const reg = groups.body.data.invoiceGroups[0];
    expect(reg).toMatchObject({ type: 'REGISTRATION', schoolYear: '01/09/2022-31/08/2023' });
    const { body } = await stack.gql(LIST, { filter: { invoiceGroupId: reg.id }, first: 500 });
    expect(body.errors).toBeUndefined();
    const expected = [...stack.sandbox.data.invoices.values()].filter((i) => i.booked && stack.sandbox.data.groups.find((g) => g.id === i.invoiceGroupId)?.schoolYear === '01/09/2022-31/08/2023' && i.accessGroup === AG);
    expect(body.data.invoices.totalCount).toBe(expected.length);
    const sent = JSON.parse(stack.sandbox.api.calls('POST /graphql').at(-1)!.body).query as string;
    expect(sent).toMatch(/invoiceGroups\(schoolYear: \$schoolYear, where: \{id: \{eq: \d+\}\}\)/);
  });

  it('returns no invoices for an unknown invoice group, as Informat does', async () => {
    const { body } = await stack.gql(LIST, { filter: { source: 'INFORMAT', accessGroup: AG, schoolYear: '2020-21', invoiceGroupId: '999999' } });
    expect(body.data.invoices).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('lists INBOUND as empty without asking Informat', async () => {
    const { body } = await stack.gql(LIST, { filter: { source: 'INFORMAT', accessGroup: AG, schoolYear: '2020-21', direction: 'INBOUND' } });
    expect(body.data.invoices.totalCount).toBe(0);
    expect(stack.sandbox.api.calls('POST /graphql')).toHaveLength(0);
  });

  it('reads each configured access group with its own token', async () => {
    const { body } = await stack.gql(LIST, { filter: { source: 'INFORMAT', accessGroup: SECOND_ACCESS_GROUP.identifier, schoolYear: '2023-24' }, first: 1 });
    expect(body.errors).toBeUndefined();
    expect(body.data.invoices.totalCount).toBeGreaterThan(0);
    const scopes = stack.sandbox.identity.calls('POST /connect/token').map((c) => new URLSearchParams(c.body).get('scope'));
    expect(new Set(scopes)).toEqual(new Set([`api_informat_invoices.invoices.read.${AG}`, `api_informat_invoices.invoices.read.${SECOND_ACCESS_GROUP.identifier}`]));
  });
});

describe('invoiceGroups', () => {
  it('fetches groups and their invoices in one Informat request', async () => {
    const { body } = await stack.gql(`{ invoiceGroups(accessGroup: "${AG}", schoolYear: "2021-22", type: STUDENT) {
      name type invoices(first: 5, filter: { openOnly: true }) { totalCount edges { node { open { amount } } } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.invoiceGroups).toHaveLength(10);
    for (const g of body.data.invoiceGroups) {
      expect(g.type).toBe('STUDENT');
      expect(g.invoices.edges.length).toBeLessThanOrEqual(5);
      for (const e of g.invoices.edges) expect(e.node.open.amount).not.toBe('0.00');
    }
    expect(stack.sandbox.api.calls('POST /graphql')).toHaveLength(1);
    expect(await stack.metric('gateway_upstream_requests_total', { upstream: 'INFORMAT', route: 'POST /graphql' })).toBeGreaterThan(0);
  });

  it('shows the document sample groups 8052 and 8053', async () => {
    const { body } = await stack.gql(`{ invoiceGroups(accessGroup: "${AG}", schoolYear: "2020-21") { groupNumber name fromDate toDate type schoolYear } }`);
    expect(body.data.invoiceGroups).toEqual([
      { groupNumber: 8052, name: 'Rekening SEPTEMBER 2020', fromDate: '2020-09-01', toDate: '2020-09-30', type: 'STUDENT', schoolYear: '2020-21' },
      { groupNumber: 8053, name: 'Rekening OKTOBER 2020', fromDate: '2020-10-01', toDate: '2020-10-25', type: 'STUDENT', schoolYear: '2020-21' },
    ]);
  });
});

describe('bad input', () => {
  it('requires a school year for Informat lists', async () => {
    const { body } = await stack.gql('{ invoices(filter: { source: INFORMAT, accessGroup: "' + AG + '" }) { totalCount } }');
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['filter', 'schoolYear'] });
  });

  it('refuses a non-decimal minTotal, a bad date-time and a foreign cursor', async () => {
    const a = await stack.gql('query($f: InvoiceFilter!) { invoices(filter: $f) { totalCount } }', { f: { source: 'INFORMAT', accessGroup: AG, schoolYear: '2020-21', minTotal: 25.5 } });
    expect(a.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const b = await stack.gql('query($f: InvoiceFilter!) { invoices(filter: $f) { totalCount } }', { f: { source: 'INFORMAT', accessGroup: AG, schoolYear: '2020-21', changedSince: 'yesterday' } });
    expect(b.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const c = await stack.gql(`{ invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21" }, after: "bm9wZQ") { totalCount } }`);
    expect(c.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['after'] });
  });

  it('asks which access group when several are configured and none is named', async () => {
    const { body } = await stack.gql('{ invoices(filter: { source: INFORMAT, schoolYear: "2020-21" }) { totalCount } }');
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['accessGroup'] });
  });

  it('refuses page sizes above the limit', async () => {
    const { body } = await stack.gql(`{ invoices(filter: { source: INFORMAT, accessGroup: "${AG}", schoolYear: "2020-21" }, first: 5000) { totalCount } }`);
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['first'] });
  });
});
