import type { AudioFormat } from '../../domain/recording.js';

/**
 * Recognises the audio container from its first bytes (magic numbers), never from the file name:
 * uploads are often misnamed (`.wav` that is really MP3). The name is only a tie-breaker when the
 * bytes given are too few to decide Ogg Vorbis from Ogg Opus. Pure; returns null for anything we
 * do not accept (text, FLAC, ADTS AAC, Matroska/WebM, ...).
 *
 * - `RIFF`/`RF64`/`RIFX` … `WAVE` → wav (the WAV parser rejects the RF64/RIFX variants with a clear message)
 * - `ID3` tag, or an MPEG audio frame header (sync 0xFFE, valid version/layer/bitrate/rate) → mp3
 * - `OggS` → opus when the first page carries `OpusHead`, else ogg
 * - `#!AMR` (also `#!AMR-WB`) → amr
 * - `????ftyp` (ISO BMFF: M4A/MP4/3GP) → m4a
 *
 * @example
 *   detectAudioFormat(Buffer.from('#!AMR\n...')); // 'amr'
 *   detectAudioFormat(Buffer.from('hello'));      // null
 */
export function detectAudioFormat(head: Buffer, fileName?: string): AudioFormat | null {
  if (head.length >= 12 && ['RIFF', 'RF64', 'RIFX'].includes(ascii(head, 0, 4)) && ascii(head, 8, 12) === 'WAVE') return 'wav';
  if (ascii(head, 0, 5) === '#!AMR') return 'amr';
  if (head.length >= 8 && ascii(head, 4, 8) === 'ftyp') return 'm4a';
  if (ascii(head, 0, 4) === 'OggS') return oggFlavour(head, fileName);
  if (isId3Tag(head) || isMpegAudioFrameHeader(head, 0)) return 'mp3';
  return null;
}

function ascii(buf: Buffer, start: number, end: number): string {
  return buf.length >= end ? buf.toString('latin1', start, end) : '';
}

/** ID3v2: "ID3", major version 2–4, revision < 0xFF. */
function isId3Tag(head: Buffer): boolean {
  return ascii(head, 0, 3) === 'ID3' && head.length >= 5 && head[3]! >= 2 && head[3]! <= 4 && head[4]! !== 0xff;
}

/**
 * An MPEG-1/2/2.5 audio frame header (layers I–III). Checking every field, not just the 11 sync
 * bits, keeps random binaries out; layer bits 00 (reserved) also excludes ADTS AAC, which shares
 * the 0xFFF sync but always has layer 00.
 */
function isMpegAudioFrameHeader(buf: Buffer, at: number): boolean {
  if (buf.length < at + 4) return false;
  const b1 = buf[at + 1]!;
  const b2 = buf[at + 2]!;
  if (buf[at] !== 0xff || (b1 & 0xe0) !== 0xe0) return false;
  const version = (b1 >> 3) & 0b11; // 01 reserved
  const layer = (b1 >> 1) & 0b11; // 00 reserved
  const bitrateIndex = b2 >> 4; // 1111 invalid
  const sampleRateIndex = (b2 >> 2) & 0b11; // 11 reserved
  return version !== 0b01 && layer !== 0b00 && bitrateIndex !== 0b1111 && sampleRateIndex !== 0b11;
}

/**
 * Opus streams must start with a page whose first packet is `OpusHead` (RFC 7845 §3). Reads the
 * first page's segment table to find that packet; falls back to the name only if the page is cut.
 */
function oggFlavour(head: Buffer, fileName?: string): AudioFormat {
  const pageHeaderBytes = 27;
  if (head.length >= pageHeaderBytes) {
    const segments = head[26]!;
    const bodyStart = pageHeaderBytes + segments;
    if (head.length >= bodyStart + 8) return ascii(head, bodyStart, bodyStart + 8) === 'OpusHead' ? 'opus' : 'ogg';
  }
  return fileName !== undefined && /\.opus$/i.test(fileName) ? 'opus' : 'ogg';
}
