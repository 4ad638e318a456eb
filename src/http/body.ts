import { Readable } from 'node:stream';
import { UpstreamError } from './errors.js';

/**
 * An upstream body read whole, within a size limit. It offers what undici's body offers (`text`,
 * `json`, `arrayBuffer`, `dump`, and streaming), so code reading it does not care whether it was
 * buffered, and `clone()` hands the same bytes to each caller of a deduplicated request.
 */
export class BufferedBody extends Readable {
  private sent = false;

  constructor(readonly bytes: Buffer) {
    super();
  }

  override _read(): void {
    if (this.sent) return;
    this.sent = true;
    if (this.bytes.length) this.push(this.bytes);
    this.push(null);
  }

  clone(): BufferedBody {
    return new BufferedBody(this.bytes);
  }

  async text(): Promise<string> {
    return this.bytes.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.bytes.toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.bytes.buffer.slice(this.bytes.byteOffset, this.bytes.byteOffset + this.bytes.byteLength) as ArrayBuffer;
  }

  async dump(): Promise<void> {
    this.destroy();
  }
}

/** A body larger than the limit: the connection is dropped as soon as the limit is crossed. */
export function bodyTooLarge(source: string, route: string, limit: number): UpstreamError {
  return new UpstreamError(`${source} sent a response body larger than ${limit} bytes (UPSTREAM_MAX_BODY_BYTES) (${route})`, { code: 'UPSTREAM_REJECTED', source, route });
}

/** Reads a stream whole, refusing it once it passes `limit` bytes. */
export async function readLimited(stream: AsyncIterable<Buffer | string> & { destroy?: (err?: Error) => void }, limit: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > limit) {
      const err = tooLarge();
      stream.destroy?.(err);
      throw err;
    }
    chunks.push(b);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}
