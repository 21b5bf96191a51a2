import { isIP } from 'node:net';

/**
 * Which peers may tell us the client's address (X-Forwarded-For) and scheme (X-Forwarded-Proto):
 * nobody (false, the default: a client talking to us directly could forge both), the nearest
 * `n` hops, or proxies at these addresses/CIDR ranges (proxy-addr's names loopback, linklocal
 * and uniquelocal included).
 */
export type TrustProxy = false | number | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const HOW = 'set it to false, a hop count (1 = the proxy in front of Tingjian) or the proxy addresses as IPs/CIDRs (e.g. 127.0.0.1,10.0.0.0/8 or loopback)';

function rangeProblem(entry: string): string | null {
  if (NAMED_RANGES.has(entry)) return null;
  const [ip = '', prefix, extra] = entry.split('/');
  const family = isIP(ip);
  if (family === 0 || extra !== undefined) return `"${entry}" is not an IP address or CIDR range`;
  if (prefix === undefined) return null;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  return bits >= 0 && bits <= (family === 4 ? 32 : 128) ? null : `"${entry}" has an invalid prefix length`;
}

/**
 * The config value (from JSON or the environment string) → TrustProxy, or why it is invalid.
 * `true` is refused: trusting every peer lets any client choose the address it is rate-limited
 * and logged under.
 * @example parseTrustProxy('1') // { value: 1 }
 * @example parseTrustProxy('127.0.0.1, 10.0.0.0/8') // { value: ['127.0.0.1', '10.0.0.0/8'] }
 */
export function parseTrustProxy(input: unknown): { value: TrustProxy } | { problem: string } {
  if (input === undefined || input === false || input === 'false' || input === '' || input === 0 || input === '0') return { value: false };
  if (input === true || input === 'true') return { problem: `true would trust any client's X-Forwarded-For; ${HOW}` };
  const hops = typeof input === 'number' ? input : typeof input === 'string' && /^\d+$/.test(input.trim()) ? Number(input) : null;
  if (hops !== null) return Number.isInteger(hops) && hops >= 1 && hops <= 10 ? { value: hops } : { problem: `a hop count must be a whole number from 1 to 10; ${HOW}` };
  const entries = typeof input === 'string' ? input.split(',') : Array.isArray(input) && input.every((e) => typeof e === 'string') ? (input as string[]) : null;
  if (!entries) return { problem: HOW };
  const list = entries.map((e) => e.trim()).filter(Boolean);
  const problems = list.map(rangeProblem).filter((p): p is string => p !== null);
  if (list.length === 0 || problems.length) return { problem: `${problems.join('; ') || 'empty list'}; ${HOW}` };
  return { value: list };
}
