import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { invalidTranscript } from '../domain/errors.js';
import type { Transcript } from '../domain/transcript.js';
import { signalsFromTranscript } from '../enrich/transcript-signals.js';
import { probeAudioFile } from '../ingest/audio-probe/probe-audio.js';
import { hashStream } from '../platform/hash-stream.js';
import { callDurationMs, channelRolesFor } from '../ingest/call-facts.js';
import { readJsonFile } from '../ingest/discover-inputs.js';
import { parseCallInput } from '../ingest/parse-call-input.js';
import type { AnalysisDocument } from './analysis-document.schema.js';
import { toAnalysisDocument } from './to-document.js';

/**
 * One-shot analysis of a transcript JSON or a recording (with its sidecar `<name>.json` if any),
 * storing nothing. The same stage functions as the pipeline produce the document.
 * @example await analyzeFile('call.json', { ffmpegPath, defaultUtcOffset: '+08:00', defaultChannelRoles: ['agent', 'customer'] })
 */
export async function analyzeFile(
  file: string,
  opts: { ffmpegPath: () => Promise<string>; defaultUtcOffset: string; defaultChannelRoles: Array<'agent' | 'customer' | 'unknown'> },
): Promise<AnalysisDocument> {
  const isJson = path.extname(file).toLowerCase() === '.json';
  const sidecar = file.slice(0, file.length - path.extname(file).length) + '.json';
  const input = isJson ? await readJsonFile(file) : (await stat(sidecar).catch(() => null))?.isFile() ? await readJsonFile(sidecar) : {};
  const parsed = parseCallInput(input, opts);
  if (isJson && !parsed.segments?.length) throw invalidTranscript(`${file} has no "segments": a transcript needs at least one segment`);
  const probe = isJson ? null : await probeAudioFile(file, opts);
  const fileStat = isJson ? null : await stat(file);
  const metadata = { ...parsed.metadata, durationMs: callDurationMs(parsed.metadata.durationMs, probe?.durationMs, parsed.segments) };
  const transcript: Transcript | null = parsed.segments ? { callId: '', engine: 'provided', language: metadata.language, segments: parsed.segments } : null;
  return toAnalysisDocument({
    metadata,
    recording:
      probe && fileStat
        ? {
            ...probe,
            channelRoles: channelRolesFor(parsed.channelRoles, probe.channels, opts.defaultChannelRoles),
            sha256: (await hashStream(createReadStream(file))).sha256,
            sizeBytes: fileStat.size,
            originalName: path.basename(file),
          }
        : null,
    transcript,
    signals: transcript ? signalsFromTranscript(transcript.segments, metadata) : null,
    inspection: null,
  });
}
