/**
 * Reads what `ffmpeg -hide_banner -nostdin -nostats -loglevel level+info -i FILE -map 0:a:0 -f null - -progress pipe:1`
 * printed. `level+` prefixes every log line with its level (`[error]`, `[warning]`, `[info]`), so
 * errors are told from information without guessing from wording; `-progress pipe:1` puts
 * machine-readable `out_time_us=` lines on stdout. Both work in ffmpeg 4.1 (the npm static build)
 * through 7.x. Pure: text in, facts out.
 */
export interface FfmpegDecodeLog {
  /** ffmpeg printed "Input #0": the container was recognised and opened. */
  opened: boolean;
  /** Messages of `[error]`/`[fatal]`/`[panic]` lines, prefixes and the file path stripped, in order. */
  errors: string[];
  /** First audio stream of input #0, when there is one. */
  audio: { codec: string; sampleRate: number; channels: number | null; layout: string } | null;
  /** `Duration:` of input #0 in ms, or null when N/A. */
  containerDurationMs: number | null;
  /** ffmpeg warned "Estimating duration from bitrate": the container duration is a guess. */
  containerDurationEstimated: boolean;
  /** ffmpeg's MP3 demuxer warned "filesize and duration do not match": the Xing/VBRI header promises more than the file holds. */
  sizeMismatchWarning: boolean;
  /** Duration actually decoded, from the last `out_time_us=` on stdout, or null. */
  decodedDurationMs: number | null;
}

/**
 * @example
 *   parseFfmpegDecodeLog(stderr, stdout, '/data/in.mp3').audio; // { codec: 'mp3', sampleRate: 8000, channels: 2, layout: 'stereo' }
 */
export function parseFfmpegDecodeLog(stderr: string, stdout: string, inputPath: string): FfmpegDecodeLog {
  const lines = stderr.split(/\r\n|\r|\n/);
  // Only the input section describes the file; the output section repeats "Stream #0:0: Audio: pcm_s16le".
  const outputAt = lines.findIndex((l) => /\bOutput #0\b|\bStream mapping:/.test(l));
  const inputLines = outputAt >= 0 ? lines.slice(0, outputAt) : lines;

  const errors: string[] = [];
  for (const line of lines) {
    const m = /^(?:\[[^\]]*\] )?\[(error|fatal|panic)\] (.*)$/.exec(line);
    if (m) errors.push(stripPath(m[2]!.trim(), inputPath));
  }

  let audio: FfmpegDecodeLog['audio'] = null;
  let containerDurationMs: number | null = null;
  for (const line of inputLines) {
    const d = /Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(line);
    if (d && containerDurationMs === null) {
      containerDurationMs = Math.round((Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3])) * 1000);
    }
    const s = /Stream #0:\d+\S*: Audio: (.*)$/.exec(line);
    if (s && !audio) audio = parseAudioStreamDescription(s[1]!);
  }

  let decodedDurationMs: number | null = null;
  for (const m of stdout.matchAll(/^out_time_(?:us|ms)=(-?\d+)\s*$/gm)) {
    // out_time_ms is also microseconds (a long-standing ffmpeg misnomer); older builds lack out_time_us.
    const us = Number(m[1]);
    if (us >= 0) decodedDurationMs = Math.round(us / 1000);
  }

  return {
    opened: lines.some((l) => /\bInput #0, /.test(l)),
    errors,
    audio,
    containerDurationMs,
    containerDurationEstimated: /Estimating duration from bitrate/.test(stderr),
    sizeMismatchWarning: /filesize and duration do not match/.test(stderr),
    decodedDurationMs,
  };
}

/**
 * "aac (LC) (mp4a / 0x6134706D), 8000 Hz, mono, fltp, 27 kb/s (default)" →
 * codec aac, 8000 Hz, 1 channel. The codec is the first word (ffmpeg 6+ adds "(mp3float)" after it).
 */
function parseAudioStreamDescription(desc: string): NonNullable<FfmpegDecodeLog['audio']> | null {
  const parts = desc.split(', ');
  const codec = parts[0]?.split(' ')[0];
  const rate = /^(\d+) Hz$/.exec(parts[1] ?? '');
  if (!codec || !rate) return null;
  const layout = (parts[2] ?? '').trim();
  return { codec, sampleRate: Number(rate[1]), channels: channelCount(layout), layout };
}

/** ffmpeg's named channel layouts (libavutil/channel_layout.c) and the "N channels" form. */
const LAYOUT_CHANNELS: Record<string, number> = {
  mono: 1,
  stereo: 2,
  downmix: 2,
  '2.1': 3,
  '3.0': 3,
  '3.0(back)': 3,
  '4.0': 4,
  quad: 4,
  'quad(side)': 4,
  '3.1': 4,
  '5.0': 5,
  '5.0(side)': 5,
  '4.1': 5,
  '5.1': 6,
  '5.1(side)': 6,
  '6.0': 6,
  '6.0(front)': 6,
  '3.1.2': 6,
  hexagonal: 6,
  '6.1': 7,
  '6.1(back)': 7,
  '6.1(front)': 7,
  '7.0': 7,
  '7.0(front)': 7,
  '7.1': 8,
  '7.1(wide)': 8,
  '7.1(wide-side)': 8,
  '5.1.2': 8,
  '7.1(top)': 8,
  octagonal: 8,
  cube: 8,
  '5.1.4': 10,
  '7.1.2': 10,
  '7.1.4': 12,
  '7.2.3': 12,
  '9.1.4': 14,
  hexadecagonal: 16,
  '22.2': 24,
};

function channelCount(layout: string): number | null {
  const named = LAYOUT_CHANNELS[layout];
  if (named !== undefined) return named;
  const n = /^(\d+) channels\b/.exec(layout);
  return n ? Number(n[1]) : null;
}

/** ffmpeg names the input path in some errors; drop it so server paths never reach users. */
function stripPath(message: string, inputPath: string): string {
  for (const prefix of [`${inputPath}: `, `'${inputPath}': `]) {
    if (message.startsWith(prefix)) return message.slice(prefix.length);
  }
  return inputPath ? message.split(inputPath).join('<input>') : message;
}
