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
});
