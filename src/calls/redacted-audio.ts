import { createHash } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { TingjianError } from '../domain/errors.js';
import { redactAudio } from '../enrich/pii/redact-audio.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/repositories.js';
import { notFound } from '../domain/errors.js';
import type { Lease, RedactedAudioCache } from './redacted-audio-cache.js';

export type AudioRedaction = 'tone' | 'silence';

/**
 * A copy of a call's recording with the personal data said in it covered (a 1 kHz tone or
 * silence over each PII span of the text analysis, padded), for playback: 16-bit PCM WAV made in
 * a scratch folder of the blob store (mode 700, swept at the next start should this process die)
 * and kept a short while in `cache` so a player's range requests share it — the original is never
 * touched. ffmpeg reads the original through withLocalFile: the store's own file, or for an
 * encrypted store a decrypted copy that is removed as soon as the redacted file is made. The
 * caller streams the file, then calls release().
 */
export async function redactedAudioFile(
  db: Database,
  blobs: BlobStore,
  ffmpegPath: () => Promise<string>,
  callId: string,
  mode: AudioRedaction,
  cache: RedactedAudioCache,
): Promise<Lease> {
  const rec = await db.repos.recordings.getByCallId(callId);
  if (!rec) throw notFound('recording of call', callId);
  const text = await db.repos.artifacts.getTextAnalysis(callId);
  if (!text) {
    throw new TingjianError('CONFLICT', `call ${callId} has no text analysis yet (the enrich stage has not run on a transcript), so its personal data is not located; retry when the call is done`, { callId });
  }
  // Everything the copy is made from: a new recording or analysis makes a new copy.
  const spansDigest = createHash('sha256').update(JSON.stringify(text.pii.map((s) => [s.startMs, s.endMs]))).digest('hex');
  const key = [callId, mode, rec.sha256, spansDigest].join('\0');
  return cache.acquire(key, async () => {
    const ffmpeg = await ffmpegPath();
    const dir = await blobs.scratchDir();
    const cleanup = () => rm(dir, { recursive: true, force: true });
    try {
      const file = path.join(dir, 'redacted.wav');
      await blobs.withLocalFile(rec.blobKey, (input) => redactAudio({ input, output: file, spans: text.pii, mode, ffmpegPath: ffmpeg, durationMs: rec.durationMs }));
      return { file, sizeBytes: (await stat(file)).size, spans: text.pii.length, cleanup };
    } catch (e) {
      await cleanup();
      throw e;
    }
  });
}
