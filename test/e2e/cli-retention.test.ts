import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { allCalls, REPO_ROOT, runCli, said, withDatabase } from '../support/cli.js';
import { tempDir } from '../support/factories.js';

/** `tingjian retention …` and `tingjian calls delete` as an operator runs them. */
const tmp = tempDir('tingjian-e2e-retention-');
after(() => tmp.cleanup());
// demo-ecom-001 took place on 2025-09-15: under the built-in 180 days it has expired.
const sample = (dir: string) => {
  for (const ext of ['wav', 'json']) copyFileSync(path.join(REPO_ROOT, `samples/calls/demo-ecom-001.${ext}`), path.join(dir, `demo-ecom-001.${ext}`));
  return path.join(dir, 'demo-ecom-001.wav');
};

describe('tingjian retention', () => {
  test('purge --dry-run lists the expired call, purge deletes it', async () => {
    const dataDir = path.join(tmp.dir, 'purge');
    const ingest = await runCli(['ingest', sample(tmp.dir)], { dataDir });
    assert.equal(ingest.code, 0, said(ingest));
    const dry = await runCli(['retention', 'purge', '--dry-run'], { dataDir });
    assert.equal(dry.code, 0, said(dry));
    assert.match(dry.stdout, /^would delete demo-ecom-001 {2}default {2}expired 2026-03-1\dT/m);
    assert.match(dry.stdout, /^1 calls would be deleted; 0 expired but on legal hold/m);
    await withDatabase(dataDir, async (db) => assert.equal((await allCalls(db)).length, 1));
    const run = await runCli(['retention', 'purge'], { dataDir });
    assert.equal(run.code, 0, said(run));
    assert.match(run.stdout, /^deleted demo-ecom-001 /m);
    await withDatabase(dataDir, async (db) => assert.equal((await allCalls(db)).length, 0));
  });

  test('WORM: calls delete is refused before expiry; a hold is set and shown', async () => {
    const dataDir = path.join(tmp.dir, 'worm');
    const policy = path.join(tmp.dir, 'ten-years.yaml');
    writeFileSync(policy, 'defaultKeepDays: 3650\n');
    const env = { TINGJIAN_WORM: 'true', TINGJIAN_RETENTION_POLICY: policy };
    assert.equal((await runCli(['ingest', sample(tmp.dir)], { dataDir, env })).code, 0);
    const id = await withDatabase(dataDir, async (db) => (await allCalls(db))[0]!.id);
    const del = await runCli(['calls', 'delete', id], { dataDir, env });
    assert.equal(del.code, 1, said(del));
    assert.match(del.stderr, /WORM_LOCKED: call .* is kept until 2035-09-1\dT.*admins included/);
    const hold = await runCli(['retention', 'hold', id, '--reason', '诉讼 2026-07'], { dataDir, env });
    assert.equal(hold.code, 0, said(hold));
    const show = await runCli(['retention', 'show', id], { dataDir, env });
    assert.match(show.stdout, /expires 2035-09-1\dT.* \(default\); on legal hold since .* by cli.*: 诉讼 2026-07; recording retained until 2035-09-1\dT/);
    await withDatabase(dataDir, async (db) => assert.equal((await allCalls(db)).length, 1));
  });

  test('policy --file: a broken policy is reported at its line, exit 2', async () => {
    const bad = path.join(tmp.dir, 'bad.yaml');
    writeFileSync(bad, 'defaultKeepDays: 180\nrules:\n  - id: finance\n    match: { bussinessLine: 金融 }\n    keepDays: 1825\n');
    const r = await runCli(['retention', 'policy', '--file', bad], { dataDir: path.join(tmp.dir, 'none') });
    assert.equal(r.code, 2, said(r));
    assert.match(r.stderr, /error CONFIG_INVALID: the retention policy has 2 problems/);
    assert.match(r.stderr, /bad\.yaml:4:14 rules\[0\]\.match\.bussinessLine: unknown field; allowed: businessLine, customerTag, channel/);
  });
});
