import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMediaServices } from '../app/media-services.js';
import type { Config } from '../config/config.js';
import { decodeToPcmWav } from '../decode/decode-audio.js';
import { pcmFromWav } from '../decode/pcm-audio.js';
import { invalidTranscript } from '../domain/errors.js';
import type { Transcript } from '../domain/transcript.js';
import { analyzeText } from '../enrich/analyze-text.js';
import { signalsFromAudio } from '../enrich/audio-signals.js';
import { textAnalyzersFrom } from '../enrich/text-analyzers.js';
import { signalsFromTranscript } from '../enrich/transcript-signals.js';
import { probeAudioFile } from '../ingest/audio-probe/probe-audio.js';
import { judgeCall } from '../inspect/judge/judge-call.js';
import type { CompiledRuleSet } from '../rules/compile/compiled-rule-set.js';
import { hashStream } from '../platform/hash-stream.js';
import { callDurationMs, channelRolesFor } from '../ingest/call-facts.js';
import { readJsonFile } from '../ingest/discover-inputs.js';
import { parseCallInput } from '../ingest/parse-call-input.js';
import { applyCorrections } from '../transcribe/correction/apply-corrections.js';
import type { CurrentDictionary } from '../transcribe/correction/correction-service.js';
import { transcribeWithEngine } from '../transcribe/transcribe-with-engine.js';
import { measureVoiceActivity } from '../vad/measure-voice-activity.js';
import type { AnalysisDocument } from './analysis-document.schema.js';
import { toAnalysisDocument } from './to-document.js';

/**
 * One-shot analysis of a transcript JSON or a recording (with its sidecar `<name>.json` if any),
 * storing nothing: the same functions as the pipeline's stages — decode, voice activity, ASR when
 * an engine is configured and no transcript came with the file, signals — on a temporary folder
 * that is removed after — and judging with the given rule set (inspect).
 * @example await analyzeFile('call.wav', loadConfig())
 */
export async function analyzeFile(file: string, config: Config, opts: { dictionary?: CurrentDictionary; rules?: CompiledRuleSet } = {}): Promise<AnalysisDocument> {
  const isJson = path.extname(file).toLowerCase() === '.json';
  const sidecar = file.slice(0, file.length - path.extname(file).length) + '.json';
  const input = isJson ? await readJsonFile(file) : (await stat(sidecar).catch(() => null))?.isFile() ? await readJsonFile(sidecar) : {};
  const parsed = parseCallInput(input, config);
  if (isJson && !parsed.segments?.length) throw invalidTranscript(`${file} has no "segments": a transcript needs at least one segment`);
  const scratch = isJson ? null : await mkdtemp(path.join(os.tmpdir(), 'tingjian-analyze-'));
  const media = scratch ? await createMediaServices(config, { decodedDir: scratch }) : null;
  const dictionary = opts.dictionary ?? null;
  const textAnalyzers = textAnalyzersFrom(config);
  try {
    const ffmpegPath = () => media!.ffmpegPath();
    const probe = isJson ? null : await probeAudioFile(file, { ffmpegPath });
    const fileStat = isJson ? null : await stat(file);
    const metadata = { ...parsed.metadata, durationMs: callDurationMs(parsed.metadata.durationMs, probe?.durationMs, parsed.segments) };
    const channelRoles = probe ? channelRolesFor(parsed.channelRoles, probe.channels, config.defaultChannelRoles) : [];
    let transcript: Transcript | null = parsed.segments ? { callId: '', engine: 'provided', language: metadata.language, segments: parsed.segments } : null;
    let signals = transcript ? signalsFromTranscript(transcript.segments, metadata, media?.signals) : null;
    if (probe && media && scratch) {
      const wav = path.join(scratch, 'decoded.wav');
      await decodeToPcmWav(file, wav, { ffmpegPath: await ffmpegPath(), format: probe.format });
      const pcm = pcmFromWav(await readFile(wav));
      const activity = await measureVoiceActivity(pcm, channelRoles, media.withVad);
      const engine = transcript ? null : await media.asr();
      const diarizer = engine && channelRoles.includes('unknown') ? await media.diarizer() : null;
      const hotwords = dictionary?.compiled.terms.map((t) => t.term);
      if (engine) transcript = await transcribeWithEngine(engine, pcm, activity, { callId: '', language: metadata.language, diarizer, ...(hotwords ? { hotwords } : {}) });
      signals = signalsFromAudio(activity, transcript, media.signals);
    }
    if (transcript) transcript = applyCorrections(transcript, dictionary, metadata.channel).transcript;
    const text = transcript ? analyzeText(transcript.segments, textAnalyzers()) : null;
    const inspection = opts.rules ? judgeCall(opts.rules, { call: metadata, transcript, signals }) : null;
    return toAnalysisDocument({
      metadata,
      recording:
        probe && fileStat
          ? {
              ...probe,
              channelRoles,
              sha256: (await hashStream(createReadStream(file))).sha256,
              sizeBytes: fileStat.size,
              originalName: path.basename(file),
            }
          : null,
      transcript,
      signals,
      text,
      inspection,
    });
  } finally {
    await media?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
