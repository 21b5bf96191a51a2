import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { allCalls, REPO_ROOT, runCli, said, withDatabase } from '../support/cli.js';
import { tempDir } from '../support/factories.js';

/** `tingjian retry` as an operator runs it after fixing (here: switching off) a broken ASR setup. */
const tmp = tempDir('tingjian-e2e-retry-');
after(() => tmp.cleanup());
const SAMPLE = path.join(REPO_ROOT, 'samples/calls/demo-ecom-005.wav');

describe('tingjian retry', () => {
  test('no calls named and no --failed: exit 2 saying what to give', async () => {
    const r = await runCli(['retry'], { dataDir: path.join(tmp.dir, 'none') });
    assert.equal(r.code, 2, said(r));
    assert.match(r.stderr, /^error INVALID_REQUEST: name the calls to retry, or --failed/m);
  });

  test('a call failed by a missing model folder runs again from transcribe once the setting is fixed', async () => {
    const dataDir = path.join(tmp.dir, 'data');
    const broken = { TINGJIAN_ASR_ENGINE: 'sherpa-onnx', TINGJIAN_ASR_MODEL_DIR: path.join(tmp.dir, 'no-model') };
    // The sample's sidecar carries a transcript: ingest only the audio, so ASR is needed.
    const audioOnly = path.join(tmp.dir, 'call.wav');
    copyFileSync(SAMPLE, audioOnly);
    const first = await runCli(['ingest', audioOnly, '--wait'], { dataDir, env: broken });
    assert.equal(first.code, 1, said(first));
    await withDatabase(dataDir, async (db) => assert.equal((await allCalls(db))[0]!.status, 'failed'));

    const again = await runCli(['retry', '--failed', '--wait'], { dataDir, env: { TINGJIAN_ASR_ENGINE: 'none' } });
    assert.equal(again.code, 0, said(again));
    assert.match(again.stdout, /^retrying .* from transcribe$/m);
    await withDatabase(dataDir, async (db) => {
      const [call] = await allCalls(db);
      assert.equal(call!.status, 'done');
      assert.match(call!.stages.transcribe.note ?? '', /no ASR engine configured/);
      assert.equal((await db.repos.artifacts.getSignals(call!.id))?.source, 'audio');
    });
    const none = await runCli(['retry', '--failed'], { dataDir });
    assert.equal(none.code, 0, said(none));
    assert.match(none.stdout, /nothing to retry/);
  });
});
