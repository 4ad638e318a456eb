import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

/**
 * Secrets at rest: AES-256-GCM with a key derived (scrypt) from CREDENTIALS_KEY. The store only
 * ever sees `v1.<salt>.<iv>.<tag>.<ciphertext>`; without the key the value is unreadable, and a
 * tampered value fails to decrypt instead of yielding garbage.
 */
export class SecretBox {
  private readonly cache = new Map<string, Buffer>();

  constructor(private readonly passphrase: string) {
    if (passphrase.length < 32) throw new RangeError('the credentials key must be at least 32 characters');
  }

  private key(salt: Buffer): Buffer {
    const id = salt.toString('base64');
    let k = this.cache.get(id);
    if (!k) {
      k = scryptSync(this.passphrase, salt, 32);
      this.cache.set(id, k);
    }
    return k;
  }

  seal(plain: string): string {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(salt), iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', salt, iv, cipher.getAuthTag(), data].map((x) => (typeof x === 'string' ? x : x.toString('base64url'))).join('.');
  }

  open(sealed: string): string {
    const [v, salt, iv, tag, data] = sealed.split('.');
    if (v !== 'v1' || !salt || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key(Buffer.from(salt, 'base64url')), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
