import path from 'node:path';
import { LocalDecodedAudioStore } from '../adapters/blob/local-decoded-audio-store.js';
import { createAsrEngine } from '../adapters/asr/create-asr-engine.js';
import { locateFfmpeg } from '../adapters/ffmpeg/locate-ffmpeg.js';
import { createVad, vadSettingsFrom } from '../adapters/vad/create-vad.js';
import type { Config } from '../config/config.js';
import type { SignalSettings } from '../enrich/signal-settings.js';
import type { MediaServices } from '../pipeline/stage-handler.js';
import type { AsrEngine } from '../ports/asr-engine.js';
import type { VoiceActivityDetector } from '../ports/voice-activity-detector.js';

export function signalSettingsFrom(config: Config): SignalSettings {
  return { minSilenceMs: config.silenceMinMs, minOverlapMs: 200, interruptAfterMs: config.interruptionMinMs, minHoldMs: config.holdMinMs };
}

/**
 * Builds the audio services of one process. Detectors are pooled (one per concurrently running
 * job, created on demand); the ASR engine is created on first use and shared — engines run their
 * own worker pools.
 */
export async function createMediaServices(config: Config, opts: { decodedDir?: string } = {}): Promise<MediaServices> {
  const decoded = new LocalDecodedAudioStore(opts.decodedDir ?? path.join(config.dataDir, 'decoded'));
  await decoded.init();
  const settings = vadSettingsFrom(config);
  const idle: VoiceActivityDetector[] = [];
  const all: VoiceActivityDetector[] = [];
  let engine: Promise<AsrEngine | null> | null = null;

  return {
    decoded,
    ffmpegPath: async () => (await locateFfmpeg(config.ffmpegPath)).path,
    async withVad(fn) {
      let vad = idle.pop();
      if (!vad) {
        vad = await createVad(config.vad, settings);
        all.push(vad);
      }
      try {
        return await fn(vad);
      } finally {
        idle.push(vad);
      }
    },
    asr() {
      engine ??= (async () => {
        const e = createAsrEngine(config);
        if (e) await e.check();
        return e;
      })();
      // A failed check is not cached: the operator may fix the model folder without a restart.
      return engine.catch((err: unknown) => {
        engine = null;
        throw err;
      });
    },
    signals: signalSettingsFrom(config),
    async close() {
      for (const v of all) v.close();
      const e = await engine?.catch(() => null);
      await e?.close();
    },
  };
}
