import type { CallSummary, SummarySentence } from '../../domain/text-analysis.js';
import type { TranscriptSegment } from '../../domain/transcript.js';
import { normalizeText } from '../../rules/text/normalize-text.js';
import { normalizeForMatching } from '../text/normalize-for-matching.js';
import { sentencesOf, type Sentence } from './sentences.js';
import { ACTION, DONE, FOLLOW_UP, GREETING, NEGATED, NEGATIVE, NOT_ACTION, PROBLEM, RESOLVED, THANKS, UNABLE, WEAK_ACTION } from './summary-patterns.js';

export type SummarySegment = Pick<TranscriptSegment, 'index' | 'speaker' | 'text'>;

const MAX_ACTIONS = 3;
/** A sentence needs this many Han characters besides greetings to state a problem (在吗, 你好啊 do not). */
const MIN_PROBLEM_CHARS = 4;
/** Only the customer's last few sentences tell how they left. */
const CLOSING_SENTENCES = 2;

const HAN = /\p{Script=Han}/gu;
const LINK = /https?:\/\/\S+|www\.\S+/gi;

const pick = (s: Sentence): SummarySentence => ({ segmentIndex: s.segmentIndex, text: s.text });

/** The problem sentence without the 喂，你好，嗯， it opens with (one-for-one normalisation: same length). */
function withoutOpening(s: Sentence): SummarySentence {
  const opening = GREETING.exec(normalizeText(s.text))?.[0].length ?? 0;
  return { segmentIndex: s.segmentIndex, text: s.text.slice(opening) || s.text };
}

/** Matches in the normalised text, or in its digit view (3个工作日 for 三个工作日). */
const says = (re: RegExp, s: Sentence): boolean => re.test(normalizeText(s.text)) || re.test(normalizeForMatching(s.text));

/** RESOLVED, unless negated just before (还没有处理完成). */
function resolves(s: Sentence): boolean {
  const t = normalizeText(s.text);
  const m = RESOLVED.exec(t);
  return m !== null && !NEGATED.test(t.slice(0, m.index));
}

/** The first customer sentence that states a problem or a request; failing that, the first with content. */
function problemOf(sentences: Sentence[]): Sentence | null {
  const content = sentences.filter((s) => {
    if (s.speaker === 'agent') return false;
    const rest = normalizeText(s.text).replace(LINK, '').replace(GREETING, '');
    return (rest.match(HAN)?.length ?? 0) >= MIN_PROBLEM_CHARS;
  });
  const customer = content.filter((s) => s.speaker === 'customer');
  const pool = customer.length ? customer : content;
  return pool.find((s) => PROBLEM.test(normalizeText(s.text))) ?? pool[0] ?? null;
}

interface Action {
  s: Sentence;
  /** Changed something (not a look-up) and says it is done. */
  completed: boolean;
  rank: number;
}

/** What the agent did, at most three: changes before look-ups, done before offered, then the earliest; in call order. */
function actionsOf(sentences: Sentence[]): Action[] {
  const seen = new Set<string>();
  const found: Action[] = [];
  for (const s of sentences) {
    if (s.speaker !== 'agent') continue;
    const t = normalizeText(s.text);
    const m = ACTION.exec(t);
    if (!m || NOT_ACTION.test(t) || seen.has(t)) continue;
    seen.add(t);
    const change = !WEAK_ACTION.test(m[0]);
    // Done is read in the action's own clause (and 已经 just before it), not anywhere in the
    // sentence: 帮您备注，但是不能保证修改成功 is an action, not a success.
    const clauseEnd = t.slice(m.index).search(/[,.?!。;]/);
    const done = DONE.test(t.slice(Math.max(0, m.index - 3), clauseEnd < 0 ? t.length : m.index + clauseEnd));
    found.push({ s, completed: change && done, rank: (change ? 2 : 0) + (done ? 1 : 0) });
  }
  return found.sort((a, b) => b.rank - a.rank || a.s.order - b.s.order).slice(0, MAX_ACTIONS).sort((a, b) => a.s.order - b.s.order);
}

type Signal = { kind: 'resolved' | 'follow_up' | 'unable'; s: Sentence };

/**
 * The last word on the problem: solved, promised for later, or refused. A completed action (已经
 *为您补发了, 给您操作了) with nothing pending after it counts as solved.
 */
function lastSignal(sentences: Sentence[], completed: ReadonlySet<Sentence>): Signal | null {
  for (let i = sentences.length - 1; i >= 0; i--) {
    const s = sentences[i]!;
    // A promise outranks a completed step in one sentence: 已提交退款，3个工作日内到账 is pending.
    if (s.speaker !== 'customer' && says(FOLLOW_UP, s)) return { kind: 'follow_up', s };
    if (resolves(s) || completed.has(s)) return { kind: 'resolved', s };
    if (s.speaker !== 'customer' && UNABLE.test(normalizeText(s.text))) return { kind: 'unable', s };
  }
  return null;
}

/**
 * An extractive summary of a call: sentences of the call itself, never generated text.
 *
 * - problem: the customer's first sentence that states a problem or a request, skipping
 *   greetings and fillers (喂, 你好, 在吗, 嗯 …).
 * - actions: the agent's sentences doing something for the customer (已经为您/帮您/给您 + 办理,
 *   提交, 退款, 补发, 反馈, 升级 …), at most three; offers (需要帮您申请吗?) and refusals
 *   (无法为您修改) are not actions.
 * - outcome, from the end of the call backwards:
 *   unresolved when the customer's last words are negative (算了, 我要投诉);
 *   else the last signal decides: a promise to come back (会在24小时内联系您, 3个工作日, 跟进,
 *   升级专员, 正在审核) is follow_up, a solved problem (已经为您处理好了, 问题解决了) or a completed
 *   action with nothing pending after it (已经为您补发了) resolved, a refusal (无法为您修改)
 *   unresolved; with no signal, the customer thanking last after the agent acted or answered is
 *   resolved; otherwise unresolved, without evidence.
 *
 * Speakers `unknown` (mono calls before role detection) count as the customer for the problem
 * only when no customer spoke. Pure.
 * @example summarizeCall(transcript.segments).outcome // 'follow_up'
 */
export function summarizeCall(segments: readonly SummarySegment[]): CallSummary {
  const sentences = sentencesOf(segments);
  const problem = problemOf(sentences);
  const actions = actionsOf(sentences);
  const summary = (outcome: CallSummary['outcome'], evidence: Sentence | null): CallSummary => ({
    problem: problem ? withoutOpening(problem) : null,
    actions: actions.map((a) => pick(a.s)),
    outcome,
    outcomeEvidence: evidence ? pick(evidence) : null,
  });

  const customer = sentences.filter((s) => s.speaker === 'customer');
  const closing = customer.slice(-CLOSING_SENTENCES).filter((s) => s.order > (problem?.order ?? -1));
  const negative = closing.reverse().find((s) => NEGATIVE.test(normalizeText(s.text)));
  if (negative) return summary('unresolved', negative);

  const signal = lastSignal(sentences, new Set(actions.filter((a) => a.completed).map((a) => a.s)));
  if (signal) return summary(signal.kind === 'unable' ? 'unresolved' : signal.kind, signal.s);

  // Thanks after the agent acted or answered: nothing was left open.
  const thanks = customer.at(-1);
  const answered = sentences.some((s) => s.speaker === 'agent' && s.order > (problem?.order ?? -1) && s.order < (thanks?.order ?? -1));
  if (thanks && answered && THANKS.test(normalizeText(thanks.text))) return summary('resolved', thanks);
  return summary('unresolved', null);
}
