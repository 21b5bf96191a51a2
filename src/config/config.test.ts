import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from './config.js';

test('defaults: ./data, SQLite inside it, loopback, both services', () => {
  const c = loadConfig({ env: {} });
  assert.equal(c.dataDir, path.resolve('data'));
  assert.equal(c.databaseUrl, `sqlite:${path.resolve('data', 'tingjian.db')}`);
  assert.equal(c.host, '127.0.0.1');
  assert.deepEqual(c.services, ['api', 'worker']);
  assert.equal(c.maxUploadBytes, 512 * 1024 * 1024);
});

test('environment overrides the config file, flags override the environment', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tj-config-'));
  const file = path.join(dir, 'tingjian.json');
  writeFileSync(file, JSON.stringify({ port: 9000, workerConcurrency: 4, dataDir: '/srv/a' }));
  const c = loadConfig({ configFile: file, env: { PORT: '9100', TINGJIAN_SERVICES: 'worker' }, overrides: { dataDir: '/srv/b' } });
  assert.equal(c.port, 9100);
  assert.equal(c.workerConcurrency, 4);
  assert.equal(c.dataDir, '/srv/b');
  assert.deepEqual(c.services, ['worker']);
});

test('every problem is reported at once, naming the variable', () => {
  assert.throws(
    () => loadConfig({ env: { PORT: 'eighty', TINGJIAN_DATABASE_URL: 'mysql://x', TINGJIAN_SERVICES: 'api,cron', TINGJIAN_MAX_UPLOAD_MB: '-1' } }),
    (e: Error & { code?: string }) => {
      assert.equal(e.code, 'CONFIG_INVALID');
      for (const part of ['PORT', 'TINGJIAN_DATABASE_URL', 'TINGJIAN_SERVICES', 'TINGJIAN_MAX_UPLOAD_MB']) assert.match(e.message, new RegExp(part));
      return true;
    },
  );
});

test('an unknown key or broken JSON in the config file is an error, not ignored', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tj-config-'));
  const typo = path.join(dir, 'typo.json');
  writeFileSync(typo, JSON.stringify({ prot: 80 }));
  assert.throws(() => loadConfig({ configFile: typo, env: {} }), /unknown setting\(s\) prot/);
  const broken = path.join(dir, 'broken.json');
  writeFileSync(broken, '{ "port": ');
  assert.throws(() => loadConfig({ configFile: broken, env: {} }), /not valid JSON/);
  assert.throws(() => loadConfig({ configFile: path.join(dir, 'missing.json'), env: {} }), /cannot read config file/);
});
