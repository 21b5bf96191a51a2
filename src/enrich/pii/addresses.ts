import type { PiiMatch } from './pii-match.js';

/**
 * Postal addresses in Chinese, best effort: a chain of parts said one after another, large to
 * small — 省/市/区/县/镇/乡/街道 (region), 路/街/大道/巷/胡同 and 小区/花园/大厦/村 (place), 88号,
 * 3号楼, 2单元, 501室, B座 (number) — as in 北京市朝阳区建国路88号 or 阳光小区5栋2单元501.
 *
 * What is an address here (decided, so the console masks what identifies a household and no more):
 * - at least two parts, and a place or number part after the first one. So 北京市海淀区 (a city
 *   and district: said every day about branches and warehouses), 我在北京上班, a street alone
 *   (我在中山路上班), an estate alone (阳光小区) and a number alone (5号: a date; 3楼) are NOT
 *   addresses; 海淀区中关村大街, 建国路88号, 阳光小区5栋, 张家村3组 are. Words about an address
 *   (物流地址, 收货地址) have no parts and are never flagged.
 * - the span runs from the first part to the last place or number part; a trailing bare room
 *   number (2单元501, 3-2-501) is included.
 * - a part's name runs back to punctuation or a function word (的, 在, 是, 到, 寄, 住 …), at most
 *   8 chars; a chain's first part needs a name of 2 chars (1 for 县: 沛县), which keeps 超市, 逛街,
 *   郊区 out; inside a chain any name will do.
 * Known misses: addresses without part suffixes (北京朝阳建国门外), names cut by an ASR space.
 * Input is the normalised view (traditional → simplified: 號 → 号, 區 → 区).
 */

/** 0 region, 1 place, 2 number. */
type Level = 0 | 1 | 2;

/** [suffix, level, shortest name that may start an address]; a longer suffix before a shorter one it starts like. */
const NAME_SUFFIXES: ReadonlyArray<readonly [string, Level, number]> = [
  ['特别行政区', 0, 2],
  ['自治区', 0, 2],
  ['自治州', 0, 2],
  ['自治县', 0, 2],
  ['自治旗', 0, 2],
  ['省', 0, 2],
  ['市', 0, 2],
  ['区', 0, 2],
  ['县', 0, 1],
  ['旗', 0, 2],
  ['镇', 0, 2],
  ['乡', 0, 2],
  ['街道', 0, 2],
  ['大街', 1, 2],
  ['大道', 1, 2],
  ['胡同', 1, 2],
  ['路', 1, 2],
  ['街', 1, 2],
  ['道', 1, 2],
  ['巷', 1, 2],
  ['弄', 1, 2],
  ['小区', 1, 2],
  ['花园', 1, 2],
  ['家园', 1, 2],
  ['公寓', 1, 2],
  ['大厦', 1, 2],
  ['新村', 1, 2],
  ['社区', 1, 2],
  ['广场', 1, 2],
  ['苑', 1, 2],
  ['村', 1, 2],
  ['屯', 1, 2],
];

/** After digits: 88号, 3号楼, 2单元, 501室, 四段 (Taiwan), 100巷. */
const NUMBER_SUFFIXES = ['号院', '号楼', '号', '栋', '幢', '座', '单元', '楼', '层', '室', '户', '组', '段', '排', '巷', '弄'];
/** 10号线 is a metro line, 号码 a number: no house number. */
const NOT_HOUSE_NUMBERS = ['号线', '号码', '号机', '号位'];

const NUM = /^[0-9A-Za-z零〇一二两三四五六七八九十百千幺洞拐-]+$/;
const isNumChar = (ch: string) => NUM.test(ch);
/** Function words that are no part of a place name: a name starts after them. */
const STOP = '的了是在我你他她它您们这那哪个吗呢吧啊呀哦嗯就说要把请帮给寄送住到往从去还也想址跟被让对没不很';
const NAME_CHAR = /[\u3400-\u9fff0-9A-Za-z-]/;
const SPACE = /\s/;
const MAX_NAME = 8;
/** Per UTF-16 unit: 1 whitespace, 2 a char a name may hold (NAME_CHAR, not STOP), 0 anything else — one read instead of three tests per char. */
const CLASS = (() => {
  const t = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const ch = String.fromCharCode(c);
    t[c] = SPACE.test(ch) ? 1 : NAME_CHAR.test(ch) && !STOP.includes(ch) ? 2 : 0;
  }
  return t;
})();
/** A room number after the last part when it is a building or an estate: 2单元501, 阳光小区3-2-501 (not 88号2024). */
const ROOM_AFTER = new Set(['号楼', '栋', '幢', '座', '单元', '楼', '小区', '花园', '家园', '公寓', '大厦', '新村', '苑']);
const ROOM = /\s*(?:[0-9A-Za-z]+(?:-[0-9A-Za-z]+)+|[0-9]{3,5})(?![0-9A-Za-z-])/y;
/** The first char of every suffix: a text without one has no address (the quick test), and a part can only end at one. */
const SUFFIX_START = new Set([...NAME_SUFFIXES.map(([s]) => s[0]!), ...NUMBER_SUFFIXES.map((s) => s[0]!)]);
const CUE = new RegExp(`[${[...SUFFIX_START].join('')}]`);

interface Part {
  start: number;
  end: number;
  level: Level;
  suffix: string;
  /** A suffix right after the previous part (中关村 + 大街): it extends that part. */
  merge: boolean;
}

/** The part whose suffix starts at `at`, its name starting no earlier than `nameStart`; null if none. */
function partAt(view: string, at: number, nameStart: number, inChain: boolean): Part | null {
  for (const suffix of NUMBER_SUFFIXES) {
    if (!view.startsWith(suffix, at)) continue;
    if (NOT_HOUSE_NUMBERS.some((s) => view.startsWith(s, at))) break;
    let from = at;
    while (from > nameStart && isNumChar(view[from - 1]!)) from--;
    if (from === at) break; // no digits: 巷/弄 may still end a name
    if (from > nameStart && view[from - 1] === '第') from--;
    return { start: from, end: at + suffix.length, level: 2, suffix, merge: false };
  }
  const name = view.slice(nameStart, at);
  if (name.length > 0 && NUM.test(name)) return null; // 8路 (a bus), 一路顺风
  for (const [suffix, level, minName] of NAME_SUFFIXES) {
    if (!view.startsWith(suffix, at)) continue;
    if (name.length === 0) return inChain ? { start: at, end: at + suffix.length, level, suffix, merge: true } : null;
    if (!inChain && name.length < minName) return null;
    return { start: nameStart, end: at + suffix.length, level, suffix, merge: false };
  }
  return null;
}

/** `view`: the text normalised char for char (full-width → half-width, traditional → simplified). */
export function findAddresses(view: string): PiiMatch[] {
  if (!CUE.test(view)) return [];
  const out: PiiMatch[] = [];
  let chain: Part[] = [];
  // where the name of the next part may start; while a chain is open, only spaces lie between its end and here
  let nameStart = 0;

  const flush = () => {
    let last = chain.length - 1;
    while (last >= 1 && chain[last]!.level === 0) last--;
    if (last >= 1) {
      let end = chain[last]!.end;
      if (last === chain.length - 1 && ROOM_AFTER.has(chain[last]!.suffix)) {
        ROOM.lastIndex = end;
        end += ROOM.exec(view)?.[0].length ?? 0;
      }
      out.push({ type: 'address', start: chain[0]!.start, end });
    }
    chain = [];
  };

  const add = (part: Part) => {
    const previous = chain[chain.length - 1];
    if (previous && part.merge) {
      previous.end = part.end;
      previous.level = Math.max(previous.level, part.level) as Level;
      previous.suffix = part.suffix;
    } else {
      // chars before the part that belong to no part, or a region after a street: a new chain
      if (previous && (part.start > nameStart || (part.level === 0 && previous.level > 0))) flush();
      chain.push(part);
    }
    nameStart = part.end;
  };

  for (let i = 0; i < view.length; ) {
    const ch = view[i]!;
    const kind = CLASS[view.charCodeAt(i)]!;
    if (kind === 1) {
      if (nameStart !== i) flush(); // a name cut by a space: what came before is no part
      nameStart = ++i;
      continue;
    }
    if (kind === 0) {
      flush();
      nameStart = ++i;
      continue;
    }
    // Most chars start no suffix: skip the suffix lists for them (the hot path of every sentence).
    const part = SUFFIX_START.has(ch) ? partAt(view, i, nameStart, chain.length > 0) : null;
    if (part) {
      add(part);
      i = part.end;
      continue;
    }
    i++;
    if (i - nameStart > MAX_NAME) {
      flush();
      nameStart = i - MAX_NAME;
    }
  }
  flush();
  return out;
}
