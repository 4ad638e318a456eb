import { z } from 'zod';

/**
 * Building blocks of configuration options, shared by the server's own section (`config.ts`) and
 * each source's (`sources/<name>/config.ts`), so every option reads and fails the same way.
 */

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);

export const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A comma-separated list. */
export const list = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/** A connection name: used in IDs, API key grants and `connections`. */
export const connectionName = z.string().regex(/^[A-Za-z0-9_.-]+$/);
