import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { waitForCalls } from '../../src/pipeline/wait-for-calls.js';
import { REPO_ROOT } from '../support/cli.js';
import { callInput, tempDir, testApp, transcriptInput } from '../support/factories.js';

/**
 * A sherpa-onnx model folder that does not exist: the calls that need ASR fail at transcribe with
 * an error naming the files expected and the setting to fix — at once, not after retries — while
 * the process goes on serving: calls with a transcript still finish.
 */
const SAMPLE = path.join(REPO_ROOT, 'samples/calls/demo-ecom-003.wav');
const tmp = tempDir('tingjian-asr-missing-');
let app: Awaited<ReturnType<typeof testApp>>;

before(async () => {
  app = await testApp({ workers: true, config: { asrEngine: 'sherpa-onnx', asrModelDir: path.join(tmp.dir, 'no-such-model'), asrModelType: 'sense-voice' } });
});
after(async () => {
  await app.close();
  tmp.cleanup();
});

describe('ASR engine with a missing model directory', () => {
  test('the call fails at transcribe naming the expected files; other calls go on', async () => {
    const audio = await app.ingest.acceptFile(SAMPLE, callInput(), 'demo-ecom-003.wav');
    const chat = await app.ingest.accept({ input: transcriptInput() });
    const [failed, done] = await waitForCalls(app.db, [audio.call.id, chat.call.id], { timeoutMs: 60_000, pollMs: 50 });
    assert.equal(failed!.status, 'failed');
    const t = failed!.stages.transcribe;
    assert.equal(t.status, 'failed');
    assert.equal(t.attempts, 1, 'a configuration error is not retried');
    assert.match(t.error ?? '', /CONFIG_INVALID/);
    assert.match(t.error ?? '', /no-such-model/);
    assert.match(t.error ?? '', /model(\.int8)?\.onnx/, 'names the model file expected');
    assert.match(t.error ?? '', /tokens\.txt/);
    assert.match(t.error ?? '', /TINGJIAN_ASR_MODEL_DIR/);
    assert.equal(failed!.stages.vad.status, 'done', 'the audio was still decoded and measured');
    // Dropped right after the failure is recorded (the call shows failed a moment before).
    const deadline = Date.now() + 5000;
    while ((await app.media.decoded.read(failed!.id)) !== null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await app.media.decoded.read(failed!.id), null, 'the decoded scratch copy of a failed call is dropped');
    assert.equal(done!.status, 'done', 'a call with a transcript is unaffected');
    const status = app.media.asrStatus();
    assert.equal(status.state, 'error', '/api/v1/health shows what is wrong');
    assert.match(status.error ?? '', /no-such-model/);
  });
});
