import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { DownloadRef } from '../domain/models.js';

const Payload = z.object({
  s: z.enum(['INFORMAT', 'IBANITY', 'CODABOX', 'MAPI']),
  c: z.string(),
  k: z.string(),
  r: z.string(),
  n: z.string(),
  t: z.string(),
  e: z.number().int(),
});

const MEMO_MAX = 20_000;

/**
 * Download links are capabilities: the token names the upstream file and an expiry, signed with
 * HMAC-SHA256, so the download route needs no API key (a browser can open it) and no database.
 * Replicas must share DOWNLOAD_SIGNING_KEY for a link made by one to work on another.
 */
export function createUrlSigner(key: string | null, ttlSeconds: number, now: () => number = Date.now) {
  const secret = key ? Buffer.from(key, 'utf8') : randomBytes(32);
  const mac = (data: string) => createHmac('sha256', secret).update(data).digest();

  // Rounded up to the second: a link lives at least the whole TTL (rounding down cut up to a second off).
  const expiry = () => Math.ceil((now() + ttlSeconds * 1000) / 1000);

  // Tokens made within the current expiry second, by file: a page of CodaBox feeds links about 600 files
  // per operation, and an HMAC for each was a tenth of the operation's CPU. The same file in the same
  // second gets the same token anyway; the memo only skips computing it again. Emptied when the second
  // moves on, and never holds more than MEMO_MAX tokens.
  let memoSecond = 0;
  let memo = new Map<string, string>();

  return {
    ephemeralKey: key === null,
    sign(ref: DownloadRef): string {
      const e = expiry();
      if (e !== memoSecond) {
        memoSecond = e;
        memo = new Map();
      }
      const id = `${ref.source}\n${ref.connection}\n${ref.kind}\n${ref.ref}\n${ref.name}\n${ref.contentType}`;
      const known = memo.get(id);
      if (known) return known;
      const payload = Buffer.from(JSON.stringify({ s: ref.source, c: ref.connection, k: ref.kind, r: ref.ref, n: ref.name, t: ref.contentType, e }), 'utf8').toString('base64url');
      const token = `${payload}.${mac(payload).toString('base64url')}`;
      if (memo.size < MEMO_MAX) memo.set(id, token);
      return token;
    },
    verify(token: string): { ok: true; ref: DownloadRef } | { ok: false; reason: 'invalid' | 'expired' } {
      const [payload, sig, ...rest] = token.split('.');
      if (!payload || !sig || rest.length) return { ok: false, reason: 'invalid' };
      const given = Buffer.from(sig, 'base64url');
      const expected = mac(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
      let parsed;
      try {
        parsed = Payload.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
      } catch {
        return { ok: false, reason: 'invalid' };
      }
      if (!parsed.success) return { ok: false, reason: 'invalid' };
      const p = parsed.data;
      if (p.e * 1000 <= now()) return { ok: false, reason: 'expired' };
      return { ok: true, ref: { source: p.s, connection: p.c, kind: p.k, ref: p.r, name: p.n, contentType: p.t } };
    },
  };
}

export type UrlSigner = ReturnType<typeof createUrlSigner>;
