import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { invalidMetadata, invalidTranscript } from '../domain/errors.js';
import type { Transcript } from '../domain/transcript.js';
import { signalsFromTranscript } from '../enrich/transcript-signals.js';
import { probeAudioFile } from '../ingest/audio-probe/probe-audio.js';
import { hashStream } from '../platform/hash-stream.js';
import { parseCallInput } from '../ingest/parse-call-input.js';
import type { AnalysisDocument } from './analysis-document.schema.js';
import { toAnalysisDocument } from './to-document.js';

async function readJsonFile(file: string): Promise<unknown> {
  // Read outside the try: a missing file is ENOENT, not "is not valid JSON: ENOENT …".
  // Without the UTF-8 BOM Windows tools write, as ingest reads it (discover-inputs.ts).
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw invalidMetadata(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

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
  // Same rule as CallIngestService.store: a transcript-only call lasts until its last segment ends
  // (analyze said null here while ingest stored the transcript's length for the same file).
  const lastEnd = parsed.segments?.reduce((m, seg) => Math.max(m, seg.endMs), 0) ?? null;
  const metadata = { ...parsed.metadata, durationMs: parsed.metadata.durationMs ?? probe?.durationMs ?? lastEnd };
  const transcript: Transcript | null = parsed.segments ? { callId: '', engine: 'provided', language: metadata.language, segments: parsed.segments } : null;
  return toAnalysisDocument({
    metadata,
    recording:
      probe && fileStat
        ? {
            ...probe,
            channelRoles: parsed.channelRoles ?? (probe.channels === 1 ? ['unknown'] : Array.from({ length: probe.channels }, (_, i) => opts.defaultChannelRoles[i] ?? 'unknown')),
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
