import type { Resolvers } from '../src/generated/graphql.js';
import { acknowledgeFeedEntries, feedEntries, getFeed, listFeeds, statementPayments } from '../src/services/feeds.js';
import { decodeGlobalId } from '../src/domain/globalId.js';
import { checkFirst } from './paging.js';

export const feedResolvers: Resolvers = {
  Query: {
    feeds: (_p, { source }, ctx) => listFeeds(ctx, source),
    feed: async (_p, { id }, ctx) => {
      const gid = decodeGlobalId(id);
      return gid ? getFeed(ctx, gid) : null;
    },
  },
  Feed: {
    entries: (feed, { kind, first, after }, ctx) => feedEntries(ctx, feed, kind ?? 'NEW', checkFirst(ctx, first, 100), after ?? null),
  },
  Payment: {
    statementNumber: (p) => p.statementNumber ?? null,
    sequenceNumber: (p) => p.sequenceNumber ?? null,
  },
  FeedEntryDetails: {
    __resolveType: (d) => ('movementCount' in d ? 'BankStatement' : 'socialWelfareId' in d ? 'SocialDocument' : 'Invoice'),
  },
  BankStatement: {
    // A statement parsed from a file carries its movements; one from a feed asks its source.
    payments: (s, _a, ctx) => s.parsedPayments ?? statementPayments(ctx, s),
  },
  Mutation: {
    acknowledgeFeedEntries: (_p, { input }, ctx) => acknowledgeFeedEntries(ctx, input),
  },
};
