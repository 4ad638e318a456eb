import { setTimeout as sleep } from 'node:timers/promises';
import DataLoader from 'dataloader';
import { chunk, createLimiter } from './batching.js';
import type { ParticipantIdModel } from '../domain/identifiers.js';
import type { CapabilityLookupModel, DocumentFormatModel, DocumentTypeName, SourceCapability } from '../domain/models.js';
import type { SourceName } from '../domain/globalId.js';

/**
 * Capability lookups: "what can this party receive?". A source answers for many identifiers of one
 * scheme and one document type at once (MAPI's batch query), or one at a time with a cap on calls in
 * flight (Ibanity's customer search); both answers are merged into one.
 */
export interface CapabilitySource {
  readonly name: SourceName;
  /** Largest number of identifiers one upstream call may carry. */
  readonly batchLimit: number;
  /** Upstream calls in flight at once for one batch (Ibanity's one-by-one customer searches); unlimited when absent. */
  readonly concurrency?: number;
  /** One upstream call: answers keyed `scheme:VALUE`. */
  lookup(scheme: string, values: readonly string[], documentType: DocumentTypeName): Promise<Map<string, SourceCapability>>;
}

export interface CapabilityKey {
  identifier: ParticipantIdModel;
  documentType: DocumentTypeName;
}

export interface CapabilityPolicy {
  /** How often a PENDING answer is asked again within one request. @default 2 */
  pendingRetries: number;
  /** Wait before asking again. @default 250 */
  pendingDelayMs: number;
  /** Give up re-asking after this long; what is still pending is answered PENDING. @default 3000 */
  deadlineMs: number;
  /** How long READY and NOT_FOUND answers are reused across requests. @default 300 */
  cacheTtlSeconds: number;
}

export interface CapabilityCounters {
  /** Upstream batch calls, first asks and re-asks of pending answers counted apart. */
  batch(source: SourceName, kind: 'first' | 'reask', size: number): void;
  cache(outcome: 'hit' | 'miss'): void;
}

type Limiter = ReturnType<typeof createLimiter>;

const cacheKey = (k: CapabilityKey) => `${k.documentType}|${k.identifier.iso6523.toUpperCase()}`;
const idKey = (id: ParticipantIdModel) => `${id.scheme}:${id.value.toUpperCase()}`;

/** Answers shared by every request: only final answers (READY, NOT_FOUND), each for a limited time. */
export class CapabilityCache {
  private readonly entries = new Map<string, { answer: CapabilityLookupModel; expiresAt: number }>();

  constructor(private readonly ttlMs: number, private readonly now: () => number = Date.now, private readonly maxEntries = 100_000) {}

  get(k: CapabilityKey): CapabilityLookupModel | undefined {
    const e = this.entries.get(cacheKey(k));
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(cacheKey(k));
      return undefined;
    }
    return e.answer;
  }

  /** Drops every answer about one identifier (any document type): it changed upstream. */
  forget(iso6523: string): void {
    const suffix = `|${iso6523.toUpperCase()}`;
    for (const key of [...this.entries.keys()]) if (key.endsWith(suffix)) this.entries.delete(key);
  }

  set(k: CapabilityKey, answer: CapabilityLookupModel): void {
    if (answer.status !== 'READY' && answer.status !== 'NOT_FOUND') return;
    if (this.ttlMs <= 0) return;
    // Oldest first out: Map keeps insertion order.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(cacheKey(k), { answer, expiresAt: this.now() + this.ttlMs });
  }
}

/** Several sources' answers as one: READY wins, then PENDING, then NOT_FOUND. */
export function mergeAnswers(answers: SourceCapability[]): CapabilityLookupModel {
  const formats: DocumentFormatModel[] = answers.flatMap((a) => (a.status === 'READY' ? a.formats : []));
  const status = answers.some((a) => a.status === 'READY') ? 'READY' : answers.some((a) => a.status === 'PENDING') ? 'PENDING' : 'NOT_FOUND';
  const checkedAt = answers.map((a) => a.checkedAt).sort().at(-1) ?? null;
  return { status, reachable: status === 'READY' && formats.length > 0, formats, checkedAt };
}


/** Asks one source about identifiers of one scheme and document type, re-asking PENDING ones within bounds. */
async function askSource(source: CapabilitySource, limit: Limiter, scheme: string, values: string[], documentType: DocumentTypeName, policy: CapabilityPolicy, counters: CapabilityCounters) {
  const started = Date.now();
  const answers = new Map<string, SourceCapability>();
  const ask = async (vals: string[], kind: 'first' | 'reask') => {
    const pages = await Promise.all(
      chunk(vals, source.batchLimit).map((part) =>
        limit(() => {
          counters.batch(source.name, kind, part.length);
          return source.lookup(scheme, part, documentType);
        }),
      ),
    );
    for (const page of pages) for (const [k, v] of page) answers.set(k, v);
  };
  await ask(values, 'first');
  for (let round = 0; round < policy.pendingRetries; round++) {
    const pending = values.filter((v) => answers.get(`${scheme}:${v.toUpperCase()}`)?.status === 'PENDING');
    if (pending.length === 0) break;
    if (Date.now() - started + policy.pendingDelayMs > policy.deadlineMs) break;
    await sleep(policy.pendingDelayMs);
    await ask(pending, 'reask');
  }
  return answers;
}

/**
 * A per-request DataLoader (one per request, so nothing leaks between callers): keys are grouped by
 * document type and identifier scheme, each group asked in calls of at most `batchLimit` identifiers,
 * duplicates asked once, and final answers reused across requests through the shared cache.
 */
export function createCapabilityLoader(sources: CapabilitySource[], cache: CapabilityCache, policy: CapabilityPolicy, counters: CapabilityCounters) {
  // One bound per source for the whole request, whatever the schemes and document types asked.
  const limits = new Map(sources.map((s) => [s.name, createLimiter(s.concurrency ?? Infinity)]));
  return new DataLoader<CapabilityKey, CapabilityLookupModel, string>(
    async (keys) => {
      const results = new Map<string, CapabilityLookupModel | Error>();
      const misses: CapabilityKey[] = [];
      for (const k of keys) {
        const hit = cache.get(k);
        counters.cache(hit ? 'hit' : 'miss');
        if (hit) results.set(cacheKey(k), hit);
        else misses.push(k);
      }
      const groups = new Map<string, { documentType: DocumentTypeName; scheme: string; values: Set<string> }>();
      for (const k of misses) {
        const g = `${k.documentType}|${k.identifier.scheme}`;
        const entry = groups.get(g) ?? { documentType: k.documentType, scheme: k.identifier.scheme, values: new Set<string>() };
        entry.values.add(k.identifier.value.toUpperCase());
        groups.set(g, entry);
      }
      await Promise.all(
        [...groups.values()].map(async (g) => {
          const values = [...g.values];
          const perSource = await Promise.all(
            sources.map((s) => askSource(s, limits.get(s.name)!, g.scheme, values, g.documentType, policy, counters).then((a) => ({ ok: true as const, a }), (err: unknown) => ({ ok: false as const, err }))),
          );
          const answered = perSource.filter((p) => p.ok).map((p) => p.a);
          // The first failed source's error names its upstream.
          const failed = perSource.find((p) => !p.ok);
          const failure = failed && !failed.ok ? (failed.err as Error) : null;
          for (const value of values) {
            const k: CapabilityKey = { identifier: { scheme: g.scheme, value, iso6523: `${g.scheme}:${value}` }, documentType: g.documentType };
            if (answered.length === 0) {
              results.set(cacheKey(k), failure ?? new Error('no capability source configured'));
              continue;
            }
            const answers = answered.map((a) => a.get(`${g.scheme}:${value}`)).filter((x): x is SourceCapability => Boolean(x));
            const merged = answers.length ? mergeAnswers(answers) : { status: 'NOT_FOUND' as const, reachable: false, formats: [], checkedAt: null };
            // A source that failed might have said "reachable": only a reachable answer stands without it.
            if (failure && !merged.reachable) {
              results.set(cacheKey(k), failure);
              continue;
            }
            if (!failure) cache.set(k, merged);
            results.set(cacheKey(k), merged);
          }
        }),
      );
      return keys.map((k) => results.get(cacheKey(k)) ?? new Error(`no capability answer for ${idKey(k.identifier)}`));
    },
    // Batching is per scheme and source inside the batch function; DataLoader only gathers one tick's keys.
    { cacheKeyFn: cacheKey, maxBatchSize: 10_000 },
  );
}

export type CapabilityLoader = ReturnType<typeof createCapabilityLoader>;

/**
 * A party's capabilities under its preferred identifier. With `vatFallback`, a Belgian company that is
 * NOT_FOUND under 0208 is asked again under 9925 (BOSA pre-registered companies under 0208, but some
 * receivers are registered only under their VAT number). The answer names the identifier it is for,
 * so a sender knows which one to address. The second asks of one request go out together, batched
 * like the first ones.
 */
export async function lookupCapabilities(
  loader: Pick<CapabilityLoader, 'load'>,
  identifiers: readonly ParticipantIdModel[],
  documentType: DocumentTypeName,
  vatFallback: boolean,
): Promise<CapabilityLookupModel> {
  const preferred = identifiers[0];
  if (!preferred) return { status: 'NOT_FOUND', reachable: false, formats: [], checkedAt: null, identifier: null };
  const answer = await loader.load({ identifier: preferred, documentType });
  const vat = identifiers.find((i) => i.scheme === '9925');
  if (answer.status !== 'NOT_FOUND' || !vatFallback || preferred.scheme !== '0208' || !vat) return { ...answer, identifier: preferred };
  return { ...(await loader.load({ identifier: vat, documentType })), identifier: vat };
}
