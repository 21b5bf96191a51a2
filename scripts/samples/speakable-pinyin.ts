/**
 * Text → tone-numbered pinyin for espeak-ng's `cmn-latn-pinyin` voice (the stock `cmn` dictionary
 * lacks most characters), with the digits read the way a Chinese speaker reads them on the phone.
 */
import { customPinyin, pinyin } from 'pinyin-pro';

const CN_DIGITS = '零一二三四五六七八九';

/** 0 ≤ n < 10000 in Chinese numerals, with the 零 rules (1001 → 一千零一, 1100 → 一千一百). */
function under10k(n: number): string {
  const units = ['', '十', '百', '千'];
  const s = String(n);
  let out = '';
  let pendingZero = false;
  for (let i = 0; i < s.length; i++) {
    const d = Number(s[i]);
    if (d === 0) {
      pendingZero = out.length > 0;
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += CN_DIGITS[d] + (units[s.length - 1 - i] ?? '');
  }
  return out || '零';
}

/** Cardinal reading of an integer below 10^8; 10–19 read 十X as people say them. */
function cardinal(n: number): string {
  const high = Math.floor(n / 10000);
  const low = n % 10000;
  let out = high > 0 ? `${under10k(high)}万${low === 0 ? '' : (low < 1000 ? '零' : '') + under10k(low)}` : under10k(low);
  if (out.startsWith('一十')) out = out.slice(1);
  return out;
}

/** Digit by digit, as numbers are read on the phone; 1 is 幺 so it is not confused with 7. */
function digitByDigit(digits: string, one = '幺'): string {
  return [...digits].map((d) => (d === '1' ? one : CN_DIGITS[Number(d)])).join('');
}

/**
 * How a Chinese speaker reads the digits in `text`: percentages and decimals as numbers, amounts
 * (…元/块) as numbers, long digit strings (order, phone, ID numbers) digit by digit, short ones
 * (3天, 9月10号) as numbers.
 */
function readNumbersAloud(text: string): string {
  return text
    .replace(/(\d+)(?:\.(\d+))?%/g, (_m, int: string, frac?: string) => `百分之${cardinal(Number(int))}${frac ? `点${digitByDigit(frac, '一')}` : ''}`)
    .replace(/(\d+)\.(\d+)/g, (_m, int: string, frac: string) => `${cardinal(Number(int))}点${digitByDigit(frac, '一')}`)
    .replace(/\d+/g, (digits: string, offset: number, whole: string) => {
      const next = whole[offset + digits.length] ?? '';
      if (digits.length >= 4 && next === '年') return digitByDigit(digits, '一');
      if (digits.length >= 4 && !/[元块万]/.test(next)) return digitByDigit(digits);
      return cardinal(Number(digits));
    });
}

/** Words pinyin-pro's segmenter reads wrongly in these dialogues (没收 "confiscate" in 没收到). */
customPinyin({ 没收到: 'méi shōu dào' });

/** Chinese punctuation → the ASCII punctuation espeak-ng uses for pauses and intonation. */
const PUNCTUATION: Record<string, string> = {
  '，': ',', '、': ',', '；': ',', '：': ',', '…': ',', ',': ',',
  '。': '.', '！': '.', '.': '.', '!': '.',
  '？': '?', '?': '?',
  '“': '', '”': '', '‘': '', '’': '', '（': '', '）': '', '《': '', '》': '', '—': '', '·': '',
};

/**
 * Tone-numbered pinyin for espeak-ng's `cmn-latn-pinyin` voice. Anything else (Latin letters,
 * symbols) has no sensible reading, so it is an error: give the turn a `say` instead.
 */
export function toSpeakablePinyin(text: string): string {
  const tokens = pinyin(readNumbersAloud(text), { toneType: 'num', type: 'array', v: true, nonZh: 'consecutive' });
  const words: string[] = [];
  for (const token of tokens) {
    if (/^[a-z]+[0-5]$/.test(token)) {
      // pinyin-pro marks the neutral tone 0; espeak-ng expects 5.
      words.push(token.replace(/0$/, '5'));
      continue;
    }
    for (const ch of token) {
      if (/\s/.test(ch)) continue;
      const p = PUNCTUATION[ch];
      if (p === undefined) throw new Error(`cannot read "${ch}" aloud in "${text}" — give the turn a \`say\``);
      if (p && words.length > 0) words[words.length - 1] += p;
    }
  }
  return words.join(' ');
}
