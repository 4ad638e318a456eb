import { usableConnections } from '../auth/access.js';
import { decodeGlobalId, type GlobalId, type SourceName } from '../domain/globalId.js';
import type { BankStatementModel, FeedEntryModel, FeedKindName, FeedModel } from '../domain/models.js';
import type { UserErrorModel } from '../domain/paymentInput.js';
import type { Once } from '../idempotency/once.js';
import { runtimesOf } from '../sources/registry.js';
import type { AcknowledgeFeedEntriesInput } from '../generated/graphql.js';
import { capabilityFor, deniedAsUserError, tryCapability } from './access.js';
import type { RequestContext } from './context.js';
import { AccessError } from './errors.js';

/** Feeds of every connection the caller may use, of every source that offers feeds (or the one named). */
export async function listFeeds(ctx: RequestContext, source: SourceName | null | undefined): Promise<FeedModel[]> {
  const offering = runtimesOf(ctx.upstreams).filter((r) => (!source || r.source === source) && r.connections().some((c) => c.capabilities.feeds));
  if (offering.length === 0) {
    // A source named that has no feeds has none to list; no source with feeds at all is a configuration gap.
    if (source) return [];
    throw new AccessError({ ok: false, code: 'NOT_CONFIGURED', message: 'No source of feeds (CodaBox) is configured on this gateway, so there are no feeds.' });
  }
  const usable = offering.flatMap((r) => usableConnections(ctx.caller, ctx.upstreams, r.source).map((name) => ({ source: r.source, name })));
  if (usable.length === 0) throw new AccessError({ ok: false, code: 'FORBIDDEN', message: `This caller may use no ${offering.map((r) => r.source).join(' or ')} connection, so it may read no feeds.` });
  return (await Promise.all(usable.map((u) => capabilityFor(ctx, 'feeds', u.source, u.name).capability.feeds()))).flat();
}

export async function getFeed(ctx: RequestContext, id: GlobalId): Promise<FeedModel | null> {
  return id.type === 'Feed' ? capabilityFor(ctx, 'feeds', id.source, id.connection).capability.feed(id.local) : null;
}

export async function getFeedEntry(ctx: RequestContext, id: GlobalId): Promise<FeedEntryModel | null> {
  return id.type === 'FeedEntry' ? capabilityFor(ctx, 'feeds', id.source, id.connection).capability.entry(id.local) : null;
}

export const feedEntries = (ctx: RequestContext, feed: FeedModel, kind: FeedKindName, first: number, after: string | null) =>
  capabilityFor(ctx, 'feeds', feed.source, feed.connection).capability.entries(feed, kind, first, after);

export const statementPayments = (ctx: RequestContext, s: BankStatementModel) =>
  s.codaPlus ? capabilityFor(ctx, 'feeds', s.codaPlus.source, s.codaPlus.connection).capability.statementPayments(s) : Promise.resolve([]);

/**
 * Acknowledges a feed up to an entry. The upstream forgets an acknowledged entry, so a second
 * acknowledgement of it (a client retrying after a lost answer) would be refused as "not in the
 * feed": the ledger remembers each one made through the gateway, per connection and feed, and a
 * repeat answers from it without asking the upstream again.
 */
export async function acknowledgeFeedEntries(ctx: RequestContext & { once: Once }, input: AcknowledgeFeedEntriesInput): Promise<{ feed: FeedModel | null; userErrors: UserErrorModel[] }> {
  const fail = (error: UserErrorModel) => ({ feed: null, userErrors: [error] });
  const gid = decodeGlobalId(input.feedId);
  if (!gid || gid.type !== 'Feed') return fail({ code: 'INVALID_ID', message: 'feedId is not a feed ID.', field: ['input', 'feedId'] });
  const served = tryCapability(ctx, 'feeds', gid.source, gid.connection, 'write');
  if (!served.ok) return fail(deniedAsUserError(served, ['input', 'feedId']));
  const kind = input.kind ?? 'NEW';
  const entry = decodeGlobalId(input.upTo);
  if (entry && (entry.type !== 'FeedEntry' || entry.source !== gid.source || entry.connection !== gid.connection)) {
    return fail({ code: 'OFFSET_NOT_IN_FEED', message: 'upTo is not an entry of this feed.', field: ['input', 'upTo'] });
  }
  const upTo = entry ? entry.local : input.upTo;
  const once = await ctx.once.run<{ ok: true; key: string } | { ok: false; error: UserErrorModel }>(
    { caller: `feed:${gid.source}:${served.name}`, operation: 'acknowledgeFeedEntries', key: `${gid.local}/${kind}/${upTo}` },
    'ack',
    async () => {
      const r = await served.capability.acknowledge(gid.local, kind, upTo);
      return r.ok ? { kind: 'done', value: r } : { kind: 'nothing-changed', value: r };
    },
  );
  if (once.kind === 'in-progress') return fail({ code: 'IDEMPOTENCY_KEY_IN_PROGRESS', message: 'The same acknowledgement is running; ask again in a moment.', field: ['input', 'upTo'] });
  if (once.kind !== 'fresh' && once.kind !== 'replayed') return fail({ code: 'UPSTREAM_REJECTED', message: 'An earlier acknowledgement of this entry ended without an answer; read the feed to see where it stands.', field: ['input', 'upTo'] });
  if (!once.value.ok) return fail(once.value.error);
  return { feed: await served.capability.feed(gid.local), userErrors: [] };
}
