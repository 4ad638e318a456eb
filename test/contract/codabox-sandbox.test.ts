import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INACTIVE_SOFTWARE_KEY, startCodaboxSandbox, type CodaboxSandbox } from '../../src/sandbox/codabox/index.js';

/** The CodaBox sandbox behaves as the API v2 document describes, seen over HTTP. */
let sb: CodaboxSandbox;
let auth: Record<string, string>;
const call = async (method: string, path: string, headers: Record<string, string> = auth, body?: string) => {
  const res = await fetch(`${sb.url}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: any = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, json, headers: res.headers };
};

beforeAll(async () => {
  sb = await startCodaboxSandbox({ bulkEntries: 20, bulkClients: 30 });
  const u = sb.users[0]!;
  auth = { 'x-software-company': sb.softwareKey, authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}` };
});
afterAll(async () => sb.close());

describe('authentication and URLs', () => {
  it('needs the software key and Basic credentials, with the documented details', async () => {
    expect((await call('GET', '/delivery/pod-client/', { authorization: auth.authorization! })).json).toEqual({ detail: 'The software can not be found or is not active' });
    expect((await call('GET', '/delivery/pod-client/', { ...auth, 'x-software-company': INACTIVE_SOFTWARE_KEY })).status).toBe(403);
    expect((await call('GET', '/delivery/pod-client/', { 'x-software-company': sb.softwareKey })).json).toEqual({ detail: 'Invalid username/password.' });
  });

  it('redirects URLs without a trailing slash (a PUT comes back as a 301 a client may follow as GET)', async () => {
    const r = await call('PUT', '/delivery/feed/889', { ...auth, 'content-type': 'application/json' }, '{"feed_offset":"x"}');
    expect(r.status).toBe(301);
    expect(r.headers.get('location')).toBe('/delivery/feed/889/');
  });

  it('gives credentials once per token', async () => {
    const h = { 'x-software-company': sb.softwareKey };
    expect((await call('GET', '/get-credentials/a19c62be748043449942c12712f42922/', h)).json).toMatchObject({ username: 'fiduciary' });
    expect((await call('GET', '/get-credentials/a19c62be748043449942c12712f42922/', h)).status).toBe(404);
  });

  it('answers each documented request-access-token 400, keyed on the document\'s example VATs', async () => {
    const h = { 'x-software-company': sb.softwareKey, 'content-type': 'application/json' };
    const ask = (body: unknown) => call('POST', '/request-access-token/get-document-software/', h, JSON.stringify(body));
    expect(await ask({ vat: 'BE0123456789' })).toMatchObject({ status: 400, json: { vat: ['Object with vat=BE0123456789 does not exist'] } });
    expect(await ask({})).toMatchObject({ status: 400, json: { vat: ['This field is required.'] } });
    const refusals: [string, string][] = [
      ['BE0010016140', 'This client needs activation'],
      ['BE0010014952', "The client's fiduciary needs activation"],
      ['BE0010014655', "Client's email is missing"],
      ['BE0010014754', "Client's contact is missing"],
      ['BE0010015546', "Client's contact function is missing"],
    ];
    for (const [vat, message] of refusals) expect(await ask({ vat }), vat).toMatchObject({ status: 400, json: { non_field_errors: [message] } });
    expect(await ask({ vat: 'BE0010015348' })).toMatchObject({ status: 201, json: { vat: 'BE0010015348', email: expect.stringMatching(/^..\.\.\.@\.\.\./) } });
  });
});

describe('feeds', () => {
  it('serves the document\'s pod-client and refuses formats it does not allow', async () => {
    const pod = (await call('GET', '/delivery/pod-client/')).json;
    expect(pod).toMatchObject({ id: 9, feed_clients: [{ id: 889, client_name: 'Client 1' }, { id: 890 }, { id: 891 }] });
    const entries = (await call('GET', '/delivery/feed/889/')).json.feed_entries;
    const soda = entries.find((e: any) => e.document_model === 'soda');
    expect((await call('GET', `/delivery/download/${soda.feed_index}/cod/`)).json).toEqual({ detail: 'Format "cod" not allowed' });
    const pdfOnly = entries.find((e: any) => e.metadata.source_format === 'pdf');
    expect((await call('GET', `/delivery/download/${pdfOnly.feed_index}/xml/`)).status).toBe(404);
    const xml = await fetch(`${sb.url}/delivery/download/${soda.feed_index}/xml/`, { headers: auth });
    expect(xml.headers.get('content-type')).toBe('application/xml');
    expect(Number(xml.headers.get('content-length'))).toBe((await xml.arrayBuffer()).byteLength);
  });

  it('answers the documented 400s for feed offsets', async () => {
    const put = (body: string) => call('PUT', '/delivery/feed/889/', { ...auth, 'content-type': 'application/json' }, body);
    expect((await put('{}')).json).toEqual({ feed_offset: ['This field is required.'] });
    expect((await put('{"feed_offset":null}')).json).toEqual({ feed_offset: ['This field may not be null.'] });
    expect((await put('{"feed_offset":"nope"}')).json).toEqual({ feed_offset: ["Offset should be part of the feed's feed entries"] });
  });
});

describe('search', () => {
  it('pages with limit/offset (default 50, at most 150) and gives next/previous links that keep the query', async () => {
    const first = (await call('GET', '/search/clients/?limit=5&ordering=name')).json;
    expect(first.count).toBe(sb.clients.length);
    expect(first.results).toHaveLength(5);
    expect(first.previous).toBeNull();
    expect(first.next).toBe(`${sb.url}/search/clients/?limit=5&ordering=name&offset=5`);
    const second = (await call('GET', '/search/clients/?limit=5&offset=5&ordering=name')).json;
    expect(second.previous).toBe(`${sb.url}/search/clients/?limit=5&ordering=name`);
    expect((await call('GET', '/search/clients/')).json.results).toHaveLength(Math.min(50, sb.clients.length));
    expect((await call('GET', '/search/clients/?limit=500')).json.results.length).toBeLessThanOrEqual(150);
  });

  it('filters exactly, by icontains/startswith/endswith and by the aggregated search key', async () => {
    expect((await call('GET', '/search/clients/?enterprise_num=BE0840559537')).json.results.map((c: any) => c.name)).toEqual(['Client X']);
    expect((await call('GET', '/search/clients/?name__icontains=CLIENT%20x')).json.count).toBe(1);
    expect((await call('GET', '/search/clients/?name__startswith=client')).json.count).toBe(0);
    expect((await call('GET', '/search/clients/?enterprise_num__endswith=559537')).json.count).toBe(1);
    expect((await call('GET', '/search/clients/?search=codabox-01')).json.count).toBe(1);
  });

  it('orders by several keys, descending with -, ignoring case', async () => {
    const names = (await call('GET', '/search/clients/?ordering=-name&limit=150')).json.results.map((c: any) => c.name.toLowerCase());
    expect([...names].sort().reverse()).toEqual(names);
  });

  it('searches coda mandates by IBAN and social mandates by office, with datetime lookups', async () => {
    expect((await call('GET', '/search/coda-mandates/?search=BE46977000017948')).json.results[0].client.name).toBe('Client X');
    const group = (await call('GET', '/search/social-mandates/?social_welfare__social_welfare_id=group_s')).json;
    expect(group.results.every((m: any) => m.social_welfare.social_welfare_id === 'group_s')).toBe(true);
    const recent = (await call('GET', '/search/coda-mandates/?state_modified_at__gte=2020-01-01T00:00:00&limit=150')).json;
    expect(recent.results.every((m: any) => m.state_modified_at >= '2020-01-01')).toBe(true);
  });
});
