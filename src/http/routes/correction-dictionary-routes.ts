import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CorrectionDictionaryVersion, CorrectionDictionaryVersionInfo } from '../../ports/repositories.js';
import { correctionDictionarySchema } from '../../transcribe/correction/correction-dictionary.schema.js';
import type { CorrectionService } from '../../transcribe/correction/correction-service.js';
import { access } from '../auth/route-access.js';

const versionInfoSchema = z.object({
  version: z.number().int(),
  note: z.string().nullable(),
  createdAt: z.string().describe('when it was saved, ISO 8601'),
  createdBy: z.string().nullable().describe('"api" or "cli (<user>)"'),
  terms: z.number().int().describe('how many terms it has'),
});
const versionSchema = versionInfoSchema.extend({ dictionary: correctionDictionarySchema });

const correctionSchema = z.object({
  from: z.string().describe('the text replaced'),
  to: z.string().describe('the term it became'),
  index: z.number().int().describe('where `from` starts in the text sent (UTF-16 code units)'),
  similarity: z.number().describe('pinyin similarity 0..1; 1 for an alias'),
  by: z.enum(['alias', 'pinyin']),
});

const previewBody = z
  .object({
    text: z.string().min(1).max(10_000).describe('a transcript sentence as an ASR engine wrote it'),
    version: z.number().int().positive().optional().describe('a saved version; default the newest'),
    dictionary: z.unknown().optional().describe('a dictionary document not saved yet, to try a term before saving it (see PUT)'),
  })
  .strict();

const info = (v: CorrectionDictionaryVersionInfo) => ({ ...v, createdAt: new Date(v.createdAt).toISOString() });
const withDoc = ({ doc, ...v }: CorrectionDictionaryVersion) => ({ ...info({ ...v, terms: doc.terms.length }), dictionary: doc });

/**
 * The ASR correction dictionary: read the newest or any version, save a new version, list them, and
 * try a dictionary on a sentence. The transcribe stage reads the newest version on its own.
 */
export const correctionDictionaryRoutes = (corrections: CorrectionService): FastifyPluginAsyncZod => async (app) => {
  app.get(
    '/api/v1/correction-dictionary',
    {
      config: access('dictionary:read'),
      schema: {
        tags: ['transcription'],
        summary: 'The newest correction dictionary',
        description: '404 until one is saved (PUT this path, or `tingjian dictionary set <file.json>`).',
        response: { 200: versionSchema },
      },
    },
    async () => withDoc(await corrections.latest()),
  );

  app.put(
    '/api/v1/correction-dictionary',
    {
      config: access('dictionary:write', 'dictionary.publish', 'dictionary'),
      schema: {
        tags: ['transcription'],
        summary: 'Save a correction dictionary as a new version',
        description:
          'The body is the whole dictionary (docs/schemas/correction-dictionary.schema.json; a starter: samples/correction-dictionary.json). ' +
          'Every save is a new version (1, 2, 3…); earlier versions stay readable. New transcripts are corrected with it within seconds. ' +
          '400 names every problem by its path (e.g. `terms.3.aliases: …`), and nothing is stored then.',
        body: correctionDictionarySchema,
        response: { 201: z.object({ version: z.number().int(), terms: z.number().int() }) },
      },
      // The schema above documents the body; the service validates it, so the API and the CLI
      // report the same problems in the same words.
      validatorCompiler: () => (data: unknown) => ({ value: data }),
    },
    async (req, reply) => {
      const saved = await corrections.save(req.body as unknown, { createdBy: 'api', source: 'correction dictionary' });
      void reply.code(201);
      return saved;
    },
  );

  app.get(
    '/api/v1/correction-dictionary/versions',
    {
      config: access('dictionary:read'),
      schema: {
        tags: ['transcription'],
        summary: 'Every saved version of the correction dictionary, newest first',
        response: { 200: z.object({ items: z.array(versionInfoSchema) }) },
      },
    },
    async () => ({ items: (await corrections.list()).map(info) }),
  );

  app.get(
    '/api/v1/correction-dictionary/versions/:version',
    {
      config: access('dictionary:read'),
      schema: {
        tags: ['transcription'],
        summary: 'One saved version of the correction dictionary',
        params: z.object({ version: z.coerce.number().int().positive() }),
        response: { 200: versionSchema },
      },
    },
    async (req) => withDoc(await corrections.get(req.params.version)),
  );

  app.post(
    '/api/v1/correction-dictionary/preview',
    {
      config: access('dictionary:read'),
      schema: {
        tags: ['transcription'],
        summary: 'Try a correction dictionary on a sentence; nothing is stored',
        description: 'With the newest version, a saved `version`, or a `dictionary` not saved yet. `version` in the answer is null for the latter.',
        body: previewBody,
        response: { 200: z.object({ version: z.number().int().nullable(), text: z.string(), corrections: z.array(correctionSchema) }) },
      },
    },
    async (req) => {
      const { text, version, dictionary } = req.body;
      return corrections.preview(text, { ...(version !== undefined ? { version } : {}), ...(dictionary !== undefined ? { dictionary } : {}) });
    },
  );
};
