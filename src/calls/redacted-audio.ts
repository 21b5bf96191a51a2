import { rm } from 'node:fs/promises';
import path from 'node:path';
import { TingjianError } from '../domain/errors.js';
import { redactAudio } from '../enrich/pii/redact-audio.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/repositories.js';
import { notFound } from '../domain/errors.js';

export type AudioRedaction = 'tone' | 'silence';

/**
 * A copy of a call's recording with the personal data said in it covered (a 1 kHz tone or
 * silence over each PII span of the text analysis, padded), for playback and exports: made on
 * request as 16-bit PCM WAV in a scratch folder of the blob store (mode 700, swept at the next
 * start should this process die) — the original is never touched. ffmpeg reads the original
 * through withLocalFile: the store's own file, or for an encrypted store a decrypted copy that is
 * removed as soon as the redacted file is made, not kept while it is downloaded. The caller
 * streams the file and then calls cleanup().
 */
export async function redactedAudioFile(
  db: Database,
  blobs: BlobStore,
  ffmpegPath: () => Promise<string>,
  callId: string,
  mode: AudioRedaction,
): Promise<{ file: string; spans: number; cleanup: () => Promise<void> }> {
  const rec = await db.repos.recordings.getByCallId(callId);
  if (!rec) throw notFound('recording of call', callId);
  const text = await db.repos.artifacts.getTextAnalysis(callId);
  if (!text) {
    throw new TingjianError('CONFLICT', `call ${callId} has no text analysis yet (the enrich stage has not run on a transcript), so its personal data is not located; retry when the call is done`, { callId });
  }
  const ffmpeg = await ffmpegPath();
  const dir = await blobs.scratchDir();
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const file = path.join(dir, 'redacted.wav');
    await blobs.withLocalFile(rec.blobKey, (input) => redactAudio({ input, output: file, spans: text.pii, mode, ffmpegPath: ffmpeg, durationMs: rec.durationMs }));
    return { file, spans: text.pii.length, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
