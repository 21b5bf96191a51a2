import type { MultipartFile } from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { storedCallView } from '../../analyze/to-document.js';
import type { AppContext } from '../../app/app-context.js';
import { TingjianError, invalidMetadata } from '../../domain/errors.js';
import type { StagedBlob } from '../../ports/blob-store.js';
import { rateLimit } from '../rate-limit.js';
import { access } from '../auth/route-access.js';
import { showsPii } from '../auth/scoped-call.js';
import { redactCall } from '../../calls/redact-call-detail.js';
import { acceptedSchema } from './call-ingest.schema.js';

/**
 * Read a multipart upload: one file part (the recording) and an optional `metadata` field (JSON).
 * The file is streamed straight into the blob store's staging area; the service commits or discards it.
 */
async function readMultipart(req: FastifyRequest, ctx: AppContext): Promise<{ input: unknown; audio?: StagedBlob; originalName?: string }> {
  let metadataText: string | undefined;
  let audio: StagedBlob | undefined;
  let originalName: string | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (audio) throw new TingjianError('INVALID_REQUEST', 'send one recording per request (found a second file part)');
        audio = await ctx.blobs.stage((part as MultipartFile).file, { maxBytes: ctx.config.maxUploadBytes });
        originalName = part.filename || undefined;
      } else if (part.fieldname === 'metadata') {
        // A second `metadata` field used to overwrite the first silently (last one won): refuse it.
        if (metadataText !== undefined) throw new TingjianError('INVALID_REQUEST', 'the "metadata" field was sent twice: send the call metadata once, as one JSON object');
        metadataText = String(part.value);
      } else {
        throw invalidMetadata(`unknown form field "${part.fieldname}": send the recording as a file part and its metadata as the "metadata" field (JSON)`);
      }
    }
    let input: unknown = {};
    if (metadataText !== undefined && metadataText.trim() !== '') {
      try {
        input = JSON.parse(metadataText);
      } catch (e) {
        throw invalidMetadata(`the "metadata" field is not valid JSON: ${(e as Error).message}`);
      }
    }
    if (!audio) throw new TingjianError('INVALID_REQUEST', 'the multipart upload has no file part: attach the recording (e.g. -F audio=@call.wav)');
    return { input, audio, ...(originalName ? { originalName } : {}) };
  } catch (e) {
    await audio?.discard();
    // busboy's own errors (no boundary, body cut short) carry no code: the request is malformed.
    // Ours (TingjianError), Fastify's limits (FST_…) and file-system errors (ENOSPC…) keep theirs.
    if (e instanceof Error && !(e instanceof TingjianError) && typeof (e as NodeJS.ErrnoException).code !== 'string') {
      throw new TingjianError('INVALID_REQUEST', `the multipart body is malformed: ${e.message}; send multipart/form-data with one file part and an optional "metadata" field`);
    }
    throw e;
  }
}

/** POST /api/v1/calls: multipart (audio + metadata) or a transcript-only JSON body. */
export const callIngestRoutes = (ctx: AppContext): FastifyPluginAsyncZod => async (app) => {
  app.post(
    '/api/v1/calls',
    {
      // No bodyLimit of its own: JSON transcripts get the server's (maxJsonMb); recordings stream past it (maxUploadMb).
      config: { ...access('calls:ingest', 'call.ingest'), ...rateLimit('upload') },
      schema: {
        tags: ['calls'],
        summary: 'Ingest a call',
        description:
          'multipart/form-data with one file part (WAV, MP3, OGG/Opus, AMR, M4A) and an optional `metadata` field (JSON, see docs/schemas/call-input.schema.json); ' +
          'or application/json in the transcript input format (docs/schemas/transcript-input.schema.json). Idempotent on externalId and on the recording sha256.',
        response: { 200: acceptedSchema, 201: acceptedSchema },
      },
    },
    async (req, reply) => {
      // Fastify also parses text/plain bodies (into a string), which would then be reported as
      // bad metadata; the transcript body must be JSON, so say that instead.
      if (!req.isMultipart() && typeof req.body === 'string') {
        throw new TingjianError('INVALID_REQUEST', `send multipart/form-data (audio + metadata) or application/json (transcript), not ${req.headers['content-type'] ?? 'this content type'}`);
      }
      const upload = req.isMultipart() ? await readMultipart(req, ctx) : { input: req.body };
      if (!req.isMultipart() && (upload.input === undefined || upload.input === null)) {
        throw new TingjianError('INVALID_REQUEST', 'send multipart/form-data (audio + metadata) or a JSON transcript body');
      }
      const result = await ctx.ingest.accept(upload);
      void reply.code(result.created ? 201 : 200);
      // A re-sent call answers with the stored one: masked like any read for a role without pii:view.
      const call = showsPii(req) ? result.call : redactCall(result.call);
      return { call: storedCallView(call), created: result.created, ...(result.matchedBy ? { matchedBy: result.matchedBy } : {}) };
    },
  );
};
