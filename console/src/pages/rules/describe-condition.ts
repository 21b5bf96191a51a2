import { isObj, num, str, type Obj } from './rule-model';
import type { RulesT } from './messages';

/**
 * A condition of the rule language in one short line for the rules table: `关键词 您好、你好…(12) ·
 * 坐席 · 前 2 句`. Only what tells rules apart; the YAML has the rest.
 */
const WORDS_SHOWN = 4;

function words(list: unknown, t: RulesT): string {
  const all = Array.isArray(list) ? list.map(String) : [];
  const shown = all.slice(0, WORDS_SHOWN).join('、');
  return all.length > WORDS_SHOWN ? `${shown}…${t('countOf', { n: all.length })}` : shown;
}

function keywordsText(k: unknown, t: RulesT): string {
  if (Array.isArray(k)) return t('condKeywords', { words: words(k, t) });
  if (!isObj(k)) return t('condKeywords', { words: '' });
  if (Array.isArray(k.all)) return t('condKeywordsAll', { words: words(k.all, t) });
  if (Array.isArray(k.of)) return t('condKeywordsAtLeast', { n: num(k.atLeast) ?? 1, words: words(k.of, t) });
  return t('condKeywords', { words: words(k.any, t) });
}

function range(r: unknown, first: boolean, t: RulesT): string | null {
  if (!isObj(r)) return null;
  const n = num(r.sentences);
  if (n !== undefined) return t(first ? 'firstSentences' : 'lastSentences', { n });
  const s = num(r.seconds);
  return s !== undefined ? t(first ? 'firstSeconds' : 'lastSeconds', { n: s }) : null;
}

const speakerText = (s: unknown, t: RulesT): string | null => (s === 'agent' ? t('speakerAgent') : s === 'customer' ? t('speakerCustomer') : null);

function kindText(c: Obj, t: RulesT, depth: number): string {
  const sub = (x: unknown) => describeCondition(x, t, depth + 1);
  const list = (xs: unknown) => (Array.isArray(xs) ? xs.map(sub).join('；') : '');
  if ('keywords' in c) return keywordsText(c.keywords, t);
  if ('regex' in c) return t('condRegex', { pattern: str(c.regex) ?? (isObj(c.regex) ? (str(c.regex.pattern) ?? '') : '') });
  if (isObj(c.similarTo)) return t('condSimilar', { n: Array.isArray(c.similarTo.examples) ? c.similarTo.examples.length : 0 });
  if (isObj(c.entity)) return t('condEntity', { types: Array.isArray(c.entity.types) ? c.entity.types.join('/') : '' });
  if (isObj(c.sentiment)) return t('condSentiment', { label: str(c.sentiment.label) ?? '' });
  if (isObj(c.silence)) return t('condSilence', { s: num(c.silence.longerThan) ?? '?' });
  if (isObj(c.interruptions)) return t('condInterruptions', { n: num(c.interruptions.atLeast) ?? 1 });
  if (isObj(c.overlap)) return t('condOverlap', { s: num(c.overlap.longerThan) ?? '?' });
  if ('speechRate' in c) return t('condSpeechRate');
  if ('loudness' in c) return t('condLoudness');
  if (isObj(c.duration)) {
    const d = c.duration;
    const out = Array.isArray(d.outside) ? `∉ [${d.outside.join(', ')}]` : [num(d.below) !== undefined ? `< ${d.below}` : '', num(d.above) !== undefined ? `> ${d.above}` : ''].filter(Boolean).join(' ');
    return t('condDuration', { range: out });
  }
  if (isObj(c.metadata)) return t('condMetadata', { field: str(c.metadata.field) ?? '' });
  if ('all' in c) return t('condAll', { parts: list(c.all) });
  if ('any' in c) return t('condAny', { parts: list(c.any) });
  if ('not' in c) return t('condNot', { part: sub(c.not) });
  if (isObj(c.followUp)) {
    const f = c.followUp;
    const w = isObj(f.within) ? f.within : {};
    const window = num(w.turns) !== undefined ? t('turns', { n: num(w.turns)! }) : num(w.seconds) !== undefined ? t('seconds', { n: num(w.seconds)! }) : t('segments', { n: num(w.segments) ?? '?' });
    // `after` looks after each anchor, `before` before it (docs/rules.md).
    const after = f.after !== undefined;
    const anchor = sub(after ? f.after : f.before);
    const vars = { anchor, window, then: sub(f.expect !== undefined ? f.expect : f.forbid) };
    if (f.expect !== undefined) return t(after ? 'condFollowUpExpect' : 'condFollowUpBeforeExpect', vars);
    return t(after ? 'condFollowUpForbid' : 'condFollowUpBeforeForbid', vars);
  }
  return '?';
}

export function describeCondition(c: unknown, t: RulesT, depth = 0): string {
  if (!isObj(c)) return '';
  if (depth > 3) return '…';
  const parts = [kindText(c, t, depth), speakerText(c.speaker, t), range(c.first, true, t), range(c.last, false, t)].filter((x): x is string => Boolean(x));
  return parts.join(' · ');
}
