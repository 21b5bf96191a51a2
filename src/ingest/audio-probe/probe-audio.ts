import { open, stat } from 'node:fs/promises';
import { runFfmpeg } from '../../adapters/ffmpeg/run-ffmpeg.js';
import { TingjianError, invalidAudio, unsupportedFormat } from '../../domain/errors.js';
import type { AudioFormat } from '../../domain/recording.js';
import { detectAudioFormat } from './detect-format.js';
import { parseFfmpegDecodeLog, type FfmpegDecodeLog } from './ffmpeg-decode-log.js';
import { MAX_OGG_PAGE_BYTES, oggTruncation } from './ogg-tail.js';
import { parseWavHeader } from './wav-header.js';

/** What ingest records about an uploaded recording. */
export interface AudioProbe {
  format: AudioFormat;
  /** ffmpeg's codec name: pcm_s16le, pcm_mulaw, pcm_alaw, mp3, vorbis, opus, amr_nb, amr_wb, aac, ... */
  codec: string;
  sampleRate: number;
  channels: number;
  durationMs: number;
}

export interface ProbeAudioOptions {
  /** Resolves the ffmpeg binary; called only for non-WAV files, e.g. `async () => (await locateFfmpeg(cfg.ffmpegPath)).path`. */
  ffmpegPath: () => Promise<string>;
  /** Override the size-based ffmpeg timeout (tests). */
  timeoutMs?: number;
}

/** Bytes read for format detection and the WAV header. */
export const PROBE_HEAD_BYTES = 64 * 1024;

const FORMAT_LABEL: Record<AudioFormat, string> = { wav: 'WAV', mp3: 'MP3', ogg: 'OGG', opus: 'OGG/Opus', amr: 'AMR', m4a: 'M4A' };
const SUPPORTED = 'WAV (PCM, float, μ-law, A-law), MP3, OGG (Vorbis), OGG/Opus, AMR (NB/WB) and M4A (AAC)';
const REUPLOAD = 're-export or re-upload the recording';

/**
 * Identifies an uploaded recording and checks it is whole.
 *
 * - WAV: header only (no ffmpeg; this runs on every ingest and must stay cheap). Truncated,
 *   empty and non-PCM-family WAVs are rejected by {@link parseWavHeader}.
 * - MP3, OGG, Opus, AMR, M4A: ffmpeg decodes the whole file once to the null muxer; the log gives
 *   codec, rate and channels, and any decode error means the file is corrupt.
 * - Anything else: UNSUPPORTED_FORMAT naming what is accepted.
 *
 * What ffmpeg (5.1 Debian, 4.1 npm static) reports for damaged files, and what we decide:
 * - MP3 cut in half: NO error, only the warning "filesize and duration do not match (growing
 *   file?)" when a Xing/Info header is present; the header Duration stays at the full length
 *   while the decoded time is half. → truncated when that warning appears or the trusted header
 *   duration exceeds the decoded one by more than max(500 ms, 2 %). Without a Xing header the
 *   Duration is "estimated from bitrate" (wrong by 2x for VBR) and is ignored; such a cut MP3 is
 *   indistinguishable from a short one, and is accepted.
 * - MP3 with garbage in the middle: "[mp3float] Header missing" + "Error while decoding stream"
 *   → corrupt (any [error] line after the input opened rejects the file).
 * - OGG Vorbis cut in half: cannot be opened: "End of file". → "not a valid OGG: ffmpeg says: End of file"
 *   (our own Ogg tail check usually fires first with the byte counts).
 * - OGG Opus cut in half: NO message at all; the partial last page is silently dropped. → our
 *   Ogg tail check (./ogg-tail.ts) sees that the last page runs past the end of the file.
 * - OGG with garbage: "CRC mismatch!" (5.1) or "Vorbis parser: Invalid packet" / "Error decoding
 *   an Opus frame" (4.1) → corrupt.
 * - AMR cut: "Corrupt bitstream" for the partial last frame (5.1) or "Input/output error" (4.1) → corrupt.
 * - AMR with garbage: many "Corrupt bitstream" → corrupt.
 * - M4A cut (moov at the end, ffmpeg's default): "moov atom not found", cannot be opened → invalid.
 * - M4A cut (faststart, moov first): "stream 0, offset 0x…: partial file" + AAC decode errors → corrupt.
 * - M4A with garbage: AAC "Invalid data found when processing input" errors → corrupt.
 * Strict on purpose: a recording with a broken stretch would be transcribed and scored with a
 * gap the agent never caused; the uploader can re-export it.
 *
 * Duration: the decoded duration (exact sample count; what later stages will actually see),
 * capped by the container's own duration when that is trusted — AAC decoding includes the last
 * frame's padding (~0.1 s) that the M4A header excludes.
 *
 * @example
 *   await probeAudioFile('/tmp/upload.mp3', { ffmpegPath: async () => (await locateFfmpeg()).path });
 *   // { format: 'mp3', codec: 'mp3', sampleRate: 8000, channels: 2, durationMs: 3000 }
 */
export async function probeAudioFile(path: string, opts: ProbeAudioOptions): Promise<AudioProbe> {
  const { size } = await stat(path);
  if (size === 0) {
    throw new TingjianError('EMPTY_UPLOAD', 'the file is empty (0 bytes); the upload was interrupted or the recording was never written — upload the recording again');
  }
  const head = await readRange(path, 0, Math.min(size, PROBE_HEAD_BYTES));
  const format = detectAudioFormat(head, path);
  if (!format) {
    const looksLike = describeUnsupported(head);
    throw unsupportedFormat(`unsupported audio format${looksLike ? ` (${looksLike})` : ''}; supported formats are ${SUPPORTED} — convert it, e.g. \`ffmpeg -i in.xxx -ac 1 -ar 16000 out.wav\``, {
      supported: ['wav', 'mp3', 'ogg', 'opus', 'amr', 'm4a'],
    });
  }

  if (format === 'wav') {
    const wav = parseWavHeader(head, size);
    return { format, codec: wav.codec, sampleRate: wav.sampleRate, channels: wav.channels, durationMs: wav.durationMs };
  }

  if (format === 'ogg' || format === 'opus') {
    const tailBytes = Math.min(size, MAX_OGG_PAGE_BYTES + 1024);
    const tail = await readRange(path, size - tailBytes, tailBytes);
    const cut = oggTruncation(tail, size - tailBytes, size);
    if (cut) throw invalidAudio(`the ${FORMAT_LABEL[format]} file is truncated: ${cut}; ${REUPLOAD}`, { format });
  }

  return probeWithFfmpeg(path, size, format, opts);
}

async function probeWithFfmpeg(path: string, size: number, format: AudioFormat, opts: ProbeAudioOptions): Promise<AudioProbe> {
  const label = FORMAT_LABEL[format];
  const ffmpeg = await opts.ffmpegPath();
  const timeoutMs = opts.timeoutMs ?? decodeTimeoutMs(size);
  // `file:` so a name with a colon is never read as a protocol; the whitelist keeps ffmpeg from
  // following references inside the file to anything but local files.
  const input = `file:${path}`;
  const args = ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'level+info', '-protocol_whitelist', 'file', '-i', input, '-map', '0:a:0', '-f', 'null', '-', '-progress', 'pipe:1'];
  const run = await runFfmpeg(ffmpeg, args, { timeoutMs });
  if (run.timedOut) {
    throw new TingjianError('INTERNAL', `ffmpeg did not finish checking the ${label} file within ${Math.round(timeoutMs / 1000)} s; the server may be overloaded — retry later`, {
      format,
      timeoutMs,
    });
  }
  const log = parseFfmpegDecodeLog(run.stderr, run.stdout, input);
  const audio = assertCleanDecode(log, run, format);
  return {
    // Ogg carrying Opus is 'opus' whatever the first page looked like.
    format: format === 'ogg' && audio.codec === 'opus' ? 'opus' : format,
    codec: audio.codec,
    sampleRate: audio.sampleRate,
    channels: audio.channels,
    durationMs: audio.durationMs,
  };
}

/**
 * The verdict on one ffmpeg decoding pass (the probe at ingest, and the decode stage): throws
 * INVALID_AUDIO / UNSUPPORTED_FORMAT saying what is wrong, else returns the stream's facts with
 * the duration actually decoded.
 */
export function assertCleanDecode(
  log: FfmpegDecodeLog,
  run: { code: number | null; stderr: string },
  format: AudioFormat,
): { codec: string; sampleRate: number; channels: number; durationMs: number } {
  const label = FORMAT_LABEL[format];

  if (!log.opened) {
    const said = log.errors[0] ?? (run.code !== 0 ? `exit code ${String(run.code)}` : 'no details');
    throw invalidAudio(`not a valid ${label}: ffmpeg says: ${said}; ${hintFor(said)}`, { format, ffmpeg: log.errors.slice(0, 5) });
  }
  if (!log.audio) {
    throw invalidAudio(`the ${label} file contains no audio stream; upload the call's audio recording`, { format });
  }
  if (log.errors.length > 0 || run.code !== 0) {
    throw corrupt(label, format, log, run.code, /bytes elided\]/.test(run.stderr));
  }
  const truncation = truncationFromDurations(log);
  if (truncation) throw invalidAudio(`the ${label} file is truncated: ${truncation}; ${REUPLOAD}`, { format });

  const decoded = log.decodedDurationMs;
  if (decoded === null || decoded === 0) {
    throw invalidAudio(`the ${label} file contains no audio samples; check the recorder and upload a recording with audio`, { format });
  }
  if (log.audio.channels === null) {
    throw unsupportedFormat(`unsupported channel layout "${log.audio.layout}" in the ${label} file; convert it to mono or stereo, e.g. \`ffmpeg -i in -ac 2 out.wav\``, { format });
  }
  const trusted = trustedContainerDurationMs(log);
  return { codec: log.audio.codec, sampleRate: log.audio.sampleRate, channels: log.audio.channels, durationMs: trusted !== null ? Math.min(decoded, trusted) : decoded };
}

function corrupt(label: string, format: AudioFormat, log: FfmpegDecodeLog, code: number | null, logCapped: boolean): TingjianError {
  const first = log.errors[0] ?? `ffmpeg exited with code ${String(code)}`;
  const promised = trustedContainerDurationMs(log);
  const decoded = log.decodedDurationMs;
  const shortfall = promised !== null && decoded !== null && decoded < promised - 500 ? `; only ${seconds(decoded)} of ${seconds(promised)} could be decoded` : '';
  return invalidAudio(
    `the ${label} file is corrupt or truncated: ffmpeg reported ${log.errors.length || 1}${logCapped ? '+' : ''} error(s) while decoding, first: "${first}"${shortfall}; ${REUPLOAD}`,
    { format, errorCount: log.errors.length, ffmpeg: log.errors.slice(0, 5) },
  );
}

/** The container's own duration when it is measured, not estimated from the bitrate. */
function trustedContainerDurationMs(log: FfmpegDecodeLog): number | null {
  return log.containerDurationEstimated ? null : log.containerDurationMs;
}

/** A cut file whose header still promises the full length (MP3 with a Xing/Info header). */
function truncationFromDurations(log: FfmpegDecodeLog): string | null {
  const promised = trustedContainerDurationMs(log);
  const decoded = log.decodedDurationMs;
  if (promised === null || decoded === null) {
    return log.sizeMismatchWarning ? 'its header declares more audio than the file holds' : null;
  }
  // MP3 headers overstate by encoder delay + padding (up to ~0.2 s at 8 kHz), hence the slack.
  if (log.sizeMismatchWarning || promised - decoded > Math.max(500, promised * 0.02)) {
    return `its header declares ${seconds(promised)} but only ${seconds(decoded)} of audio could be decoded`;
  }
  return null;
}

/** ffmpeg decodes speech codecs at hundreds of times real time; allow for a busy machine. */
export function decodeTimeoutMs(sizeBytes: number): number {
  const perMiB = 10_000;
  return Math.min(15 * 60_000, 15_000 + Math.ceil(sizeBytes / (1024 * 1024)) * perMiB);
}

function hintFor(ffmpegSays: string): string {
  if (/moov atom not found/i.test(ffmpegSays)) {
    return `the M4A index (moov atom) is missing, so the file was cut off or never finalized by the recorder; ${REUPLOAD}`;
  }
  if (/end of file|partial file|truncat/i.test(ffmpegSays)) return `the file appears truncated; ${REUPLOAD}`;
  return `the file is damaged or is not really this format; ${REUPLOAD}, or convert it to WAV`;
}

/** A few common non-audio or unsupported files, so the error can say what was uploaded. */
function describeUnsupported(head: Buffer): string | null {
  const s = head.toString('latin1', 0, 16);
  if (s.startsWith('fLaC')) return 'looks like FLAC';
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xf6) === 0xf0) return 'looks like raw ADTS AAC';
  if (s.startsWith('\x1a\x45\xdf\xa3')) return 'looks like Matroska/WebM';
  if (s.startsWith('RIFF') && s.slice(8, 12) !== 'WAVE') return `looks like RIFF ${s.slice(8, 12).trim()}, not WAVE`;
  if (s.startsWith('%PDF')) return 'looks like a PDF document';
  if (s.startsWith('PK\x03\x04')) return 'looks like a ZIP archive';
  if (/^\s*[<{[]/.test(s)) return 'looks like a text document (HTML/XML/JSON)';
  if (looksLikeText(head.subarray(0, 512))) return 'looks like plain text';
  return null;
}

/** Valid UTF-8 (a cut multi-byte character at the end is fine) with no control characters but tab/CR/LF. */
function looksLikeText(sample: Buffer): boolean {
  if (sample.length === 0) return false;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    // eslint-disable-next-line no-control-regex -- control characters are exactly what marks binary data
    return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text);
  } catch {
    return false;
  }
}

async function readRange(path: string, position: number, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, position);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
