import type { Recording } from '../domain/recording.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { DecodedAudioStore } from '../ports/decoded-audio-store.js';
import { decodeToPcmWav, type DecodeReport } from './decode-audio.js';
import type { PcmAudio } from './pcm-audio.js';

export interface DecodeDeps {
  blobs: BlobStore;
  decoded: DecodedAudioStore;
  ffmpegPath(): Promise<string>;
}

/** Decode the call's original into the decoded-audio store (replacing what was there). */
export async function decodeRecording(callId: string, recording: Recording, deps: DecodeDeps): Promise<DecodeReport> {
  const ffmpegPath = await deps.ffmpegPath();
  const staged = await deps.decoded.stage(callId);
  try {
    const report = await deps.blobs.withLocalFile(recording.blobKey, (original) => decodeToPcmWav(original, staged.path, { ffmpegPath, format: recording.format }));
    await staged.commit();
    return report;
  } catch (e) {
    await staged.discard();
    throw e;
  }
}

/**
 * The call's 16 kHz PCM: from the decoded-audio store, or decoded again when it is gone (another
 * machine ran the decode stage, or the scratch copy was cleaned) — decoding is deterministic.
 */
export async function loadPcm(callId: string, recording: Recording, deps: DecodeDeps): Promise<PcmAudio> {
  const cached = await deps.decoded.read(callId);
  if (cached) return cached;
  await decodeRecording(callId, recording, deps);
  const decoded = await deps.decoded.read(callId);
  if (!decoded) throw new Error(`decoded audio of call ${callId} vanished right after decoding`);
  return decoded;
}
