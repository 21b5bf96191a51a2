import type { CallMetadata } from '../../domain/call.js';
import type { Signals } from '../../domain/signals.js';
import type { TranscriptSegment } from '../../domain/transcript.js';
import { normalizeText } from '../../rules/text/normalize-text.js';

/** What judging one call needs: its metadata, transcript and signals — never the database. */
export interface JudgeInput {
  call: Pick<CallMetadata, 'channel' | 'direction' | 'businessLine' | 'agentId' | 'teamId' | 'consultType' | 'customerTags' | 'language' | 'extra' | 'durationMs'>;
  transcript: { segments: TranscriptSegment[] } | null;
  signals: Signals | null;
}

/**
 * A call prepared for judging: sentences normalised on demand, and the facts position conditions
 * ask about (the speaker, its n-th sentence from the start and from the end, that speaker's next
 * sentence) precomputed as arrays.
 */
export interface CallView {
  input: JudgeInput;
  segs: TranscriptSegment[];
  n: number;
  hasTranscript: boolean;
  /** The normalised text of sentence p (computed on first use: most sentences are only scanned, through the table). */
  norm(p: number): string;
  /** 0 agent, 1 customer, 2 unknown. */
  role: Int8Array;
  /** Position among the same speaker's sentences, from the start / from the end (0 = first / last). */
  ordFwd: Int32Array;
  ordBack: Int32Array;
  /** The same speaker's next sentence, or -1. */
  nextSame: Int32Array;
  /** Call duration in ms, or null when nothing tells it. */
  durationMs: number | null;
}

const ROLE = { agent: 0, customer: 1, unknown: 2 } as const;

/**
 * Buffers a judge reuses from call to call (typed arrays grown to the longest call seen): judging
 * 10,000 calls a second must not make 50,000 small arrays a second for the garbage collector.
 */
export class ViewBuffers {
  private role = new Int8Array(64);
  private ordFwd = new Int32Array(64);
  private ordBack = new Int32Array(64);
  private nextSame = new Int32Array(64);
  private readonly normCache: Array<string | undefined> = [];

  viewOf(input: JudgeInput): CallView {
    const segs = input.transcript?.segments ?? [];
    const n = segs.length;
    if (this.role.length < n) {
      const size = Math.max(n, this.role.length * 2);
      this.role = new Int8Array(size);
      this.ordFwd = new Int32Array(size);
      this.ordBack = new Int32Array(size);
      this.nextSame = new Int32Array(size);
    }
    const { role, ordFwd, ordBack, nextSame, normCache } = this;
    normCache.length = 0;
    let c0 = 0;
    let c1 = 0;
    let c2 = 0;
    let l0 = -1;
    let l1 = -1;
    let l2 = -1;
    for (let p = 0; p < n; p++) {
      const s = segs[p]!;
      const r = ROLE[s.speaker];
      role[p] = r;
      nextSame[p] = -1;
      if (r === 0) {
        ordFwd[p] = c0++;
        if (l0 >= 0) nextSame[l0] = p;
        l0 = p;
      } else if (r === 1) {
        ordFwd[p] = c1++;
        if (l1 >= 0) nextSame[l1] = p;
        l1 = p;
      } else {
        ordFwd[p] = c2++;
        if (l2 >= 0) nextSame[l2] = p;
        l2 = p;
      }
    }
    for (let p = 0; p < n; p++) ordBack[p] = (role[p] === 0 ? c0 : role[p] === 1 ? c1 : c2) - 1 - ordFwd[p]!;
    const durationMs = input.signals?.durationMs ?? input.call.durationMs ?? (n ? segs[n - 1]!.endMs : null);
    const norm = (p: number): string => (normCache[p] ??= normalizeText(segs[p]!.text));
    return { input, segs, n, hasTranscript: input.transcript !== null, norm, role, ordFwd, ordBack, nextSame, durationMs };
  }
}

/** A view with its own buffers (tests, one-off use); the judge reuses one ViewBuffers. */
export const viewOf = (input: JudgeInput): CallView => new ViewBuffers().viewOf(input);
