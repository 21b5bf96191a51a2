import type { z } from 'zod';
import type { acceptedSchema } from '../../../src/http/routes/call-ingest.schema';
import type { StoredCall } from './call-list';
import { api, get, upload } from './client';

/** POST /api/v1/calls answers with the stored call; created is false when the same call was already stored. */
export type IngestResult = z.infer<typeof acceptedSchema>;

/**
 * A recording as multipart: the optional `metadata` field (call metadata JSON, which may carry a
 * transcript: docs/schemas/call-input.schema.json) and one file part; progress 0..1 as it is sent.
 */
export function ingestRecording(file: File, metadataJson: string | undefined, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<IngestResult> {
  const form = new FormData();
  if (metadataJson !== undefined) form.append('metadata', metadataJson);
  form.append('audio', file, file.name);
  return upload<IngestResult>('/api/v1/calls', form, onProgress, signal);
}

/** A transcript without audio, as JSON (docs/schemas/transcript-input.schema.json). */
export const ingestTranscript = (body: unknown) => api<IngestResult>('POST', '/api/v1/calls', { body });

/** The call with its stages (GET /api/v1/calls/:id; only `call` is read here). */
export const fetchCallStatus = async (id: string, signal?: AbortSignal) => (await get<{ call: StoredCall }>(`/api/v1/calls/${encodeURIComponent(id)}`, undefined, signal)).call;
