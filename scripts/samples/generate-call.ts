/** One sample call: its WAV and its JSON sidecar, whose segments are where each utterance was placed. */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callInputSchema, type CallInput } from '../../src/ingest/call-input.schema.js';
import type { CallScript } from '../../samples/call-scripts.js';
import { hashString, makeRng } from './rng.js';
import { pickVoices, synthesize } from './speech-synthesis.js';
import { encodeMulawWav, inspectWav, mixStereo } from './stereo-mulaw-wav.js';
import { SAMPLE_RATE, SAMPLES_PER_MS } from './telephone-format.js';
import { layOut, type PlacedUtterance } from './timeline-layout.js';

function buildSidecar(script: CallScript, placed: PlacedUtterance[], durationMs: number): CallInput {
  const sidecar: CallInput = {
    externalId: script.externalId,
    channel: 'phone',
    direction: script.direction,
    startedAt: script.startedAt,
    durationMs,
    agentId: script.agentId,
    teamId: script.teamId,
    businessLine: script.businessLine,
    customerPhone: script.customerPhone,
    customerTags: script.customerTags,
    consultType: script.consultType,
    language: 'zh-CN',
    channelRoles: ['agent', 'customer'],
    extra: { scenario: script.scenario, problems: script.problems.length > 0 ? script.problems.join(',') : 'none' },
    segments: placed
      .map(({ turn, startSample, samples }) => ({
        speaker: turn.speaker,
        startMs: Math.round(startSample / SAMPLES_PER_MS),
        endMs: Math.round((startSample + samples.length) / SAMPLES_PER_MS),
        text: turn.text,
      }))
      .sort((x, y) => x.startMs - y.startMs),
  };
  return callInputSchema.parse(sidecar);
}

export function generateCall(script: CallScript, outDir: string, workDir: string): { durationMs: number; bytes: number } {
  const rng = makeRng(hashString(script.externalId));
  const voices = pickVoices(script, rng);
  const audio = script.turns.map((t) => synthesize(t.say ?? t.text, voices[t.speaker], workDir));
  const { placed, totalSamples } = layOut(script, audio, rng);

  const wavPath = join(outDir, `${script.externalId}.wav`);
  encodeMulawWav(mixStereo(placed, totalSamples, rng), wavPath);
  const wav = inspectWav(wavPath);
  if (wav.formatTag !== 7 || wav.channels !== 2 || wav.sampleRate !== SAMPLE_RATE) {
    throw new Error(`${wavPath}: expected stereo 8 kHz μ-law, got tag ${wav.formatTag}, ${wav.channels} ch, ${wav.sampleRate} Hz`);
  }

  const sidecar = buildSidecar(script, placed, wav.durationMs);
  const lastEnd = Math.max(...(sidecar.segments ?? []).map((s) => s.endMs));
  if (lastEnd > wav.durationMs) throw new Error(`${script.externalId}: a segment ends after the audio`);
  writeFileSync(join(outDir, `${script.externalId}.json`), `${JSON.stringify(sidecar, null, 2)}\n`);
  return { durationMs: wav.durationMs, bytes: statSync(wavPath).size };
}
