import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TranscriptSegment } from '../../src/domain/transcript.js';
import { signalsFromTranscript } from '../../src/enrich/transcript-signals.js';
import type { JudgeInput } from '../../src/inspect/judge/call-view.js';
import { CALL } from '../../src/inspect/judge/judge-test-kit.js';

/** Real agent and customer sentences to build benchmark calls from. */
export interface SentencePools {
  agent: string[];
  customer: string[];
  source: string;
}

/**
 * The JDDC dialogues of ../shared/data (`用户:` / `客服:` turns), or the bundled sample calls when
 * that file is absent (a user's clone has no shared data).
 */
export function sentencePools(jddcFile: string, root: string): SentencePools {
  const agent: string[] = [];
  const customer: string[] = [];
  if (existsSync(jddcFile)) {
    for (const line of readFileSync(jddcFile, 'utf8').split('\n')) {
      for (const m of line.matchAll(/(用户|客服):([^]*?)(?=(?:用户|客服):|$)/g)) (m[1] === '客服' ? agent : customer).push(m[2]!.trim());
    }
    return { agent: agent.filter(Boolean), customer: customer.filter(Boolean), source: `JDDC (${jddcFile})` };
  }
  const dir = path.join(root, 'samples/calls');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
    for (const s of (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { segments: TranscriptSegment[] }).segments) (s.speaker === 'agent' ? agent : customer).push(s.text);
  }
  return { agent, customer, source: 'bundled samples (JDDC not found)' };
}

const BASE_CALL = { ...CALL, durationMs: 360_000 };
const LINES = ['电商客服', '物流', '金融', '电信', '售后'];

/** ~6-minute calls: ~60 sentences until ~1,500 characters, timed at ~4 characters/s with short gaps. */
export function sixMinuteCalls(n: number, c: SentencePools, rand: () => number): JudgeInput[] {
  const out: JudgeInput[] = [];
  for (let i = 0; i < n; i++) {
    const segments: TranscriptSegment[] = [];
    let chars = 0;
    let t = 500;
    while (chars < 1500) {
      const agentTurn = segments.length % 2 === 0 ? rand() < 0.8 : rand() < 0.3;
      const pool = agentTurn ? c.agent : c.customer;
      // JDDC utterances are short (~17 characters): a sentence of ASR output is ~25, so join two when short.
      let text = pool[Math.floor(rand() * pool.length)]!;
      if (text.length < 18) text += `，${pool[Math.floor(rand() * pool.length)]!}`;
      const dur = Math.max(800, Math.round((text.length / 4.2) * 1000));
      segments.push({ index: segments.length, speaker: agentTurn ? 'agent' : 'customer', startMs: t, endMs: t + dur, text });
      t += dur + 300 + Math.floor(rand() * 1500);
      chars += text.length;
    }
    const call = { ...BASE_CALL, businessLine: LINES[i % LINES.length]!, durationMs: t };
    out.push({ call, transcript: { segments }, signals: signalsFromTranscript(segments, { durationMs: t, language: 'zh-CN' }) });
  }
  return out;
}
