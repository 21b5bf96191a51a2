import type { FastifyReply } from 'fastify';
import { TingjianError } from '../domain/errors.js';
import type { AudioFormat, Recording } from '../domain/recording.js';
import type { BlobStore } from '../ports/blob-store.js';

const MIME: Record<AudioFormat, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg; codecs=opus',
  amr: 'audio/amr',
  m4a: 'audio/mp4',
};

/**
 * Parse a single `bytes=` range against a size. Multi-range requests get the whole file (players
 * never send them). Returns null for no/ignored range; throws RANGE_NOT_SATISFIABLE when off the end.
 * @example parseRange('bytes=0-99', 1000) // { start: 0, end: 99 }
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  // A last byte before the first is not a valid range: RFC 9110 says ignore it and send it all.
  if (m[1] !== '' && m[2] !== '' && Number(m[2]) < Number(m[1])) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) {
    throw new TingjianError('RANGE_NOT_SATISFIABLE', `range ${header} is outside the recording (${size} bytes)`, { size });
  }
  return { start, end };
}

/**
 * Sends `size` bytes, or the one range the request asks for (206, or 416 off the end), with the
 * headers every response of a seekable file carries. `open` streams the whole file or a range.
 */
export function sendSeekable(
  reply: FastifyReply,
  size: number,
  rangeHeader: string | undefined,
  headers: Record<string, string>,
  open: (range?: { start: number; end: number }) => NodeJS.ReadableStream,
) {
  let range: { start: number; end: number } | null;
  try {
    range = parseRange(rangeHeader, size);
  } catch (e) {
    void reply.header('content-range', `bytes */${size}`);
    throw e;
  }
  void reply.header('accept-ranges', 'bytes').headers(headers);
  if (range) {
    void reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
      .header('content-length', range.end - range.start + 1);
    return reply.send(open(range));
  }
  void reply.header('content-length', size);
  return reply.send(open());
}

export function sendAudio(reply: FastifyReply, blobs: BlobStore, rec: Recording, rangeHeader: string | undefined) {
  const headers = { 'content-type': MIME[rec.format], etag: `"${rec.sha256}"`, 'x-content-sha256': rec.sha256 };
  return sendSeekable(reply, rec.sizeBytes, rangeHeader, headers, (range) => (range ? blobs.read(rec.blobKey, range) : blobs.read(rec.blobKey)));
}
