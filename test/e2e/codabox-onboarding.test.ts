import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack.close());

const REQUEST = 'mutation($i: RequestCodaboxAccessInput!) { requestCodaboxAccess(input: $i) { emailHint userErrors { code message field } } }';
const CLAIM = 'mutation($i: ClaimCodaboxCredentialsInput!) { claimCodaboxCredentials(input: $i) { connection { name source healthy detail } userErrors { code message } } }';
const FEEDS = '{ feeds { id name entries(first: 50) { edges { node { model } } } } }';

describe('CodaBox credentials onboarding', () => {
  it('requests a token, claims it into a connection that works at once, and keeps it across a restart', async () => {
    const asked = await stack.gql(REQUEST, { i: { vat: '0010.015.348', purpose: 'SALES_INVOICES' } });
    expect(asked.body.data.requestCodaboxAccess).toEqual({ emailHint: 'te...@...com', userErrors: [] });
    const token = stack.codabox.mailbox.get('BE0010015348')!;

    const claimed = await stack.gql(CLAIM, { i: { token, connection: 'client-1' } });
    expect(claimed.body.data.claimCodaboxCredentials).toEqual({
      connection: { name: 'client-1', source: 'CODABOX', healthy: true, detail: 'CodaBox API v2; claimed credentials' },
      userErrors: [],
    });
    // The credentials are never shown.
    const password = stack.codabox.users.at(-1)!.password;
    expect(JSON.stringify(claimed.body)).not.toContain(password);

    const conns = (await stack.gql('{ connections { name source } }')).body.data.connections;
    expect(conns).toContainEqual({ name: 'client-1', source: 'CODABOX' });
    // An invoicing-software client sees its one feed, and only CODA.
    const feeds = (await stack.gql(FEEDS)).body.data.feeds;
    const own = feeds.filter((f: any) => Buffer.from(f.id, 'base64url').toString().includes(':client-1:'));
    expect(own.map((f: any) => f.name)).toEqual(['Client 1']);
    expect(new Set(own[0].entries.edges.map((e: any) => e.node.model))).toEqual(new Set(['CODA']));

    await stack.restart();
    const again = (await stack.gql(FEEDS)).body;
    expect(again.errors).toBeUndefined();
    expect(again.data.feeds.filter((f: any) => Buffer.from(f.id, 'base64url').toString().includes(':client-1:'))).toHaveLength(1);

    // Sealed at rest: the store file does not hold the password.
    await stack.restart();
    expect(readFileSync(join(stack.dataDir, 'gateway.sqlite')).includes(Buffer.from(password))).toBe(false);
  });

  it('refuses a token used before', async () => {
    await stack.gql(REQUEST, { i: { vat: 'BE0010012774', purpose: 'GET_DOCUMENTS' } });
    const token = stack.codabox.mailbox.get('BE0010012774')!;
    expect((await stack.gql(CLAIM, { i: { token, connection: 'client-3' } })).body.data.claimCodaboxCredentials.userErrors).toEqual([]);
    const second = await stack.gql(CLAIM, { i: { token, connection: 'client-3b' } });
    expect(second.body.data.claimCodaboxCredentials.userErrors[0].code).toBe('TOKEN_INVALID');
  });

  it('voids earlier credentials when a new token is requested for the client', async () => {
    await stack.gql(REQUEST, { i: { vat: 'BE0010015348', purpose: 'SALES_INVOICES' } });
    const { body } = await stack.gql('{ feeds { name } }');
    // The old client-1 credentials are now "inactive": the feed list errors for that connection only.
    expect(body.data.feeds).toBeNull();
    expect(body.errors[0].extensions).toMatchObject({ code: 'UPSTREAM_REJECTED', source: 'CODABOX', upstreamStatus: 401 });
    // Claiming the new token under the same name replaces the connection.
    const token = stack.codabox.mailbox.get('BE0010015348')!;
    expect((await stack.gql(CLAIM, { i: { token, connection: 'client-1' } })).body.data.claimCodaboxCredentials.userErrors).toEqual([]);
    expect((await stack.gql('{ feeds { name } }')).body.errors).toBeUndefined();
  });

  it('maps each documented refusal to a stable code', async () => {
    const cases: [string, string][] = [
      // A valid enterprise number CodaBox does not know (the document's own example, BE0123456789, fails the check digits).
      ['BE0010010202', 'VAT_NOT_FOUND'],
      ['BE0010016140', 'CLIENT_NEEDS_ACTIVATION'],
      ['BE0010014952', 'FIDUCIARY_NEEDS_ACTIVATION'],
      ['BE0010014655', 'EMAIL_MISSING'],
      ['BE0010014754', 'CONTACT_MISSING'],
      ['BE0010015546', 'CONTACT_FUNCTION_MISSING'],
      ['BE0010017724', 'NO_CODA_MANDATES'],
    ];
    for (const [vat, code] of cases) {
      const { body } = await stack.gql(REQUEST, { i: { vat, purpose: 'GET_DOCUMENTS' } });
      expect(body.data.requestCodaboxAccess.userErrors[0]?.code, vat).toBe(code);
    }
    // Refused before asking CodaBox.
    const calls = stack.codabox.server.calls().length;
    expect((await stack.gql(REQUEST, { i: { vat: 'BE0123456789', purpose: 'GET_DOCUMENTS' } })).body.data.requestCodaboxAccess.userErrors[0].code).toBe('INVALID_VAT');
    expect(stack.codabox.server.calls().length).toBe(calls);
  });

  it('guards connection names and the configured connection', async () => {
    expect((await stack.gql(CLAIM, { i: { token: 'abcdefgh12', connection: 'no spaces' } })).body.data.claimCodaboxCredentials.userErrors[0].code).toBe('INVALID_CONNECTION_NAME');
    expect((await stack.gql(CLAIM, { i: { token: 'abcdefgh12', connection: 'codabox' } })).body.data.claimCodaboxCredentials.userErrors[0].code).toBe('CONNECTION_EXISTS');
  });
});
