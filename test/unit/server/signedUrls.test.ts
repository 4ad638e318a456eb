import { describe, expect, it } from 'vitest';
import { createUrlSigner } from '../../../src/server/signedUrls.js';

const ref = { source: 'INFORMAT' as const, connection: 'ag', kind: 'informat-pdf', ref: 'x', name: 'a.pdf', contentType: 'application/pdf' };

describe('signed download links', () => {
  it('live at least their whole TTL, whenever in the second they were made', () => {
    for (const madeAt of [1_000_000, 1_000_001, 1_000_500, 1_000_999]) {
      let t = madeAt;
      const signer = createUrlSigner('k'.repeat(40), 1, () => t);
      const token = signer.sign(ref);
      t = madeAt + 999;
      expect(signer.verify(token).ok).toBe(true);
      t = madeAt + 2000;
      expect(signer.verify(token)).toEqual({ ok: false, reason: 'expired' });
    }
  });

  it('a file linked again later gets a link with the later expiry, not the one made before', () => {
    let t = 1_000_000;
    const signer = createUrlSigner('k'.repeat(40), 60, () => t);
    const first = signer.sign(ref);
    expect(signer.sign(ref)).toBe(first);
    expect(signer.sign({ ...ref, ref: 'y' })).not.toBe(first);
    t += 30_000;
    const later = signer.sign(ref);
    expect(later).not.toBe(first);
    // 61 s after the first link: the first has expired, the later one still works.
    t = 1_000_000 + 61_000;
    expect(signer.verify(first)).toEqual({ ok: false, reason: 'expired' });
    expect(signer.verify(later)).toMatchObject({ ok: true, ref });
  });
});
