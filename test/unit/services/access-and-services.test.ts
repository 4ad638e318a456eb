import { describe, expect, it } from 'vitest';
import { mayUse, useCapability, useConnection } from '../../../src/auth/access.js';
import type { Caller } from '../../../src/auth/caller.js';
import type { Upstreams } from '../../../src/sources/registry.js';
import type { Capabilities, Connection, SourceRuntime } from '../../../src/sources/types.js';
import { listFeeds } from '../../../src/services/feeds.js';
import { markMessage } from '../../../src/services/messages.js';
import { AccessError } from '../../../src/services/errors.js';
import { encodeGlobalId } from '../../../src/domain/globalId.js';
import type { RequestContext } from '../../../src/services/context.js';

/** Runtimes made by hand: the access door and the services see sources only through these shapes. */
function runtime(source: 'MAPI' | 'CODABOX', names: string[], capabilities: Capabilities): SourceRuntime {
  const connections: Connection<unknown>[] = names.map((name) => ({ name, client: {}, capabilities, ping: async () => {} }));
  return { source, label: source, connections: () => connections, connection: (n) => connections.find((c) => c.name === n), breakerState: () => 'closed', openFile: () => null };
}
const caller = (connections: Caller['connections']): Caller => ({ id: 'c', name: 'c', scopes: new Set(['admin']), connections, open: false });
const upstreams = (...rs: SourceRuntime[]): Upstreams => ({ sources: Object.fromEntries(rs.map((r) => [r.source, r])) as never, capabilityCache: null as never });
const ctx = (c: Caller, u: Upstreams): RequestContext => ({ caller: c, upstreams: u, once: null as never, loaders: null as never, channelOrder: ['IBANITY', 'MAPI'], paymentLinks: null as never });

describe('the access door', () => {
  it('opens a connection by a grant naming its source, or by a bare name only when that connection exists', () => {
    const c = caller(new Set(['CODABOX/acme', 'MAPI/*', 'ag1']));
    expect(mayUse(c, 'CODABOX', 'acme', false)).toBe(true);
    expect(mayUse(c, 'MAPI', 'anything', false)).toBe(true);
    expect(mayUse(c, 'CODABOX', 'ag1', true)).toBe(true);
    expect(mayUse(c, 'CODABOX', 'ag1', false)).toBe(false);
    expect(mayUse(c, 'CODABOX', 'other', true)).toBe(false);
  });

  it('picks the named connection, the only usable one, or asks which', () => {
    const u = upstreams(runtime('CODABOX', ['a', 'b'], {}));
    expect(useConnection(caller('*'), u, 'CODABOX', 'b', 'read')).toMatchObject({ ok: true, name: 'b' });
    expect(useConnection(caller(new Set(['CODABOX/a'])), u, 'CODABOX', null, 'read')).toMatchObject({ ok: true, name: 'a' });
    expect(useConnection(caller('*'), u, 'CODABOX', null, 'read')).toMatchObject({ ok: false, code: 'BAD_USER_INPUT' });
    expect(useConnection(caller(new Set(['CODABOX/a'])), u, 'CODABOX', 'b', 'read')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(useConnection(caller('*'), u, 'MAPI', null, 'read')).toMatchObject({ ok: false, code: 'NOT_CONFIGURED' });
  });

  it('finds the source that offers a capability, and says when none does', () => {
    const feeds = { feeds: async () => [] } as never;
    const u = upstreams(runtime('MAPI', ['m'], {}), runtime('CODABOX', ['a'], { feeds }));
    expect(useCapability(caller('*'), u, 'feeds', null, null, 'read')).toMatchObject({ ok: true, source: 'CODABOX', name: 'a' });
    expect(useCapability(caller('*'), u, 'messages', null, null, 'read')).toMatchObject({ ok: false, code: 'NOT_CONFIGURED' });
    expect(useCapability(caller('*'), u, 'feeds', 'MAPI', null, 'read')).toMatchObject({ ok: false, code: 'NOT_CONFIGURED' });
  });
});

describe('services', () => {
  it('listFeeds says FORBIDDEN when the caller may use no connection of the feeds source, NOT_CONFIGURED when there is none', async () => {
    const feeds = { feeds: async () => [] } as never;
    await expect(listFeeds(ctx(caller(new Set(['MAPI/m'])), upstreams(runtime('CODABOX', ['a'], { feeds }))), null)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(listFeeds(ctx(caller('*'), upstreams(runtime('MAPI', ['m'], {}))), null)).rejects.toBeInstanceOf(AccessError);
    expect(await listFeeds(ctx(caller('*'), upstreams(runtime('MAPI', ['m'], {}))), 'MAPI')).toEqual([]);
  });

  it('markMessage checks its input before asking the source, and passes the source\'s refusal on as a userError', async () => {
    const marks: string[] = [];
    const messages = {
      mark: async (local: string) => {
        marks.push(local);
        return { ok: false as const, error: { code: 'INVALID_STATUS_TRANSITION' as const, message: 'no', field: ['input', 'outcome'] } };
      },
    } as never;
    const c = ctx(caller('*'), upstreams(runtime('MAPI', ['m'], { messages })));
    const id = encodeGlobalId({ type: 'Message', source: 'MAPI', connection: 'm', local: 'u1' });
    expect(await markMessage(c, { messageId: id, outcome: 'FAILED' })).toMatchObject({ userErrors: [{ code: 'REASON_REQUIRED' }] });
    expect(await markMessage(c, { messageId: 'nope', outcome: 'DELIVERED' })).toMatchObject({ userErrors: [{ code: 'INVALID_ID' }] });
    expect(marks).toEqual([]);
    expect(await markMessage(c, { messageId: id, outcome: 'DELIVERED' })).toMatchObject({ message: null, userErrors: [{ code: 'INVALID_STATUS_TRANSITION', field: ['input', 'outcome'] }] });
    expect(marks).toEqual(['u1']);
  });
});
