import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { documentedSchemas } from '../../src/analyze/json-schemas.js';

test('docs/schemas/*.json match the schemas the code validates with (run `npm run docs:schemas` after a change)', () => {
  for (const [file, schema] of Object.entries(documentedSchemas())) {
    const onDisk = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../docs/schemas', file), 'utf8')) as unknown;
    assert.deepEqual(onDisk, JSON.parse(JSON.stringify(schema)), `${file} is stale`);
  }
});

test('the transcript input schema documents the issue’s format', () => {
  const s = documentedSchemas()['transcript-input.schema.json'] as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
  for (const field of ['externalId', 'channel', 'businessLine', 'agentId', 'startedAt', 'durationMs', 'metadata', 'segments']) assert.ok(field in s.properties, field);
  assert.deepEqual(s.required, ['segments']);
  assert.equal(s.additionalProperties, false);
});
