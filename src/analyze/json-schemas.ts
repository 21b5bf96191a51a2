import { z } from 'zod';
import { callInputSchema, callMetadataInputSchema, transcriptInputSchema } from '../ingest/call-input.schema.js';
import { correctionDictionarySchema } from '../transcribe/correction/correction-dictionary.schema.js';
import { analysisDocumentSchema } from './analysis-document.schema.js';

/**
 * The documented contracts as JSON Schema, generated from the zod schemas the code validates
 * with — so the docs cannot drift from the behaviour. Written to docs/schemas/ by
 * `npm run docs:schemas`; test/integration/json-schemas.test.ts fails when they are stale.
 */
export function documentedSchemas(): Record<string, object> {
  const make = (schema: z.ZodType, title: string, description: string, io: 'input' | 'output') => ({
    $id: `urn:tingjian:schema:${title}`,
    title,
    description,
    ...z.toJSONSchema(schema, { io, unrepresentable: 'any' }),
  });
  return {
    'analysis-document.schema.json': make(analysisDocumentSchema, 'analysis-document', 'What `tingjian analyze --json` prints and GET /api/v1/calls/:id serves (plus id, status and stages there). Fields a later stage computes are null until it runs.', 'output'),
    'transcript-input.schema.json': make(transcriptInputSchema, 'transcript-input', 'A call transcribed elsewhere, or a chat: call metadata plus segments. Accepted by POST /api/v1/calls (application/json), `tingjian ingest` (a .json file) and `tingjian analyze`.', 'input'),
    'call-input.schema.json': make(callInputSchema, 'call-input', 'Metadata for a recording: a sidecar <name>.json, the multipart `metadata` field, or a manifest row. May carry `segments` (a provided transcript). Unknown fields are rejected; put integrator fields in `extra`.', 'input'),
    'call-metadata.schema.json': make(callMetadataInputSchema, 'call-metadata', 'The call metadata fields alone.', 'input'),
    'correction-dictionary.schema.json': make(correctionDictionarySchema, 'correction-dictionary', 'The ASR correction dictionary: business terms fixed after transcription by pinyin similarity. PUT /api/v1/correction-dictionary or `tingjian dictionary set <file>`; every save is a new version. Unknown fields are rejected; a word may be a term, an alias or a keep word of one entry only.', 'input'),
  };
}
