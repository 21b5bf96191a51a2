import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EncryptedBlobStore } from '../../src/adapters/blob/encrypted-blob-store.js';
import type { AppContext } from '../../src/app/app-context.js';
import { redactedAudioFile } from '../../src/calls/redacted-audio.js';
import { RedactedAudioCache } from '../../src/calls/redacted-audio-cache.js';
import { waitForCalls } from '../../src/pipeline/wait-for-calls.js';
import { processTag } from '../../src/platform/process-identity.js';
import { callInput, segments, tempDir, testApp, wavBuffer } from '../support/factories.js';

/**
 * Redacted playback of an encrypted recording (issue 6 review): the decrypted original lives only
 * while ffmpeg runs, and every working file is in the recordings' staging folder (mode 700, swept
 * at the next start), never in /tmp.
 */
describe('redacted audio: working files of an encrypted recording', () => {
  let app: AppContext & { dataDir: string };
  let files: { dir: string; cleanup: () => void };

  before(async () => {
    files = tempDir('tingjian-redacted-working-');
    app = await testApp({ workers: true, reinspections: false, config: { masterKey: randomBytes(32).toString('base64') } });
  });
  after(async () => {
    await app.close();
    files.cleanup();
  });

  it('leaves no decrypted copy of the original once the redacted file is made, in a mode-700 folder removed once idle and swept at a restart', async () => {
    const wav = path.join(files.dir, 'r.wav');
    writeFileSync(wav, wavBuffer({ seconds: 4, seed: 9301 }));
    const call = (await app.ingest.acceptFile(wav, { ...callInput({ startedAt: new Date(Date.now() - 86_400_000).toISOString() }), segments: segments() }, 'r.wav')).call;
    const [done] = await waitForCalls(app.db, [call.id], { timeoutMs: 120_000 });
    assert.equal(done!.status, 'done', JSON.stringify(done!.stages));

    const staging = path.join(app.dataDir, 'recordings', '.staging');
    const cache = new RedactedAudioCache({ idleMs: 10 });
    const out = await redactedAudioFile(app.db, app.blobs, () => app.media.ffmpegPath(), call.id, 'tone', cache);
    const dir = path.dirname(out.file);
    try {
      assert.equal(path.dirname(dir), staging, 'in the staging folder, not /tmp');
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.deepEqual(readdirSync(dir), ['redacted.wav'], 'the decrypted original is gone while the redacted file is played');
      assert.deepEqual(readdirSync(staging), [path.basename(dir)], 'nor left elsewhere in staging');
      assert.equal(readFileSync(out.file).subarray(0, 4).toString('latin1'), 'RIFF');
    } finally {
      out.release();
    }
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(existsSync(dir), false, 'removed once idle');

    // A process that dies mid-download leaves its folder; the next start sweeps it.
    const left = await redactedAudioFile(app.db, app.blobs, () => app.media.ffmpegPath(), call.id, 'silence', cache);
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid!;
    const orphan = path.join(staging, `${processTag(deadPid)}:${randomUUID()}`);
    renameSync(path.dirname(left.file), orphan);
    await new EncryptedBlobStore(path.join(app.dataDir, 'recordings'), app.keys!).init();
    assert.equal(existsSync(orphan), false);
  });
});
