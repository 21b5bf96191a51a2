/** Checks that each script's ground-truth problem labels match its dialogue. */
import type { CallScript, Problem } from '../../samples/call-scripts.js';

const GREETING = /您好/;
const CLOSING = /还有什么可以帮您|感谢您的(来电|接听)/;
const HOLD_NOTICE = /请(您)?稍等/;
const FORBIDDEN = ['这不是我们的问题', '你自己查', '大家都这样'];
const ANGER = /生气|等了三天|太过分/;
const EMPATHY = /抱歉|理解|不好意思|别着急|请您谅解/;
const PII = /(?<!\d)(1[3-9]\d{9}|\d{17}[\dX])(?!\d)/;
const DISCLOSURE = /理财有风险/;
const PRODUCT_TALK = /收益|理财|基金/;
const LONG_SILENCE_MS = 12_000;

/**
 * Recomputes what each label claims from the dialogue, so a script edit cannot silently leave
 * a wrong ground-truth label behind. These are checks of the sample data, not the product's rules.
 */
export function checkLabels(script: CallScript): void {
  const agentTurns = script.turns.filter((t) => t.speaker === 'agent');
  const lastAgent = agentTurns.slice(-2).map((t) => t.text).join('');
  const found = new Set<Problem>();
  if (!GREETING.test(agentTurns[0]?.text ?? '')) found.add('no_greeting');
  if (!CLOSING.test(lastAgent)) found.add('no_closing');
  if (agentTurns.some((t) => FORBIDDEN.some((f) => t.text.includes(f)))) found.add('forbidden_phrase');
  if (agentTurns.some((t) => PII.test(t.text))) found.add('pii_read_aloud');
  if (script.turns.some((t) => t.overlapMs !== undefined)) found.add('interruption');
  const productTalk = script.turns.some((t) => PRODUCT_TALK.test(t.text)) && script.businessLine === '金融';
  if (productTalk && !agentTurns.some((t) => DISCLOSURE.test(t.text))) found.add('missing_disclosure');
  script.turns.forEach((t, i) => {
    const prev = script.turns[i - 1];
    if ((t.gapBeforeMs ?? 0) >= LONG_SILENCE_MS && !(prev?.speaker === 'agent' && HOLD_NOTICE.test(prev.text))) found.add('long_silence');
    if (t.speaker === 'customer' && ANGER.test(t.text)) {
      const reply = script.turns.slice(i + 1).find((r) => r.speaker === 'agent');
      if (reply && !EMPATHY.test(reply.text)) found.add('anger_without_empathy');
    }
  });
  const expected = [...script.problems].sort().join(',');
  const actual = [...found].sort().join(',');
  if (expected !== actual) throw new Error(`${script.externalId}: labelled [${expected}] but the dialogue shows [${actual}]`);
  if (script.turns.length < 6 || script.turns.length > 14) throw new Error(`${script.externalId}: ${script.turns.length} turns, want 6–14`);
}
