import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { TingjianError } from '../../domain/errors.js';
import { normalizeText } from '../../rules/text/normalize-text.js';
import { builtInWords, DEFAULT_USER_FREQ, type UserWord } from './user-dictionary.js';

/** A word of the text: `word` normalised (退货 for 退貨), `start`/`end` UTF-16 offsets into the text as given. */
export interface Token {
  word: string;
  start: number;
  end: number;
}

export interface SegmenterOptions {
  /** Words kept whole on top of jieba's dictionary: plain words or dictionary entries (see loadUserDictionary). */
  userWords?: ReadonlyArray<string | UserWord>;
  /** Also the built-in customer-service words (templates/topics/cs-words.txt, read once per process). Default true. */
  builtIn?: boolean;
  /**
   * jieba's HMM for words in no dictionary. Default false: on short spoken sentences it glues
   * neighbours into non-words (保以, 旧换) more often than it finds a real new word, and cluster
   * labels made of such tokens read as noise. Put real new words in the user dictionary instead.
   */
  hmm?: boolean;
}

/**
 * Building jieba takes ~200 ms (its 350k-word dictionary), so one instance is built per distinct
 * word list, on first use, and shared by every Segmenter with that list. A few lists are kept (a
 * server sees a new one each time the user dictionary is edited), the least recently used dropped.
 */
const instances = new Map<string, Jieba>();
const KEEP_INSTANCES = 4;

function jiebaFor(userDict: string): Jieba {
  let j = instances.get(userDict);
  if (j) instances.delete(userDict);
  else {
    j = Jieba.withDict(dict);
    if (userDict) j.loadDict(Buffer.from(userDict, 'utf8'));
    if (instances.size >= KEEP_INSTANCES) instances.delete(instances.keys().next().value!);
  }
  instances.set(userDict, j);
  return j;
}

/** A user word as a jieba dictionary line, normalised like the text it will meet (退貨 → 退货). */
function dictLine(w: string | UserWord): string | null {
  const entry = typeof w === 'string' ? { word: w } : w;
  const word = normalizeText(entry.word.trim());
  if (!word) return null;
  // jieba's dictionary is space-separated, and its words never hold a space: such a word would never match.
  if (/\s/.test(word)) throw new TingjianError('CONFIG_INVALID', `a user word has no spaces: "${entry.word}"`);
  return `${word} ${entry.freq ?? DEFAULT_USER_FREQ} ${entry.tag ?? 'nz'}`;
}

/**
 * Chinese word segmentation (jieba) with offsets into the text. The text is normalised first
 * (full/half width, case, traditional → simplified, one character for one), so 退貨 and 退货 are
 * the same word and every offset points at what was said. Whitespace is not a token.
 * @example new Segmenter({ userWords: ['超级会员日'] }).cut('超級會員日退貨') // 超级会员日 0-5, 退货 5-7
 */
export class Segmenter {
  private readonly userDict: string;
  private readonly userWords: ReadonlySet<string>;
  private readonly hmm: boolean;
  private jieba: Jieba | null = null;

  constructor(opts: SegmenterOptions = {}) {
    const words = [...(opts.builtIn === false ? [] : builtInWords()), ...(opts.userWords ?? [])];
    // Sorted and deduplicated (later entries win): the same words in any order share one instance.
    const lines = new Map<string, string>();
    for (const w of words) {
      const line = dictLine(w);
      if (line) lines.set(line.slice(0, line.indexOf(' ')), line);
    }
    this.userDict = [...lines.values()].sort().join('\n');
    this.userWords = new Set(lines.keys());
    this.hmm = opts.hmm ?? false;
  }

  /**
   * The words of the text, normalised, without offsets; a user-dictionary compound also as the
   * dictionary words inside it (物流信息 → 物流信息, 物流, 信息). For clustering and indexing, where
   * 物流信息 and 物流 should share a feature. Only user words are opened up: jieba's search mode
   * on everything also yields fragments such as 开发 from 开发票.
   */
  words(text: string): string[] {
    const out: string[] = [];
    for (const { word } of this.cut(text)) {
      out.push(word);
      if (word.length > 2 && this.userWords.has(word)) for (const part of this.jieba!.cutForSearch(word, false)) if (part !== word) out.push(part);
    }
    return out;
  }

  cut(text: string): Token[] {
    const norm = normalizeText(text);
    this.jieba ??= jiebaFor(this.userDict);
    const out: Token[] = [];
    let pos = 0;
    for (const word of this.jieba.cut(norm, this.hmm)) {
      // jieba returns every character in order; indexOf only guards against one it might drop.
      const at = norm.startsWith(word, pos) ? pos : norm.indexOf(word, pos);
      if (at < 0) continue;
      pos = at + word.length;
      if (!/^\s+$/.test(word)) out.push({ word, start: at, end: pos });
    }
    return out;
  }
}
