// Writes docs/schemas/*.schema.json from the zod schemas (see src/analyze/json-schemas.ts).
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { documentedSchemas } from '../src/analyze/json-schemas.js';

const dir = path.resolve(import.meta.dirname, '../docs/schemas');
mkdirSync(dir, { recursive: true });
for (const [file, schema] of Object.entries(documentedSchemas())) {
  writeFileSync(path.join(dir, file), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote docs/schemas/${file}`);
}
