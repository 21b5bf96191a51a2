import { textAnalyzersFrom } from '../enrich/text-analyzers.js';
import path from 'node:path';
import { LocalDecodedAudioStore } from '../adapters/blob/local-decoded-audio-store.js';
import { createAsrEngine } from '../adapters/asr/create-asr-engine.js';
import { locateFfmpeg } from '../adapters/ffmpeg/locate-ffmpeg.js';
import { createVad, vadSettingsFrom } from '../adapters/vad/create-vad.js';
import type { Config } from '../config/config.js';
import type { SignalSettings } from '../enrich/signal-settings.js';
import type { AsrStatus, MediaServices } from '../pipeline/stage-handler.js';
import type { CurrentDictionary } from '../transcribe/correction/correction-service.js';
import type { Logger } from 'pino';
import { createSherpaOnnxDiarizer } from '../adapters/asr/sherpa-onnx/create-sherpa-onnx.js';
import type { VoiceActivityDetector } from '../ports/voice-activity-detector.js';

export function signalSettingsFrom(config: Config): SignalSettings {
  return { minSilenceMs: config.silenceMinMs, minOverlapMs: 200, interruptAfterMs: config.interruptionMinMs, minHoldMs: config.holdMinMs };
}

/**
 * Builds the audio services of one process. Detectors are pooled (one per concurrently running
 * job, created on demand); the ASR engine is created on first use and shared — engines run their
 * own worker pools.
 */
/** A model that failed its check is not remembered: the operator may fix the folder without a restart. */
function checkedOnce<T extends { check(): Promise<void> }>(make: () => T | null): () => Promise<T | null> {
  let made: Promise<T | null> | null = null;
  return () => {
    made ??= (async () => {
      const m = make();
      if (m) await m.check();
      return m;
    })();
    return made.catch((err: unknown) => {
      made = null;
      throw err;
    });
  };
}

export interface MediaServicesOptions {
  /** Scratch folder for decoded audio; default `<dataDir>/decoded`. */
  decodedDir?: string;
  log?: Logger;
  /** Where the correction dictionary comes from: the database's versions, or a fixed one (analyze --dictionary). */
  corrections?: { current(): Promise<CurrentDictionary | null> };
}

export async function createMediaServices(config: Config, opts: MediaServicesOptions = {}): Promise<MediaServices> {
  const decoded = new LocalDecodedAudioStore(opts.decodedDir ?? path.join(config.dataDir, 'decoded'));
  await decoded.init();
  const settings = vadSettingsFrom(config);
  const idle: VoiceActivityDetector[] = [];
  const all: VoiceActivityDetector[] = [];
  const asrCheck = checkedOnce(() => createAsrEngine(config, (m) => opts.log?.info(m)));
  let asrStatus: AsrStatus = { engine: config.asrEngine, state: config.asrEngine === 'none' ? 'none' : 'unchecked' };
  const asr = () =>
    asrCheck().then(
      (e) => {
        if (e) asrStatus = { engine: config.asrEngine, state: 'ready' };
        return e;
      },
      (err: unknown) => {
        asrStatus = { engine: config.asrEngine, state: 'error', error: err instanceof Error ? err.message : String(err) };
        throw err;
      },
    );
  const diarizer = checkedOnce(() => createSherpaOnnxDiarizer(config));
  const made: Array<{ close(): Promise<void> }> = [];
  const remember = <T extends { close(): Promise<void> } | null>(p: Promise<T>) =>
    p.then((m) => {
      if (m && !made.includes(m)) made.push(m);
      return m;
    });

  return {
    decoded,
    ffmpegPath: async () => (await locateFfmpeg(config.ffmpegPath)).path,
    async withVad(fn) {
      let vad = idle.pop();
      if (!vad) {
        vad = await createVad(config.vad, settings, (m) => opts.log?.warn(m));
        all.push(vad);
      }
      try {
        return await fn(vad);
      } finally {
        idle.push(vad);
      }
    },
    asr: () => remember(asr()),
    asrStatus: () => asrStatus,
    diarizer: () => remember(diarizer()),
    corrections: () => opts.corrections?.current() ?? Promise.resolve(null),
    signals: signalSettingsFrom(config),
    text: textAnalyzersFrom(config),
    async close() {
      for (const v of all) v.close();
      for (const m of made) await m.close();
    },
  };
}
