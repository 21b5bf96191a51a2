/** Largest possible Ogg page: 27-byte header + 255 lacing values + 255 × 255 body bytes. */
export const MAX_OGG_PAGE_BYTES = 27 + 255 + 255 * 255;

/**
 * Why the end of an Ogg file looks cut off, or null when its last page is whole.
 *
 * Needed because ffmpeg stays silent on a truncated Ogg/Opus file: it drops the partial last page
 * without a word and reports the (shorter) duration of the pages that remain. We find the last
 * `OggS` capture pattern in the file's final bytes (at least {@link MAX_OGG_PAGE_BYTES} of them,
 * so the last page header is always inside) and check that the page it declares fits in the file.
 * A whole last page without the end-of-stream flag is accepted: some live recorders never write
 * one, and every sample present is intact. Pure.
 *
 * @example
 *   const tail = lastBytesOf(file, MAX_OGG_PAGE_BYTES);
 *   oggTruncation(tail, fileSize - tail.length, fileSize); // null, or 'the last Ogg page declares 9835 bytes but only 1633 are present'
 */
export function oggTruncation(tail: Buffer, tailOffset: number, fileSize: number): string | null {
  let at = tail.lastIndexOf('OggS', undefined, 'latin1');
  // A capture pattern inside packet data is possible; a real page header has stream version 0.
  while (at >= 0 && at + 4 < tail.length && tail[at + 4] !== 0) at = at > 0 ? tail.lastIndexOf('OggS', at - 1, 'latin1') : -1;
  if (at < 0) return null; // no page header in the tail: not ours to judge, ffmpeg will complain
  const present = fileSize - (tailOffset + at);
  if (at + 27 > tail.length) return `the last Ogg page header is cut off after ${present} bytes`;
  const segments = tail[at + 26]!;
  if (at + 27 + segments > tail.length) return `the last Ogg page header is cut off after ${present} bytes`;
  let pageBytes = 27 + segments;
  for (let i = 0; i < segments; i++) pageBytes += tail[at + 27 + i]!;
  return pageBytes > present ? `the last Ogg page declares ${pageBytes} bytes but only ${present} are present` : null;
}
