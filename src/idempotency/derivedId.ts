import { createHash } from 'node:crypto';

/**
 * A UUID derived from the caller, the operation and the caller's idempotency key (name-based, as a
 * version-5 UUID is). Sending it as MAPI's client-generated message id makes a retried send collide
 * with the first one instead of creating a second message.
 */
export function derivedUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Stable digest of an input, for "same key, different input" checks. */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
