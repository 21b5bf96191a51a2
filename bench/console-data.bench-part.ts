import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createAppContext } from '../src/app/app-context.js';
import { createLogger } from '../src/app/logger.js';
import { progressBar } from '../src/cli/progress-bar.js';
import { loadConfig } from '../src/config/config.js';
import type { TranscriptSegment } from '../src/domain/transcript.js';
import { seededRandom } from '../src/enrich/topics/seeded-random.js';
import { waitForCalls } from '../src/pipeline/wait-for-calls.js';
import { installTemplates } from '../src/rules/templates.js';
import type { SentencePools } from './support/jddc-calls.js';

/**
 * Part of bench:console: the stored calls the console is measured over. N chat calls (2–8 minutes
 * of JDDC sentences, 40 agents in 8 teams, 5 business lines, spread over 90 days) plus one
 * 12-minute phone call with a real stereo recording (a sample call looped by ffmpeg) and ~300
 * sentences, all through the real pipeline (text analysis, inspection with the built-in
 * templates, search index). Kept in bench/.work/console-<N>-v<version> and reused by later runs.
 */
const DATA_VERSION = 1;
const LINES = ['电商客服', '物流', '金融', '电信', '通用客服'];
export const LONG_CALL_EXTERNAL_ID = 'bench-console-12min';

export interface ConsoleDataset {
  dataDir: string;
  calls: number;
  longCallId: string;
  longCallSegments: number;
}

/** Sentences until targetMs: `short` keeps JDDC's short turns as they are (a phone call's ASR sentences), else short ones are joined (chat messages). */
function segmentsOf(c: SentencePools, rand: () => number, targetMs: number, short = false): TranscriptSegment[] {
  const segments: TranscriptSegment[] = [];
  let t = 400;
  while (t < targetMs - 3000) {
    const agentTurn = segments.length % 2 === 0 ? rand() < 0.8 : rand() < 0.3;
    const pool = agentTurn ? c.agent : c.customer;
    let text = pool[Math.floor(rand() * pool.length)]!;
    if (!short && text.length < 18) text += `，${pool[Math.floor(rand() * pool.length)]!}`;
    const dur = Math.max(800, Math.round((text.length / (short ? 5.5 : 4.2)) * 1000));
    segments.push({ index: segments.length, speaker: agentTurn ? 'agent' : 'customer', startMs: t, endMs: t + dur, text });
    t += dur + (short ? 150 + Math.floor(rand() * 500) : 300 + Math.floor(rand() * 1200));
  }
  return segments;
}

const plain = (segments: TranscriptSegment[]) => segments.map(({ speaker, startMs, endMs, text }) => ({ speaker, startMs, endMs, text }));

/** A 12-minute stereo 8 kHz μ-law WAV: the first sample call looped (real speech on both channels). */
function longRecording(root: string, out: string): void {
  const ffmpeg = process.env.TINGJIAN_FFMPEG ?? 'ffmpeg';
  execFileSync(ffmpeg, ['-v', 'error', '-y', '-stream_loop', '-1', '-i', path.join(root, 'samples/calls/demo-ecom-001.wav'), '-t', '720', '-ac', '2', '-ar', '8000', '-c:a', 'pcm_mulaw', out]);
}

export async function consoleDataset(root: string, calls: number, pools: SentencePools, log: (s: string) => void): Promise<ConsoleDataset> {
  const dataDir = path.join(root, `bench/.work/console-${calls}-v${DATA_VERSION}`);
  const ready = path.join(dataDir, 'READY.json');
  if (existsSync(ready)) {
    log(`reusing ${calls} stored calls in ${path.relative(root, dataDir)} (delete it to rebuild)`);
    return JSON.parse(readFileSync(ready, 'utf8')) as ConsoleDataset;
  }
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const config = loadConfig({ env: {}, overrides: { dataDir, logLevel: 'silent' } });
  const ctx = await createAppContext(config, createLogger('silent'), { workers: true });
  try {
    await installTemplates(ctx.db);
    const rand = seededRandom(7);
    const start = Date.parse('2026-08-01T00:00:00+08:00');
    const span = 90 * 86_400_000;
    const bar = progressBar(`store ${calls}`, calls + 1);
    const batch = 250;
    for (let from = 0; from < calls; from += batch) {
      const ids: string[] = [];
      for (let i = from; i < Math.min(calls, from + batch); i++) {
        const agent = Math.floor(rand() * 40);
        const segments = segmentsOf(pools, rand, 120_000 + Math.floor(rand() * 360_000));
        const r = await ctx.ingest.accept({
          input: {
            externalId: `bench-console-${i}`,
            channel: 'chat',
            agentId: `A${2000 + agent}`,
            teamId: `T${agent % 8}`,
            businessLine: LINES[agent % LINES.length]!,
            startedAt: new Date(start + Math.floor((i / calls) * span) + Math.floor(rand() * 60_000)).toISOString(),
            segments: plain(segments),
          },
        });
        ids.push(r.call.id);
      }
      await waitForCalls(ctx.db, ids, { timeoutMs: 1_800_000, pollMs: 100 });
      bar.update(Math.min(calls, from + batch));
    }
    const wav = path.join(dataDir, 'long-call.wav');
    longRecording(root, wav);
    const segments = segmentsOf(pools, seededRandom(12), 720_000, true);
    const long = await ctx.ingest.acceptFile(
      wav,
      { externalId: LONG_CALL_EXTERNAL_ID, channel: 'phone', agentId: 'A2000', teamId: 'T0', businessLine: LINES[0]!, startedAt: new Date(start + span).toISOString(), channelRoles: ['agent', 'customer'], segments: plain(segments) },
      'long-call.wav',
    );
    const [done] = await waitForCalls(ctx.db, [long.call.id], { timeoutMs: 600_000 });
    if (done?.status !== 'done') throw new Error(`the 12-minute call did not finish: ${JSON.stringify(done?.stages)}`);
    bar.done();
    const dataset: ConsoleDataset = { dataDir, calls: calls + 1, longCallId: long.call.id, longCallSegments: segments.length };
    writeFileSync(ready, JSON.stringify(dataset, null, 2));
    return dataset;
  } finally {
    await ctx.close();
  }
}
