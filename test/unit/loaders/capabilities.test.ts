import { describe, expect, it } from 'vitest';
import { CapabilityCache, createCapabilityLoader, lookupCapabilities, mergeAnswers, type CapabilitySource } from '../../../src/loaders/capabilities.js';
import { parsePartyIdentifier } from '../../../src/domain/identifiers.js';
import type { SourceCapability } from '../../../src/domain/models.js';

const fmt = (name: string) => ({ source: 'MAPI' as const, documentType: 'INVOICE' as const, name, profileId: null, customizationId: 'c', syntax: 'UBL', viaTransformation: false });
const ans = (status: SourceCapability['status'], names: string[] = [], at = '2026-01-01T00:00:00.000Z'): SourceCapability => ({ status, formats: names.map(fmt), checkedAt: at });
const id = (value: string) => ({ scheme: '0208', value, iso6523: `0208:${value}` });
const policy = { pendingRetries: 2, pendingDelayMs: 1, deadlineMs: 1000, cacheTtlSeconds: 60 };
const quiet = { batch: () => {}, cache: () => {} };

describe('mergeAnswers', () => {
  it('prefers READY, then PENDING, then NOT_FOUND, and unites formats', () => {
    expect(mergeAnswers([ans('NOT_FOUND'), ans('READY', ['a']), ans('READY', ['b'], '2026-02-01T00:00:00.000Z')])).toEqual({
      status: 'READY', reachable: true, formats: [fmt('a'), fmt('b')], checkedAt: '2026-02-01T00:00:00.000Z',
    });
    expect(mergeAnswers([ans('NOT_FOUND'), ans('PENDING')]).status).toBe('PENDING');
    expect(mergeAnswers([ans('NOT_FOUND')])).toMatchObject({ status: 'NOT_FOUND', reachable: false });
  });
});

describe('CapabilityCache', () => {
  it('keeps final answers for the TTL only, and never PENDING ones', () => {
    let now = 0;
    const cache = new CapabilityCache(1000, () => now);
    const key = { identifier: id('0840559537'), documentType: 'INVOICE' as const };
    cache.set(key, { status: 'PENDING', reachable: false, formats: [], checkedAt: null });
    expect(cache.get(key)).toBeUndefined();
    cache.set(key, { status: 'READY', reachable: true, formats: [], checkedAt: null });
    now = 999;
    expect(cache.get(key)?.status).toBe('READY');
    now = 1000;
    expect(cache.get(key)).toBeUndefined();
  });
});

describe('capability loader', () => {
  function source(batchLimit: number, answer: (v: string, call: number) => SourceCapability['status']) {
    const calls: string[][] = [];
    const s: CapabilitySource = {
      name: 'MAPI',
      batchLimit,
      async lookup(scheme, values) {
        calls.push([...values]);
        return new Map(values.map((v) => [`${scheme}:${v}`, ans(answer(v, calls.length), ['x'])]));
      },
    };
    return { s, calls };
  }

  it('splits a big batch by the source limit and asks each distinct key once', async () => {
    const { s, calls } = source(3, () => 'READY');
    const loader = createCapabilityLoader([s], new CapabilityCache(0), policy, quiet);
    const keys = ['1', '2', '3', '4', '5', '1', '2'].map((v) => ({ identifier: id(v), documentType: 'INVOICE' as const }));
    const out = await loader.loadMany(keys);
    expect(out).toHaveLength(7);
    expect(calls.map((c) => c.length)).toEqual([3, 2]);
  });

  it('re-asks only pending keys, at most pendingRetries times', async () => {
    const { s, calls } = source(10, (v) => (v === 'P' ? 'PENDING' : 'READY'));
    const loader = createCapabilityLoader([s], new CapabilityCache(0), policy, quiet);
    const [a, p] = await loader.loadMany([{ identifier: id('a'), documentType: 'INVOICE' }, { identifier: id('p'), documentType: 'INVOICE' }]);
    expect((a as { status: string }).status).toBe('READY');
    expect((p as { status: string }).status).toBe('PENDING');
    expect(calls).toEqual([['A', 'P'], ['P'], ['P']]);
  });

  it('puts a source failure in the slots of its keys', async () => {
    const failing: CapabilitySource = { name: 'MAPI', batchLimit: 10, lookup: async () => { throw new Error('MAPI down'); } };
    const loader = createCapabilityLoader([failing], new CapabilityCache(0), policy, quiet);
    const [r] = await loader.loadMany([{ identifier: id('a'), documentType: 'INVOICE' }]);
    expect(r).toBeInstanceOf(Error);
  });
});

describe('lookupCapabilities: the 9925 fallback', () => {
  // 0840559537 is registered under 0208; 0202239951 only under its VAT number; 0417497106 nowhere.
  const registered = new Set(['0208:0840559537', '9925:BE0202239951']);
  function mapi() {
    const calls: string[] = [];
    const s: CapabilitySource = {
      name: 'MAPI',
      batchLimit: 120,
      async lookup(scheme, values) {
        calls.push(`${scheme}:${values.join(',')}`);
        return new Map(values.map((v) => [`${scheme}:${v}`, registered.has(`${scheme}:${v}`) ? ans('READY', ['BISENUBL-3.0']) : ans('NOT_FOUND')]));
      },
    };
    return { loader: createCapabilityLoader([s], new CapabilityCache(0), policy, quiet), calls };
  }
  const party = (kbo: string) => parsePartyIdentifier(kbo)!;

  it('is off by default: a company not found under 0208 is NOT_FOUND, asked once', async () => {
    const { loader, calls } = mapi();
    const r = await lookupCapabilities(loader, party('0202239951'), 'INVOICE', false);
    expect(r).toMatchObject({ status: 'NOT_FOUND', identifier: { iso6523: '0208:0202239951' } });
    expect(calls).toEqual(['0208:0202239951']);
  });

  it('when on, asks the VAT identifiers of the companies not found, together in one call', async () => {
    const { loader, calls } = mapi();
    const [a, b, c] = await Promise.all(['0840559537', '0202239951', '0417497106'].map((k) => lookupCapabilities(loader, party(k), 'INVOICE', true)));
    expect(a).toMatchObject({ status: 'READY', identifier: { iso6523: '0208:0840559537' } });
    expect(b).toMatchObject({ status: 'READY', reachable: true, identifier: { iso6523: '9925:BE0202239951' } });
    expect(c).toMatchObject({ status: 'NOT_FOUND', identifier: { iso6523: '9925:BE0417497106' } });
    expect(calls).toEqual(['0208:0840559537,0202239951,0417497106', '9925:BE0202239951,BE0417497106']);
  });

  it('never falls back for other schemes', async () => {
    const { loader, calls } = mapi();
    const r = await lookupCapabilities(loader, parsePartyIdentifier('0196:1111118899')!, 'INVOICE', true);
    expect(r.status).toBe('NOT_FOUND');
    expect(calls).toEqual(['0196:1111118899']);
  });
});
