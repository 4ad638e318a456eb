import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';
import { encodeGlobalId } from '../../src/domain/globalId.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ env: { MAX_PAGE_SIZE: '2000', MAX_UPSTREAM_REQUESTS: '3000', CAPABILITY_PENDING_DELAY_MS: '5' } });
});
afterAll(async () => stack.close());
beforeEach(() => stack.mapi.server.resetCalls());

const gid = (uniqueId: string) => encodeGlobalId({ type: 'Message', source: 'MAPI', connection: 'mapi', local: uniqueId });
const SUPPLIER = '0196:1111118899';
const MARK = 'mutation($i: MarkMessageInput!) { markMessage(input: $i) { message { status upstreamStatus deliveredAt events { type text } } userErrors { code message field } } }';

describe('messages', () => {
  it('shows the document sample message with every field', async () => {
    const { body } = await stack.gql(`query($id: ID!) { message(id: $id) {
      id source direction status upstreamStatus documentType documentNumber createdAt deliveredAt
      sender { name identifiers { iso6523 } } receiver { name identifiers { iso6523 } }
      documents { name format contentType available url }
      events { at type text party } validation { severity } invoice { id } } }`, { id: gid('d1abd08e-d4a4-45f5-bb52-118c74bba786') });
    expect(body.errors).toBeUndefined();
    const m = body.data.message;
    expect(m).toMatchObject({
      source: 'MAPI', direction: 'OUTBOUND', status: 'DELIVERED', upstreamStatus: 'delivered', documentType: 'INVOICE', documentNumber: 'INV19093078',
      createdAt: '2020-06-25T15:11:46.9999283Z',
      sender: { name: 'Supplier Company', identifiers: [{ iso6523: SUPPLIER }] },
      receiver: { name: 'Customer Company', identifiers: [{ iso6523: '0196:2222228899' }] },
      validation: [],
      invoice: null,
    });
    expect(m.documents.map((d: any) => [d.name, d.format, d.contentType, d.available])).toEqual([['Invoice.xml', 'xml', 'text/xml', true], ['Timesheet.pdf', 'pdf', 'application/pdf', true]]);
    expect(m.events.map((e: any) => e.type)).toEqual(['CreateClosed', 'MovedToReceiverInbox']);
    expect(m.events[0]).toMatchObject({ text: 'Message created (Invoice, text/xml) - ready for processing', party: 'Supplier Company' });
    const xml = await (await fetch(m.documents[0].url)).text();
    expect(xml).toContain('<cbc:ID>INV19093078</cbc:ID>');
  });

  it('runs the inbound flow: poll AWAITING_IMPORT, download the core document, mark delivered', async () => {
    // Poll every page, as an importer does.
    const nodes: any[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const poll: { body: any } = await stack.gql('query($after: String) { messages(filter: { direction: INBOUND, status: AWAITING_IMPORT }, first: 200, after: $after) { edges { node { id documentNumber upstreamStatus documents { url } } } pageInfo { hasNextPage endCursor } } }', { after });
      expect(poll.body.errors).toBeUndefined();
      nodes.push(...poll.body.data.messages.edges.map((e: any) => e.node));
      if (!poll.body.data.messages.pageInfo.hasNextPage) break;
      after = poll.body.data.messages.pageInfo.endCursor;
    }
    const awaiting = stack.mapi.messages.ownedBy(SUPPLIER).filter((m) => m.transfer === 'inbound' && (m.status === 'pendingdelivery' || m.status === 'pendingprocessing'));
    expect(nodes).toHaveLength(awaiting.length);
    const cn = nodes.find((n: any) => n.documentNumber === 'CN19104518');
    expect(cn.upstreamStatus).toBe('pendingdelivery');
    // Both MAPI statuses were asked for.
    const statuses = stack.mapi.server.calls('GET /messages').map((c) => new URL(c.path, 'http://x').searchParams.get('Status'));
    expect(new Set(statuses)).toEqual(new Set(['PendingDelivery', 'PendingProcessing']));
    expect(new Set(nodes.map((n: any) => n.upstreamStatus))).toEqual(new Set(['pendingdelivery', 'pendingprocessing']));

    const xml = await (await fetch(cn.documents[0].url)).text();
    expect(xml).toContain('<CreditNote');
    expect(xml).toContain('<cbc:ID>CN19104518</cbc:ID>');

    const { body } = await stack.gql(MARK, { i: { messageId: cn.id, outcome: 'DELIVERED' } });
    expect(body.data.markMessage.userErrors).toEqual([]);
    expect(body.data.markMessage.message).toMatchObject({ status: 'DELIVERED', upstreamStatus: 'delivered' });
    expect(body.data.markMessage.message.deliveredAt).not.toBeNull();
    expect(stack.mapi.messages.get('5c4c5450-bf3e-4a83-965b-d4a0b9f0dd0c', SUPPLIER)!.status).toBe('delivered');

    // Asking again (a retry after a lost answer) is a success, and MAPI's guard was respected.
    const again = await stack.gql(MARK, { i: { messageId: cn.id, outcome: 'DELIVERED' } });
    expect(again.body.data.markMessage.userErrors).toEqual([]);
  });

  it('turns MAPI guard violations into userErrors', async () => {
    const outbound = await stack.gql(MARK, { i: { messageId: gid('c070ad45-9be1-43a9-95e4-fe053636a98a'), outcome: 'DELIVERED' } });
    expect(outbound.body.data.markMessage.userErrors[0]).toMatchObject({ code: 'INVALID_STATUS_TRANSITION', field: ['input', 'outcome'] });
    expect(outbound.body.data.markMessage.userErrors[0].message).toContain("'delivered'");

    const pending = [...stack.mapi.messages.ownedBy(SUPPLIER)].find((m) => m.status === 'pendingdelivery' && m.transfer === 'inbound')!;
    const noReason = await stack.gql(MARK, { i: { messageId: gid(pending.uniqueId), outcome: 'FAILED' } });
    expect(noReason.body.data.markMessage.userErrors[0].code).toBe('REASON_REQUIRED');
    const processed = await stack.gql(MARK, { i: { messageId: gid(pending.uniqueId), outcome: 'PROCESSED' } });
    expect(processed.body.data.markMessage.userErrors[0].code).toBe('INVALID_STATUS_TRANSITION');

    const failed = await stack.gql(MARK, { i: { messageId: gid(pending.uniqueId), outcome: 'FAILED', reason: 'Unknown cost centre' } });
    expect(failed.body.data.markMessage.userErrors).toEqual([]);
    expect(failed.body.data.markMessage.message.status).toBe('FAILED');
    expect(failed.body.data.markMessage.message.events.map((e: any) => e.text)).toContain('Unknown cost centre');

    const missing = await stack.gql(MARK, { i: { messageId: gid('00000000-0000-4000-8000-000000000000'), outcome: 'DELIVERED' } });
    expect(missing.body.data.markMessage.userErrors[0].code).toBe('NOT_FOUND');
  });

  it('moves pendingprocessing to pendingdelivery with PROCESSED', async () => {
    const m = [...stack.mapi.messages.ownedBy(SUPPLIER)].find((x) => x.status === 'pendingprocessing')!;
    const { body } = await stack.gql(MARK, { i: { messageId: gid(m.uniqueId), outcome: 'PROCESSED' } });
    expect(body.data.markMessage.message).toMatchObject({ status: 'AWAITING_IMPORT', upstreamStatus: 'pendingdelivery' });
  });

  it('pages through every outbound credit note exactly once, newest first', async () => {
    const expected = stack.mapi.messages.ownedBy(SUPPLIER).filter((m) => m.transfer === 'outbound' && m.action === 'CorrectWithCredit');
    const seen: string[] = [];
    const times: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 50; i++) {
      const { body }: { body: any } = await stack.gql('query($after: String) { messages(filter: { direction: OUTBOUND, documentType: CREDIT_NOTE }, first: 40, after: $after) { edges { node { id createdAt } } pageInfo { hasNextPage endCursor } } }', { after });
      expect(body.errors).toBeUndefined();
      for (const e of body.data.messages.edges) {
        seen.push(e.node.id);
        times.push(e.node.createdAt);
      }
      if (!body.data.messages.pageInfo.hasNextPage) break;
      after = body.data.messages.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(expected.length);
    expect(new Set(seen).size).toBe(expected.length);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('finds messages exchanged with a party, as sender or receiver, and by reference', async () => {
    const byRef = await stack.gql('{ messages(filter: { reference: "INV19102771" }) { edges { node { documentNumber receiver { name } } } } }');
    expect(byRef.body.data.messages.edges).toEqual([{ node: { documentNumber: 'INV19102771', receiver: { name: 'Customer Company Three' } } }]);
    const withCustomer = await stack.gql('{ messages(filter: { party: "KT:2222228899" }, first: 100) { edges { node { documentNumber direction } } } }');
    const rows = withCustomer.body.data.messages.edges.map((e: any) => `${e.node.direction} ${e.node.documentNumber}`);
    expect(rows.sort()).toEqual(['INBOUND CN19104518', 'OUTBOUND INV19093078', 'OUTBOUND INV19093078', 'OUTBOUND INV19093078']);
  });

  it('maps validation entries of a rejected message', async () => {
    const rejected = stack.mapi.messages.ownedBy(SUPPLIER).find((m) => m.validationEntries.length > 0)!;
    const { body } = await stack.gql('query($id: ID!) { message(id: $id) { status validation { severity rule message location } } }', { id: gid(rejected.uniqueId) });
    expect(body.data.message.validation[0]).toEqual({
      severity: 'ERROR', rule: 'BR-CL-11', location: 'UBL-INVOICE BISENUBL-3.0',
      message: '[BR-CL-11]-Any registration identifier identification scheme identifier MUST be coded using one of the ISO 6523 ICD list.',
    });
  });

  it('asks the capabilities of 2,000 messages\' receivers in ⌈unique/120⌉ batch calls plus bounded re-asks', async () => {
    const { body } = await stack.gql('{ messages(first: 2000) { edges { node { receiver { identifiers { iso6523 } capabilities { status } } } } } }');
    expect(body.errors).toBeUndefined();
    const edges = body.data.messages.edges;
    expect(edges).toHaveLength(2000);
    const unique = new Set(edges.map((e: any) => e.node.receiver.identifiers[0].iso6523));
    const schemes = new Set([...unique].map((k) => String(k).split(':')[0]));
    const batches = stack.mapi.server.calls('POST /parties/transactions');
    // A re-ask repeats only identifiers asked before.
    const seen = new Set<string>();
    let firstAsks = 0;
    for (const c of batches) {
      const ids = JSON.parse(c.body) as string[];
      if (!ids.every((id) => seen.has(id))) firstAsks++;
      for (const id of ids) seen.add(id);
    }
    const perScheme = (scheme: string) => Math.ceil([...unique].filter((k) => String(k).startsWith(`${scheme}:`)).length / 120);
    // Belgian receivers not found under 0208 are asked once more under 9925 (the VAT fallback), batched alike.
    const bound = [...schemes].reduce((s, scheme) => s + perScheme(String(scheme)), 0) + perScheme('0208');
    expect(firstAsks).toBeLessThanOrEqual(bound);
    expect(batches.length - firstAsks).toBeLessThanOrEqual(2 * bound);
    expect(stack.mapi.server.calls('GET /messages')).toHaveLength(20);
  });

  it('refuses a foreign cursor and an unknown party', async () => {
    const a = await stack.gql('{ messages(after: "bm9wZQ") { edges { node { id } } } }');
    expect(a.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['after'] });
    const b = await stack.gql('{ messages(filter: { party: "nonsense" }) { edges { node { id } } } }');
    expect(b.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: ['filter', 'party'] });
  });
});
