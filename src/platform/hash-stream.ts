import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/**
 * sha256 (hex) and byte count of everything a stream yields — how originals are verified.
 * @example await hashStream(createReadStream('call.wav')) // { sha256: 'ab12…', sizeBytes: 976044 }
 */
export async function hashStream(stream: Readable): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of stream) {
    sizeBytes += (chunk as Buffer).length;
    hash.update(chunk as Buffer);
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}
