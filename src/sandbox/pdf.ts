import { Readable } from 'node:stream';

/** Valid little PDFs for every sandbox: small ones in memory, large ones made while they are sent. */
const head = (note: string) =>
  Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n% ${note.replace(/[\r\n]/g, ' ')}\n`);
const TAIL = Buffer.from('trailer<</Root 1 0 R>>\n%%EOF\n');

export function smallPdf(note: string): Buffer {
  return Buffer.concat([head(note), TAIL]);
}

/** A PDF of exactly `size` bytes (padding comments), streamed in 64 KiB chunks. */
export function streamedPdf(size: number, note: string): Readable {
  const first = head(note);
  let left = Math.max(0, size - first.length - TAIL.length);
  let stage = 0;
  const filler = Buffer.alloc(64 * 1024, '%');
  return new Readable({
    read() {
      if (stage === 0) {
        stage = 1;
        this.push(first);
      } else if (left > 0) {
        const n = Math.min(left, filler.length);
        left -= n;
        this.push(filler.subarray(0, n));
      } else if (stage === 1) {
        stage = 2;
        this.push(TAIL);
      } else this.push(null);
    },
  });
}
