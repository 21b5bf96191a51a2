/**
 * Reading what `pocketsphinx_batch -hyp H -ctm C` wrote. Pure.
 * - hyp: one line per utterance, `words … (uttid score)`.
 * - ctm: one line per word, `uttid channel start duration word confidence`, times in seconds
 *   from the start of the utterance; fillers (<s>, </s>, <sil>, [NOISE]) and alternative
 *   pronunciations (`word(2)`) appear as the decoder spelled them.
 */
export interface PocketsphinxUtterance {
  id: string;
  words: Array<{ word: string; startMs: number; endMs: number; confidence: number }>;
}

const FILLER = /^(<s>|<\/s>|<sil>|\[.*\]|\+\+.*\+\+)$/i;

export function parseCtm(text: string): Map<string, PocketsphinxUtterance> {
  const out = new Map<string, PocketsphinxUtterance>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    const [id, , start, dur, rawWord, conf] = f as [string, string, string, string, string, string];
    const word = rawWord.replace(/\(\d+\)$/, '');
    if (FILLER.test(word)) continue;
    const startMs = Math.round(Number(start) * 1000);
    const u = out.get(id) ?? { id, words: [] };
    u.words.push({ word, startMs, endMs: startMs + Math.round(Number(dur) * 1000), confidence: Number(conf) });
    out.set(id, u);
  }
  return out;
}

/** uttid → hypothesis text (fillers already left out by pocketsphinx). */
export function parseHyp(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(.*)\(([^()\s]+)\s+-?\d+\)\s*$/.exec(line.trim());
    if (m) out.set(m[2]!, m[1]!.trim());
  }
  return out;
}
