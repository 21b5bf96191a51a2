/**
 * What encryption at rest costs (`npm run bench:encryption`), each against its plain baseline
 * measured in the same run, medians of the rounds:
 *
 * 1. Ingest of one 50 MB recording: stageFile + commit through LocalDiskBlobStore (plain) and
 *    EncryptedBlobStore (the same staging, then encryption into place at commit).
 * 2. A full read of it (hashStream over read()): what `tingjian verify` and the ingest stage do.
 * 3. Reading the transcripts of 2,000 calls of 50 segments each in batches of 500 with getMany
 *    (what judging stored calls does) on SQLite: plain rows, encrypted rows with an empty data-key
 *    cache (each key queried and unwrapped), and encrypted rows with the keys cached.
 *
 * Flags: --rounds R (5), --calls N (2000), --segments S (50), --mb M (50), --json.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { EncryptedBlobStore } from '../src/adapters/blob/encrypted-blob-store.js';
import { LocalDiskBlobStore } from '../src/adapters/blob/local-disk-blob-store.js';
import { openDatabase } from '../src/adapters/db/open-database.js';
import { DataKeyCache } from '../src/crypto/data-keys.js';
import { encryptingDatabase } from '../src/crypto/encrypting-repositories.js';
import { withNewKey } from '../src/crypto/keyring-parser.js';
import type { Transcript } from '../src/domain/transcript.js';
import { initialStages } from '../src/pipeline/stages.js';
import { hashStream } from '../src/platform/hash-stream.js';
import type { BlobStore } from '../src/ports/blob-store.js';
import type { Database } from '../src/ports/repositories.js';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, calls: { type: 'string', default: '2000' }, segments: { type: 'string', default: '50' }, mb: { type: 'string', default: '50' }, json: { type: 'boolean', default: false } },
});
const ROUNDS = Number(args.rounds);
const CALLS = Number(args.calls);
const SEGMENTS = Number(args.segments);
const MB = Number(args.mb);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

async function blobBench(dir: string) {
  const source = path.join(dir, 'call.wav');
  await writeFile(source, randomBytes(MB * 1024 * 1024));
  const keys = withNewKey(null).keyring;
  const stores: Record<string, BlobStore & { init(): Promise<void> }> = {
    plain: new LocalDiskBlobStore(path.join(dir, 'plain')),
    encrypted: new EncryptedBlobStore(path.join(dir, 'enc'), keys),
  };
  const ingest: Record<string, number[]> = { plain: [], encrypted: [] };
  const read: Record<string, number[]> = { plain: [], encrypted: [] };
  for (const s of Object.values(stores)) await s.init();
  for (let round = -1; round < ROUNDS; round++) {
    for (const [name, store] of Object.entries(stores)) {
      let key = '';
      const ms = await time(async () => {
        key = (await (await store.stageFile(source)).commit()).key;
      });
      const readMs = await time(() => hashStream(store.read(key)));
      await store.delete(key);
      if (round >= 0) {
        ingest[name]!.push(ms);
        read[name]!.push(readMs);
      }
    }
  }
  return { ingest, read };
}

const transcript = (callId: string): Transcript => ({
  callId,
  engine: 'provided',
  language: 'zh-CN',
  segments: Array.from({ length: SEGMENTS }, (_, i) => ({
    index: i,
    speaker: i % 2 ? 'customer' : 'agent',
    startMs: i * 4000,
    endMs: i * 4000 + 3500,
    text: i % 2 ? `我上周买的东西到现在还没发货，订单号${100000 + i}，能帮我查一下吗` : '您好，很高兴为您服务，我这边马上帮您查询一下物流信息',
  })),
});

async function fill(db: Database, prefix: string): Promise<string[]> {
  const ids = Array.from({ length: CALLS }, (_, i) => `${prefix}-${String(i).padStart(6, '0')}`);
  const now = Date.now();
  for (let i = 0; i < ids.length; i += 200) {
    await db.transaction(async (r) => {
      for (const id of ids.slice(i, i + 200)) {
        await r.calls.insert({ id, externalId: id, channel: 'phone', direction: 'inbound', startedAt: now, durationMs: 1, agentId: 'A1', teamId: 'T1', businessLine: null, customerPhone: null, customerTags: [], consultType: null, language: 'zh-CN', extra: {}, status: 'done', stages: initialStages(), createdAt: now, updatedAt: now });
        await r.transcripts.save(transcript(id));
      }
    });
  }
  return ids;
}

async function readAll(db: Database, ids: string[]) {
  for (let i = 0; i < ids.length; i += 500) await db.repos.transcripts.getMany(ids.slice(i, i + 500));
}

async function transcriptBench(dir: string) {
  const plain = await openDatabase(`sqlite:${path.join(dir, 'bench.db')}`);
  await plain.migrate();
  const keys = withNewKey(null).keyring;
  const plainIds = await fill(plain, 'p');
  const encIds = await fill(encryptingDatabase(plain, keys), 'e');
  const out: Record<string, number[]> = { plain: [], 'encrypted, keys not cached': [], 'encrypted, keys cached': [] };
  for (let round = -1; round < ROUNDS; round++) {
    const p = await time(() => readAll(plain, plainIds));
    const fresh = encryptingDatabase(plain, keys, new DataKeyCache());
    const cold = await time(() => readAll(fresh, encIds));
    const warm = await time(() => readAll(fresh, encIds));
    if (round < 0) continue;
    out.plain!.push(p);
    out['encrypted, keys not cached']!.push(cold);
    out['encrypted, keys cached']!.push(warm);
  }
  await plain.close();
  return out;
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'tingjian-bench-enc-'));
try {
  const blobs = await blobBench(dir);
  const transcripts = await transcriptBench(dir);
  const row = (label: string, xs: number[], base: number[]) => `${label.padEnd(34)} ${median(xs).toFixed(0).padStart(6)} ms  (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})  ×${(median(xs) / median(base)).toFixed(2)}`;
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ rounds: ROUNDS, mb: MB, calls: CALLS, segments: SEGMENTS, blobs, transcripts }, null, 2)}\n`);
  } else {
    const lines = [
      `${MB} MB recording, ${ROUNDS} rounds (median):`,
      row('  ingest (stageFile + commit), plain', blobs.ingest.plain!, blobs.ingest.plain!),
      row('  ingest, encrypted', blobs.ingest.encrypted!, blobs.ingest.plain!),
      row('  full read + sha256, plain', blobs.read.plain!, blobs.read.plain!),
      row('  full read + sha256, encrypted', blobs.read.encrypted!, blobs.read.plain!),
      `transcripts of ${CALLS} calls × ${SEGMENTS} segments, getMany in batches of 500, SQLite:`,
      ...Object.entries(transcripts).map(([k, xs]) => row(`  ${k}`, xs, transcripts.plain!)),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
