import { codeEscape } from './normalize-text.js';

/**
 * Literal strings of which every match of a regular expression must contain at least one — a
 * gate: a sentence holding none of them cannot match, so the keyword scan (which reads every
 * sentence anyway) decides which sentences the regex runs on at all. `打了.{1,4}次|凭什么` →
 * [打了, 凭什么]; `(一直|始终)(没|不)管` → [管] or [一直, 始终]. Null when some branch requires no
 * literal (`.{2}`, `\d+`, `[^，]+`) or the pattern uses syntax this reader does not know: the
 * regex then runs on every sentence in scope, as before.
 *
 * Works on the normalised pattern (normalizePattern): its literals are what the scanner sees.
 */
type Atom = { kind: 'lit'; ch: string } | { kind: 'group'; alts: Quantified[][] } | { kind: 'other' };
interface Quantified {
  atom: Atom;
  /** The atom must occur (quantifier minimum ≥ 1). */
  required: boolean;
  /** Exactly once: literals may join a run with their neighbours. */
  once: boolean;
}

/** Very frequent characters: a gate made of one of them lets almost every sentence through. */
const COMMON = new Set('的了是不我你他她它们在有一这那个么吗呢吧啊就都也还要会说好没人到和对可以上下来去很么嗯哦呀'.split(''));

class Reader {
  i = 0;
  constructor(readonly src: string) {}

  alternation(): Quantified[][] | null {
    const alts: Quantified[][] = [];
    for (;;) {
      const seq = this.sequence();
      if (seq === null) return null;
      alts.push(seq);
      if (this.src[this.i] === '|') this.i++;
      else return alts;
    }
  }

  sequence(): Quantified[] | null {
    const out: Quantified[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      if (atom === null) return null;
      // A zero-width assertion separates its neighbours: a(?=b)c never holds the literal "ac".
      if (atom === 'zero') {
        out.push({ atom: { kind: 'other' }, required: false, once: false });
        continue;
      }
      const q = this.quantifier();
      if (q === null) return null;
      out.push({ atom, required: q.min >= 1, once: q.min === 1 && q.max === 1 });
    }
    return out;
  }

  atom(): Atom | 'zero' | null {
    const s = this.src;
    const c = s[this.i]!;
    if (c === '^' || c === '$') {
      this.i++;
      return 'zero';
    }
    if (c === '.') {
      this.i++;
      return { kind: 'other' };
    }
    if (c === '[') {
      // A class: skip to its closing bracket (escapes inside skipped too). A ] right after [ or
      // [^ closes it: in JavaScript [] matches nothing and [^] any character.
      this.i++;
      if (s[this.i] === '^') this.i++;
      while (this.i < s.length && s[this.i] !== ']') this.i += s[this.i] === '\\' ? 2 : 1;
      if (this.i >= s.length) return null;
      this.i++;
      return { kind: 'other' };
    }
    if (c === '(') {
      this.i++;
      let lookaround = false;
      if (s[this.i] === '?') {
        const rest = s.slice(this.i, this.i + 3);
        if (rest.startsWith('?:')) this.i += 2;
        else if (rest.startsWith('?=') || rest.startsWith('?!')) {
          this.i += 2;
          lookaround = true;
        } else if (rest === '?<=' || rest === '?<!') {
          this.i += 3;
          lookaround = true;
        } else if (rest.startsWith('?<')) {
          const close = s.indexOf('>', this.i);
          if (close < 0) return null;
          this.i = close + 1;
        } else return null;
      }
      const alts = this.alternation();
      if (alts === null || s[this.i] !== ')') return null;
      this.i++;
      if (lookaround) return 'zero';
      return { kind: 'group', alts };
    }
    if (c === '\\') {
      const n = s[this.i + 1];
      if (n === undefined) return null;
      if (/[bB]/.test(n)) {
        this.i += 2;
        return 'zero';
      }
      if (n === 'x' || n === 'u') {
        // A character written as its code is that character — unless it is a surrogate half
        // (\uD83D\uDE00 is one character under the u flag; a half is no literal to scan for).
        const esc = codeEscape(s, this.i);
        if (!esc || esc.code > 0x10ffff) return null;
        this.i += esc.length;
        const code = esc.code;
        return code >= 0xd800 && code <= 0xdfff ? { kind: 'other' } : { kind: 'lit', ch: String.fromCodePoint(code) };
      }
      if (/[1-9]/.test(n)) {
        // A back reference: all its digits (\10 is group ten, not group one and a literal 0).
        this.i += 2;
        while (/[0-9]/.test(s[this.i] ?? '')) this.i++;
        return { kind: 'other' };
      }
      if (/[dDsSwWpPck0nrtfv]/.test(n)) {
        // classes, properties, named references, control characters: not a literal we can scan for
        if ((n === 'p' || n === 'P' || n === 'k') && (s[this.i + 2] === '{' || s[this.i + 2] === '<')) {
          const close = s.indexOf(s[this.i + 2] === '{' ? '}' : '>', this.i);
          if (close < 0) return null;
          this.i = close + 1;
        } else if (n === 'c') this.i += 3;
        else this.i += 2;
        return { kind: 'other' };
      }
      this.i += 2;
      return { kind: 'lit', ch: n };
    }
    if ('*+?{'.includes(c)) return null;
    // One code point: a quantifier after 👍 applies to the whole character, not its low half.
    const ch = String.fromCodePoint(s.codePointAt(this.i)!);
    this.i += ch.length;
    return { kind: 'lit', ch };
  }

  quantifier(): { min: number; max: number } | null {
    const s = this.src;
    const c = s[this.i];
    let q: { min: number; max: number } = { min: 1, max: 1 };
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (!m) return null;
      const min = Number(m[1]);
      q = { min, max: m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]) };
      this.i += m[0].length - 1;
    } else return q;
    this.i++;
    if (s[this.i] === '?') this.i++;
    return q;
  }
}

/** How good a gate is: long literals and few of them; lone common characters are nearly useless. */
function score(lits: string[]): number {
  const worst = Math.min(...lits.map((l) => (l.length === 1 && COMMON.has(l) ? 0.2 : l.length)));
  return worst * 10 - lits.length;
}

/** The best set of literals one of which every match of this sequence contains, or null. */
function ofSequence(seq: Quantified[]): string[] | null {
  const candidates: string[][] = [];
  let run = '';
  const flush = () => {
    if (run) candidates.push([run]);
    run = '';
  };
  for (const q of seq) {
    if (q.atom.kind === 'lit' && q.once) {
      run += q.atom.ch;
      continue;
    }
    flush();
    if (!q.required) continue;
    if (q.atom.kind === 'lit') candidates.push([q.atom.ch]);
    else if (q.atom.kind === 'group') {
      const set = ofAlternation(q.atom.alts);
      if (set) candidates.push(set);
    }
  }
  flush();
  if (!candidates.length) return null;
  return candidates.reduce((best, c) => (score(c) > score(best) ? c : best));
}

function ofAlternation(alts: Quantified[][]): string[] | null {
  const out = new Set<string>();
  for (const a of alts) {
    const lits = ofSequence(a);
    if (!lits) return null;
    for (const l of lits) out.add(l);
  }
  return [...out];
}

/** The gate literals of a (normalised) pattern, or null when it has none this reader can prove. */
export function requiredLiterals(pattern: string): string[] | null {
  const r = new Reader(pattern);
  const alts = r.alternation();
  if (alts === null || r.i !== pattern.length) return null;
  const lits = ofAlternation(alts);
  return lits && lits.length > 0 && lits.length <= 64 ? lits.sort() : null;
}
