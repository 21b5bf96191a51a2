#!/usr/bin/env node
// Runs every *.test.ts with node's test runner (through tsx). Node 20 has no glob support for
// --test, so the files are listed here. `--tier unit|integration|e2e` runs one tier:
// unit = beside the code in src/, integration = test/integration + test/contract, e2e = test/e2e.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tierArg = process.argv.indexOf('--tier');
const tier = tierArg > 0 ? process.argv[tierArg + 1] : 'all';
const only = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--tier');

function find(dir, out = []) {
  for (const e of readdirSync(dir)) {
    if (e === 'node_modules' || e.startsWith('.')) continue;
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) find(p, out);
    else if (e.endsWith('.test.ts')) out.push(path.relative(root, p));
  }
  return out;
}

const tierOf = (f) => (f.startsWith('src/') ? 'unit' : f.startsWith('test/e2e/') ? 'e2e' : 'integration');
let files = [...find(path.join(root, 'src')), ...find(path.join(root, 'test'))].sort();
if (tier !== 'all') files = files.filter((f) => tierOf(f) === tier);
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
if (files.length === 0) {
  console.error(`no test files for tier ${tier}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
});
process.exit(r.status ?? 1);
