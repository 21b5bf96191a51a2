import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAppContext, type AppContext } from '../../src/app/app-context.js';
import { createLogger } from '../../src/app/logger.js';
import { loadConfig, type ConfigInput } from '../../src/config/config.js';
import type { Call } from '../../src/domain/call.js';
import type { TranscriptSegment } from '../../src/domain/transcript.js';
import { initialStages } from '../../src/pipeline/stages.js';
import { pcmWavHeader } from './wav-header.js';

let seq = 0;
const nextId = (prefix: string) => `${prefix}-${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 7)}`;

/** A temp folder removed when the test process ends (or by the returned cleanup). */
export function tempDir(prefix = 'tingjian-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A valid 16-bit PCM WAV: a tone per channel plus seeded noise, so every seed has its own sha256.
 * @example wavBuffer({ seconds: 2, seed: 7 })
 */
export function wavBuffer(opts: { seconds: number; sampleRate?: number; channels?: number; seed?: number }): Buffer {
  const sampleRate = opts.sampleRate ?? 8000;
  const channels = opts.channels ?? 2;
  const frames = Math.round(opts.seconds * sampleRate);
  const dataBytes = frames * channels * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  pcmWavHeader({ sampleRate, channels, dataBytes }).copy(buf, 0);
  let state = (opts.seed ?? 1) >>> 0 || 1;
  const noise = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 0xffffffff - 0.5) * 400;
  };
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      const v = Math.sin((2 * Math.PI * (300 + 200 * c) * i) / sampleRate) * 6000 + noise();
      buf.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(v))), 44 + (i * channels + c) * 2);
    }
  }
  return buf;
}

/** Call metadata as an integrator sends it, with a unique externalId. */
export function callInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    externalId: nextId('call'),
    channel: 'phone',
    direction: 'inbound',
    startedAt: '2025-09-18T10:30:00+08:00',
    agentId: 'A1001',
    teamId: 'T1',
    businessLine: '电商客服',
    customerPhone: '138****5678',
    customerTags: ['VIP'],
    consultType: '咨询退货',
    language: 'zh-CN',
    ...overrides,
  };
}

export function segments(): Array<Omit<TranscriptSegment, 'index'>> {
  return [
    { speaker: 'agent', startMs: 500, endMs: 3500, text: '您好，很高兴为您服务，请问有什么可以帮您？' },
    { speaker: 'customer', startMs: 4000, endMs: 8000, text: '我买的面膜过敏了，想退货。' },
    { speaker: 'agent', startMs: 8500, endMs: 12_000, text: '非常抱歉给您带来不便，我马上为您处理退货。' },
  ];
}

/** A transcript-only call in the transcript input format. */
export function transcriptInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...callInput(), channel: 'chat', segments: segments(), ...overrides };
}

/** A stored Call for repository tests. */
export function storedCall(overrides: Partial<Call> = {}): Call {
  const now = Date.now();
  return {
    id: nextId('id'),
    externalId: nextId('ext'),
    channel: 'phone',
    direction: 'inbound',
    startedAt: now - 60_000,
    durationMs: 60_000,
    agentId: 'A1001',
    teamId: 'T1',
    businessLine: '电商客服',
    customerPhone: null,
    customerTags: ['VIP'],
    consultType: null,
    language: 'zh-CN',
    extra: {},
    status: 'processing',
    stages: initialStages(),
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

/**
 * A full application over a temp data dir (SQLite unless databaseUrl is given), logs silenced.
 * @example const app = await testApp({ workers: true }); …; await app.close();
 */
export async function testApp(opts: { workers?: boolean; reinspections?: boolean; config?: ConfigInput } = {}): Promise<AppContext & { dataDir: string }> {
  const tmp = tempDir();
  const config = loadConfig({ env: {}, overrides: { dataDir: tmp.dir, logLevel: 'silent', retryBaseMs: 50, ...opts.config } });
  const ctx = await createAppContext(config, createLogger(config.logLevel), { workers: opts.workers ?? false, reinspections: opts.reinspections ?? opts.workers ?? false });
  return {
    ...ctx,
    dataDir: tmp.dir,
    async close() {
      await ctx.close();
      tmp.cleanup();
    },
  };
}
