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
// The browser tests (test/e2e/console-*) drive the built console: build it once here when its
// sources are newer than dist/console (a clean clone has none), not in each test file at once.
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}
if (files.some((f) => f.startsWith('test/e2e/console-'))) {
  const index = path.join(root, 'dist/console/index.html');
  const built = (() => {
    try {
      return statSync(index).mtimeMs;
    } catch {
      return 0;
    }
  })();
  const sources = Math.max(newest(path.join(root, 'console/src')), statSync(path.join(root, 'console/index.html')).mtimeMs, statSync(path.join(root, 'console/vite.config.ts')).mtimeMs);
  if (built < sources) {
    console.error('building the console (dist/console) for the browser tests…');
    const b = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) process.exit(b.status ?? 1);
  }
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
});
process.exit(r.status ?? 1);
