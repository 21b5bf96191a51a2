import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildServer } from '../../src/http/build-server.js';
import { waitForCalls } from '../../src/pipeline/wait-for-calls.js';
import { ENGLISH_CALL, ASR_TOOLS_INSTALL, asrToolsAvailable, synthesizeCall } from '../support/english-call.js';
import { callInput, tempDir, testApp, transcriptInput } from '../support/factories.js';
import { needs } from '../support/tiers.js';
import { adminAuth } from '../support/http-harness.js';

/**
 * The operator's way out of a misconfiguration: calls that failed because the ASR model folder
 * was empty are run again with POST /api/v1/calls/:id/retry once the folder is filled — without
 * restarting the server — and come out transcribed.
 */
const SPHINX_MODEL = '/usr/share/pocketsphinx/model/en-us';
const haveTools = asrToolsAvailable();
const tmp = tempDir('tingjian-retry-');
const modelDir = path.join(tmp.dir, 'model');
let app: Awaited<ReturnType<typeof testApp>>;
let server: Awaited<ReturnType<typeof buildServer>>;
let auth: { authorization: string };

before(async () => {
  mkdirSync(modelDir);
  app = await testApp({ workers: true, config: { asrEngine: 'pocketsphinx', pocketsphinxModelDir: modelDir, retryBaseMs: 10 } });
  server = await buildServer(app);
  auth = await adminAuth(app);
});
after(async () => {
  await server.close();
  await app.close();
  tmp.cleanup();
});

const retry = (id: string) => server.inject({ method: 'POST', url: `/api/v1/calls/${id}/retry`, headers: auth });

describe('retrying a failed call after the cause is fixed', () => {
  test('only failed calls can be retried; unknown ids are 404', async () => {
    const chat = await app.ingest.accept({ input: transcriptInput() });
    const [done] = await waitForCalls(app.db, [chat.call.id], { timeoutMs: 30_000, pollMs: 20 });
    assert.equal(done!.status, 'done');
    const r = await retry(chat.call.id);
    assert.equal(r.statusCode, 409);
    assert.equal(r.json<{ error: { code: string } }>().error.code, 'CONFLICT');
    assert.match(r.json<{ error: { message: string } }>().error.message, /is done, not failed/);
    assert.equal((await retry('no-such-call')).statusCode, 404);
  });

  test('empty model folder → failed at transcribe; folder filled → retry → transcribed, from that stage only', async (t) => {
    if (!needs(t, 'flite, sox and pocketsphinx', haveTools, ASR_TOOLS_INSTALL)) return;
    const { wavPath } = synthesizeCall(ENGLISH_CALL.slice(0, 2), tmp.dir, 'retry-call');
    const { call } = await app.ingest.acceptFile(wavPath, callInput({ language: 'en-US' }), 'retry-call.wav');
    const [failed] = await waitForCalls(app.db, [call.id], { timeoutMs: 60_000, pollMs: 20 });
    assert.equal(failed!.status, 'failed');
    assert.match(failed!.stages.transcribe.error ?? '', /CONFIG_INVALID: pocketsphinx model files missing/);
    const vadAt = failed!.stages.vad.updatedAt;

    for (const f of ['en-us', 'en-us.lm.bin', 'cmudict-en-us.dict']) symlinkSync(path.join(SPHINX_MODEL, f), path.join(modelDir, f));
    const r = await retry(call.id);
    assert.equal(r.statusCode, 202, r.body);
    assert.equal(r.json<{ status: string }>().status, 'processing');
    const [done] = await waitForCalls(app.db, [call.id], { timeoutMs: 60_000, pollMs: 20 });
    assert.equal(done!.status, 'done', JSON.stringify(done!.stages));
    assert.equal(done!.stages.vad.updatedAt, vadAt, 'the stages before the failed one are not redone');
    assert.match(done!.stages.transcribe.note ?? '', /pocketsphinx\/en-us: \d+ segments/);
    const transcript = await app.db.repos.transcripts.get(call.id);
    assert.match(transcript!.segments.map((s) => s.text).join(' '), /customer service/);
    assert.equal(app.media.asrStatus().state, 'ready', 'the engine was checked again, no restart needed');
  });
});
