import type { Interruption, Signals } from '../../domain/signals.js';
import type { DurationNode, InterruptionsNode, LoudnessNode, OverlapNode, SilenceNode, SpeechRateNode } from '../../rules/compile/compiled-rule-set.js';
import type { CallView } from './call-view.js';
import { EMPTY, callMatch, sentenceMatch, type Evaluates, type Match, type Outcome } from './match.js';

/**
 * The conditions on the call's audio signals and timing — silence, interruptions, overlap, speech
 * rate, loudness, duration — null (cannot tell) when the call has no signals. Their matches are
 * call-level, or point at the sentence the event happened in.
 */

const COUNTABLE = /[\p{L}\p{N}]/u;
const SIDE = ['agent', 'customer'] as const;
/** How long the other side must go on after a cut-in for it to count as a backchannel (takesFloor). */
const BACKCHANNEL_GOES_ON_MS = 1000;
const ROLE_NAME = ['客服', '客户'];

export function silence(ev: Evaluates, v: CallView, node: SilenceNode): Outcome {
  const s = v.input.signals;
  if (!s) return null;
  const spans = [...s.speech.agent, ...s.speech.customer, ...s.speech.unknown].sort((a, b) => a.startMs - b.startMs);
  const notices = node.unless ? ev.evaluate(node.unless) : EMPTY;
  const out: Match[] = [];
  let end = spans.length ? spans[0]!.endMs : 0;
  for (let i = 1; i < spans.length; i++) {
    const sp = spans[i]!;
    if (sp.startMs - end > node.minMs) {
      const gapStart = end;
      // Without a transcript nobody can tell whether a hold was announced: unknown, not a hit.
      if (notices === null) return null;
      const excused = notices.some((m) => m.p >= 0 && m.endMs <= gapStart + 1000 && m.endMs >= gapStart - node.noticeMs);
      if (!excused) out.push({ p: -1, startMs: gapStart, endMs: sp.startMs, spans: [], label: `静音 ${((sp.startMs - gapStart) / 1000).toFixed(1)} 秒${node.unless ? '，之前未提示等待' : ''}` });
    }
    end = Math.max(end, sp.endMs);
  }
  return out.length ? out : EMPTY;
}

export function interruptions(v: CallView, node: InterruptionsNode): Outcome {
  const s = v.input.signals;
  if (!s) return null;
  const events = s.interruptionEvents.filter((e) => (node.by < 0 || e.by === SIDE[node.by as 0 | 1]) && e.overlapMs >= node.minOverlapMs && (!node.takesFloor || takesFloor(s, e)));
  if (events.length < node.atLeast) return EMPTY;
  return events.map((e) => ({
    p: sentenceAt(v, e.by === 'agent' ? 0 : 1, e.atMs),
    startMs: e.atMs,
    endMs: e.atMs + e.overlapMs,
    spans: [],
    label: `${e.by === 'agent' ? '客服' : '客户'}打断${e.cutOff === 'agent' ? '客服' : '客户'}（重叠 ${(e.overlapMs / 1000).toFixed(1)} 秒）`,
  }));
}

/**
 * Whether a cut-in took the turn: the other side did not go on speaking for a second or more
 * after the one who cut in fell silent. A short 嗯/对 inside the other's sentence, which goes on
 * regardless, is a backchannel; a customer trailing off for a moment after being talked over is not.
 */
function takesFloor(s: Signals, e: Interruption): boolean {
  const mine = s.speech[e.by].find((x) => x.startMs <= e.atMs + 50 && x.endMs > e.atMs);
  const theirs = s.speech[e.cutOff].find((x) => x.startMs < e.atMs && x.endMs > e.atMs);
  if (!mine || !theirs) return true; // spans merged differently than the event: keep the measured interruption
  return theirs.endMs - mine.endMs < BACKCHANNEL_GOES_ON_MS;
}

export function overlap(v: CallView, node: OverlapNode): Outcome {
  const s = v.input.signals;
  if (!s) return null;
  return s.overlaps
    .filter((o) => (node.by < 0 || o.by === SIDE[node.by as 0 | 1]) && o.endMs - o.startMs > node.minMs)
    .map((o) => ({ p: sentenceAt(v, o.by === 'agent' ? 0 : 1, o.startMs), startMs: o.startMs, endMs: o.endMs, spans: [], label: `双方同时说话 ${((o.endMs - o.startMs) / 1000).toFixed(1)} 秒` }));
}

/** The sentence of a speaker that starts closest to a moment (within 1.5 s), or -1. */
function sentenceAt(v: CallView, role: 0 | 1, atMs: number): number {
  let best = -1;
  let dist = 1500;
  for (let p = 0; p < v.n; p++) {
    if (v.role[p] !== role) continue;
    const d = Math.abs(v.segs[p]!.startMs - atMs);
    if (d <= dist) {
      dist = d;
      best = p;
    }
  }
  return best;
}

/** The speaker's average rate from the signals, or (per: sentence) each of their sentences' rate from the transcript. */
export function speechRate(v: CallView, node: SpeechRateNode): Outcome {
  const over = (rate: number) => (node.above !== null && rate > node.above) || (node.below !== null && rate < node.below);
  if (!node.perSentence) {
    const rate = v.input.signals?.speechRate[SIDE[node.speaker]];
    if (rate === undefined || rate === null) return null;
    return over(rate) ? [callMatch(v, `${ROLE_NAME[node.speaker]}平均语速 ${Math.round(rate)} 字/分钟`)] : EMPTY;
  }
  if (!v.hasTranscript) return null;
  const out: Match[] = [];
  for (let p = 0; p < v.n; p++) {
    if (v.role[p] !== node.speaker) continue;
    const s = v.segs[p]!;
    let chars = 0;
    for (const ch of s.text) if (COUNTABLE.test(ch)) chars++;
    const ms = s.endMs - s.startMs;
    if (chars < node.minChars || ms <= 0) continue;
    const rate = (chars * 60000) / ms;
    if (over(rate)) out.push(sentenceMatch(v, p, [], `语速 ${Math.round(rate)} 字/分钟`));
  }
  return out.length ? out : EMPTY;
}

export function loudness(v: CallView, node: LoudnessNode): Outcome {
  const level = v.input.signals?.loudness?.[SIDE[node.speaker]]?.rmsDbfs;
  if (level === undefined || level === null) return null;
  const over = (node.above !== null && level > node.above) || (node.below !== null && level < node.below);
  return over ? [callMatch(v, `${ROLE_NAME[node.speaker]}音量 ${level.toFixed(1)} dBFS`)] : EMPTY;
}

/** The call's duration outside a range; known from the signals, the call's metadata or the transcript's end. */
export function duration(v: CallView, node: DurationNode): Outcome {
  const d = v.durationMs;
  if (d === null) return null;
  const out = (node.belowMs !== null && d < node.belowMs) || (node.aboveMs !== null && d > node.aboveMs);
  return out ? [callMatch(v, `通话时长 ${formatDuration(d)}`)] : EMPTY;
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} 分 ${s % 60} 秒`;
}
