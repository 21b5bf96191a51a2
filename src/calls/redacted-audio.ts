import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { TingjianError } from '../domain/errors.js';
import { redactAudio } from '../enrich/pii/redact-audio.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Database } from '../ports/repositories.js';
import { notFound } from '../domain/errors.js';

export type AudioRedaction = 'tone' | 'silence';

/**
 * A copy of a call's recording with the personal data said in it covered (a 1 kHz tone or
 * silence over each PII span of the text analysis, padded), for exports: made on request in a
 * temporary folder — the original is never touched — as 16-bit PCM WAV. The caller streams the
 * file and then calls cleanup().
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
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tingjian-redact-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const input = path.join(dir, `original.${rec.format}`);
    await pipeline(blobs.read(rec.blobKey), createWriteStream(input));
    const file = path.join(dir, 'redacted.wav');
    await redactAudio({ input, output: file, spans: text.pii, mode, ffmpegPath: await ffmpegPath(), durationMs: rec.durationMs });
    return { file, spans: text.pii.length, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
