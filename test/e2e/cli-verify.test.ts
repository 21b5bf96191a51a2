import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { HEADER_BYTES } from '../../src/crypto/chunked-cipher.js';
import { blobFiles, runCli, said } from '../support/cli.js';
import { callInput, tempDir, wavBuffer } from '../support/factories.js';

/**
 * `tingjian keys` and `tingjian verify` as a user runs them: real child processes over a temp
 * data dir. Exit codes: verify 0 when every original is intact, 1 when any is changed, missing
 * or unreadable.
 */
const tmp = tempDir('tingjian-e2e-verify-');
after(() => tmp.cleanup());

function recordingsFolder(name: string, seeds: number[]): string {
  const dir = path.join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const seed of seeds) {
    writeFileSync(path.join(dir, `r${seed}.wav`), wavBuffer({ seconds: 1, seed }));
    writeFileSync(path.join(dir, `r${seed}.json`), JSON.stringify(callInput({ externalId: `verify-${seed}` })));
  }
  return dir;
}

/** The stored originals (not their .key or .retain sidecars), in name order. */
const originals = (dataDir: string) => blobFiles(dataDir).blobs.filter((f) => /[0-9a-f]{64}$/.test(f)).sort();

interface VerifyJson {
  summary: Record<string, number>;
  results: Array<{ callId: string; status: string; error?: string }>;
}

describe('tingjian verify', () => {
  test('plain store: exit 0 when intact; a changed and a missing original → exit 1, each named', async () => {
    const dataDir = path.join(tmp.dir, 'plain-data');
    const ingest = await runCli(['ingest', recordingsFolder('plain-in', [8101, 8102, 8103])], { dataDir });
    assert.equal(ingest.code, 0, said(ingest));
    const ok = await runCli(['verify'], { dataDir });
    assert.equal(ok.code, 0, said(ok));
    assert.match(ok.stdout, /verified 3 recordings: 3 ok, 0 changed, 0 missing, 0 unreadable/);
    const [first, second] = originals(dataDir);
    writeFileSync(first!, wavBuffer({ seconds: 1, seed: 1 }));
    rmSync(second!);
    const bad = await runCli(['verify'], { dataDir });
    assert.equal(bad.code, 1, said(bad));
    assert.match(bad.stdout, /^changed\s+\S+\s+sha256\/.*recorded/m);
    assert.match(bad.stdout, new RegExp(`^missing\\s+\\S+\\s+sha256/../../${path.basename(second!)}$`, 'm'));
    assert.match(bad.stdout, /verified 3 recordings: 1 ok, 1 changed, 1 missing, 0 unreadable/);
  });

  test('encrypted: keys generate → ingest → verify 0; add a key, rotate, drop the old key → still 0; a flipped byte → exit 1 unreadable (--json)', async () => {
    const dataDir = path.join(tmp.dir, 'enc-data');
    const keyFile = path.join(tmp.dir, 'master-keys.json');
    const gen = await runCli(['keys', 'generate', '--out', keyFile], { dataDir });
    assert.equal(gen.code, 0, said(gen));
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    const env = { TINGJIAN_MASTER_KEY_FILE: keyFile };
    const ingest = await runCli(['ingest', recordingsFolder('enc-in', [8201, 8202])], { dataDir, env });
    assert.equal(ingest.code, 0, said(ingest));
    const files = originals(dataDir);
    assert.equal(files.length, 2);
    const before = files.map((f) => readFileSync(f));

    const added = await runCli(['keys', 'generate', '--out', keyFile], { dataDir });
    assert.equal(added.code, 0, said(added));
    assert.match(added.stdout, /added master key [0-9a-f]{12} \(current\)/);
    const rotate = await runCli(['keys', 'rotate', '--json'], { dataDir, env });
    assert.equal(rotate.code, 0, said(rotate));
    // Running servers take the new key within seconds; the rotation's scan starts after that.
    assert.match(rotate.stderr, /the key file changed less than 5 s ago: waiting [\d.]+ s for running servers/);
    const report = JSON.parse(rotate.stdout) as { currentKeyId: string; recordings: { rewrapped: number }; dataKeys: { rewrapped: number } };
    assert.equal(report.recordings.rewrapped, 2);
    assert.deepEqual(
      files.map((f) => readFileSync(f)),
      before,
      'recordings are not re-encrypted',
    );
    const ring = JSON.parse(readFileSync(keyFile, 'utf8')) as { current: string; keys: Record<string, string>; stable: string };
    assert.equal(ring.current, report.currentKeyId);
    writeFileSync(keyFile, JSON.stringify({ ...ring, keys: { [ring.current]: ring.keys[ring.current] } }), { mode: 0o600 });
    const ok = await runCli(['verify'], { dataDir, env });
    assert.equal(ok.code, 0, said(ok));
    assert.match(ok.stdout, /verified 2 recordings: 2 ok/);

    const bytes = readFileSync(files[0]!);
    bytes[HEADER_BYTES + 100] = bytes[HEADER_BYTES + 100]! ^ 1;
    writeFileSync(files[0]!, bytes);
    const bad = await runCli(['verify', '--json'], { dataDir, env });
    assert.equal(bad.code, 1, said(bad));
    const out = JSON.parse(bad.stdout) as VerifyJson;
    assert.deepEqual(out.summary, { total: 2, ok: 1, changed: 0, missing: 0, unreadable: 1 });
    assert.match(out.results.find((r) => r.status === 'unreadable')!.error!, /INTEGRITY_MISMATCH/);
    assert.ok(!bad.stderr.includes(ring.keys[ring.current]!), 'no key material in any output');
  });

  test('a key file others may read is refused, naming chmod 600; no key is printed', async () => {
    const keyFile = path.join(tmp.dir, 'open-keys.json');
    const gen = await runCli(['keys', 'generate', '--out', keyFile]);
    assert.equal(gen.code, 0, said(gen));
    const key = Object.values((JSON.parse(readFileSync(keyFile, 'utf8')) as { keys: Record<string, string> }).keys)[0]!;
    chmodSync(keyFile, 0o644);
    const r = await runCli(['verify'], { dataDir: path.join(tmp.dir, 'open-data'), env: { TINGJIAN_MASTER_KEY_FILE: keyFile } });
    assert.equal(r.code, 2, said(r));
    assert.match(r.stderr, new RegExp(`CONFIG_INVALID: .*chmod 600 ${keyFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.ok(!r.stderr.includes(key) && !r.stdout.includes(key));
  });
});
