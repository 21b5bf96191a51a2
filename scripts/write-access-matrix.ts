// Writes the roles × permissions and routes × roles tables into docs/security.md, from the
// server's own route declarations (src/access/access-matrix.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { MATRIX_END, MATRIX_START, renderAccessMatrix } from '../src/access/access-matrix.js';
import { createAppContext } from '../src/app/app-context.js';
import { loadConfig } from '../src/config/config.js';
import { buildServer } from '../src/http/build-server.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tingjian-access-matrix-'));
const ctx = await createAppContext(loadConfig({ env: {}, overrides: { dataDir } }), pino({ level: 'silent' }), { workers: false });
try {
  const server = await buildServer(ctx);
  await server.ready();
  const file = path.resolve(import.meta.dirname, '../docs/security.md');
  const doc = readFileSync(file, 'utf8');
  const table = renderAccessMatrix(server.accessTable);
  const start = doc.indexOf(MATRIX_START);
  const end = doc.indexOf(MATRIX_END);
  const next =
    start >= 0 && end > start
      ? doc.slice(0, start) + table + doc.slice(end + MATRIX_END.length)
      : `${doc.trimEnd()}\n\n## Who may do what (route × role matrix)\n\nEvery route declares what it needs; one authorisation check enforces it (src/http/auth/authorization.ts), and a route without a declaration stops the server from starting. test/e2e/http-route-role-matrix.test.ts reads this table back and checks every route × role against the running server.\n\n${table}\n`;
  writeFileSync(file, next);
  console.log(`wrote the access matrix (${server.accessTable.length} routes) into docs/security.md`);
  await server.close();
} finally {
  await ctx.close();
  rmSync(dataDir, { recursive: true, force: true });
}
