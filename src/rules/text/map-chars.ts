/**
 * Maps every UTF-16 code unit of a string through a 64k-entry table; returns the same string when
 * nothing changes. Shared by the normalised and the fuzzy-pinyin views of sentences. Built through
 * a reused buffer and String.fromCharCode over it: 3–5× faster than joining one-character strings,
 * and this runs on every sentence of every call.
 */
let buf = new Uint16Array(256);
const CHUNK = 8192;

export function mapChars(s: string, table: Uint16Array): string {
  const n = s.length;
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (table[c] !== c) break;
  }
  if (i === n) return s;
  if (buf.length < n) buf = new Uint16Array(Math.max(n, buf.length * 2));
  for (let j = 0; j < n; j++) buf[j] = table[s.charCodeAt(j)]!;
  if (n <= CHUNK) return String.fromCharCode.apply(null, buf.subarray(0, n) as unknown as number[]);
  let out = '';
  for (let k = 0; k < n; k += CHUNK) out += String.fromCharCode.apply(null, buf.subarray(k, Math.min(n, k + CHUNK)) as unknown as number[]);
  return out;
}
