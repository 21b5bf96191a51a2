import type { EntityMatch } from './entity-match.js';

/**
 * Order and waybill numbers. Patterns run on the digit view (digit-view.ts), so an order number read
 * aloud (订单号是幺二三…) is found too; the value is the matched text of the view (letters as
 * written, digits ASCII). A pattern with a named group `id` reports only that group
 * (`订单号(?<id>\d{12})`); otherwise the whole match is the number.
 */
export const DEFAULT_ORDER_PATTERNS: readonly RegExp[] = [
  // carrier / platform prefixes: JD0012345678901, SF1234567890123, ZTO…, jt… (ASR may write lower case)
  /(?<![A-Za-z0-9])(?:JD|SF|YT|ZTO|JT)\d{10,15}(?![0-9])/i,
  // 2–4 capitals and 8–18 digits: DD20240305123456, YT1234567890
  /(?<![A-Za-z0-9])[A-Z]{2,4}\d{8,18}(?![0-9])/,
  // a 10–20 digit run right after 订单号/订单编号/单号/运单号/快递单号 (是/为/：/spaces between allowed)
  /(?<=(?:订单编号|单号)[\s:：]*(?:是|为)?[\s:：]*)\d{10,20}(?![0-9])/,
];

/** Compiles the order patterns of a rule module (strings from YAML/JSON); throws on the first bad one. */
export function compileOrderPatterns(patterns: string[]): RegExp[] {
  return patterns.map((pattern, i) => {
    const name = `order pattern ${i + 1} ${JSON.stringify(pattern)}`;
    if (typeof pattern !== 'string' || pattern.length === 0) throw new Error(`${name}: must be a non-empty string`);
    let re: RegExp;
    try {
      re = new RegExp(pattern);
    } catch (e) {
      throw new Error(`${name} is not a valid regular expression: ${(e as Error).message}`, { cause: e });
    }
    if (new RegExp(`^(?:${pattern})$`).test('')) throw new Error(`${name} matches the empty string`);
    return re;
  });
}

/** Scanning copies (flags g, plus d for an `id` group), one per pattern: the caller's RegExp and its lastIndex are never touched. */
const scanners = new WeakMap<RegExp, RegExp>();

function scannerFor(pattern: RegExp): RegExp {
  let re = scanners.get(pattern);
  if (!re) {
    const flags = pattern.flags.replace(/[gyd]/g, '') + 'g' + (pattern.source.includes('(?<id>') ? 'd' : '');
    re = new RegExp(pattern.source, flags);
    scanners.set(pattern, re);
  }
  return re;
}

/** Every default pattern needs 8 digits in a row: without them most sentences skip the defaults (also when mixed with a module's own). */
const DEFAULTS = new Set(DEFAULT_ORDER_PATTERNS);
const DEFAULTS_NEED = /[0-9]{8}/;

export function findOrderNumbers(view: string, patterns: readonly RegExp[]): EntityMatch[] {
  const out: EntityMatch[] = [];
  let defaultsMayMatch: boolean | undefined;
  for (const pattern of patterns) {
    if (DEFAULTS.has(pattern) && !(defaultsMayMatch ??= DEFAULTS_NEED.test(view))) continue;
    const re = scannerFor(pattern);
    re.lastIndex = 0;
    for (let m = re.exec(view); m; m = re.exec(view)) {
      if (m[0] === '') {
        re.lastIndex++;
        continue;
      }
      const [start, end] = m.indices?.groups?.id ?? [m.index, m.index + m[0].length];
      if (end > start) out.push({ type: 'orderNumber', start, end, value: view.slice(start, end), masked: false });
    }
  }
  return out;
}
