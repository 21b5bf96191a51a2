import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { tarHeader, tarSize, tarStream, type TarEntry } from './tar-stream.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tingjian-tar-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function archive(entries: TarEntry[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of tarStream(entries)) chunks.push(c);
  return Buffer.concat(chunks);
}

/** Entries whose bodies come in uneven chunks, as a blob store's stream does. */
function entry(name: string, bytes: Buffer, mtime = Date.UTC(2025, 2, 1, 6, 3)): TarEntry {
  return {
    name,
    size: bytes.length,
    mtime,
    body: async function* () {
      for (let i = 0; i < bytes.length; i += 777) yield bytes.subarray(i, i + 777);
    },
  };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('tar stream (ustar)', () => {
  test('GNU tar lists and extracts the entries byte for byte, Chinese names included', async () => {
    const files = { 'call-1.wav': randomBytes(5000), '订单-2.mp3': randomBytes(512), 'empty.wav': Buffer.alloc(0), 'odd.ogg': randomBytes(1) };
    const tar = await archive(Object.entries(files).map(([n, b]) => entry(n, b)));
    assert.equal(tar.length, tarSize(Object.values(files).map((b) => b.length)), 'the precomputed length is the length');
    assert.equal(tar.length % 512, 0);
    const file = path.join(dir, 'a.tar');
    writeFileSync(file, tar);
    const listing = execFileSync('tar', ['-tvf', file], { encoding: 'utf8' });
    for (const name of Object.keys(files)) assert.match(listing, new RegExp(name));
    assert.match(listing, /2025-03-01/);
    const out = mkdtempSync(path.join(dir, 'x-'));
    execFileSync('tar', ['-xf', file, '-C', out]);
    for (const [name, bytes] of Object.entries(files)) assert.equal(sha(readFileSync(path.join(out, name))), sha(bytes), name);
  });

  test('a header checksum is the sum of its bytes with the checksum field as spaces', () => {
    const h = tarHeader({ name: 'x.wav', size: 1234, mtime: 0 });
    const copy = Buffer.from(h);
    copy.fill(0x20, 148, 156);
    const sum = copy.reduce((n, b) => n + b, 0);
    assert.equal(parseInt(h.subarray(148, 154).toString('ascii'), 8), sum);
    assert.equal(h.subarray(257, 263).toString('ascii'), 'ustar\0');
  });

  test('a body shorter or longer than its header says stops the archive with an error', async () => {
    await assert.rejects(archive([{ ...entry('short.wav', randomBytes(10)), size: 11 }]), /10 bytes, its header says 11/);
    await assert.rejects(archive([{ ...entry('long.wav', randomBytes(12)), size: 11 }]), /more than the 11 bytes/);
  });

  test('names that a ustar header cannot hold as they are are refused', () => {
    assert.throws(() => tarHeader({ name: 'a/b.wav', size: 1, mtime: 0 }), /does not fit/);
    assert.throws(() => tarHeader({ name: `${'长'.repeat(34)}.wav`, size: 1, mtime: 0 }), /does not fit/);
  });
});
