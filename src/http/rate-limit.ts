import { isIPv4, isIPv6 } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import { HTTP_STATUS, type ErrorBody } from './error-mapping.js';
import { TokenBuckets } from './token-bucket.js';

/**
 * Per-client rate limits on the routes worth guessing at or flooding: login (password guessing)
 * and call upload (disk and pipeline work). In memory, per process: a small token bucket per
 * client address instead of @fastify/rate-limit, because we need two fixed groups, no shared
 * store and no new dependency; several API processes each apply the limit (docs/security.md).
 * The client address is req.ip, i.e. X-Forwarded-For only from proxies TINGJIAN_TRUST_PROXY trusts.
 */
export type RateLimitGroup = 'login' | 'upload';

const SETTING: Record<RateLimitGroup, { what: string; env: string }> = {
  login: { what: 'login attempts', env: 'TINGJIAN_LOGIN_RATE_LIMIT_PER_MINUTE' },
  upload: { what: 'call uploads', env: 'TINGJIAN_UPLOAD_RATE_LIMIT_PER_MINUTE' },
};

/**
 * The bucket key of a client: its IPv4 address, or the /64 network of an IPv6 one (one host is
 * usually given a whole /64, so single addresses would be free to rotate).
 * @example clientKey('::ffff:203.0.113.9') // '203.0.113.9'
 * @example clientKey('2001:db8:1:2:3:4:5:6') // '2001:db8:1:2::/64'
 */
export function clientKey(ip: string): string {
  const bare = ip.replace(/%.*$/, '');
  if (bare.toLowerCase().startsWith('::ffff:') && isIPv4(bare.slice(7))) return bare.slice(7);
  if (!isIPv6(bare)) return bare;
  const [head = '', tail] = bare.toLowerCase().split('::');
  const groups = (s: string) => (s ? s.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const full = [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${full.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** One token-bucket set per group; a limit of 0 turns the group off. */
export class RateLimiter {
  private readonly groups: Partial<Record<RateLimitGroup, TokenBuckets>> = {};

  constructor(
    readonly limits: Record<RateLimitGroup, number>,
    private readonly now: () => number = () => performance.now(),
  ) {
    for (const g of Object.keys(limits) as RateLimitGroup[]) if (limits[g] > 0) this.groups[g] = new TokenBuckets(limits[g]);
  }

  take(group: RateLimitGroup, ip: string) {
    return this.groups[group]?.take(clientKey(ip), this.now()) ?? ({ allowed: true } as const);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    rateLimiter: RateLimiter;
  }
  interface FastifyContextConfig {
    /** The rate-limit group of the route (see rateLimit()). */
    rateLimit?: RateLimitGroup;
  }
}

/**
 * Route config limiting the route per client address, merged with its access declaration:
 * over the limit the request is answered 429 RATE_LIMITED with Retry-After (seconds), before
 * authentication and before the body is read.
 * @example app.post('/api/v1/auth/login', { config: { ...access('public', 'auth.login'), ...rateLimit('login') } }, handler)
 */
export const rateLimit = (group: RateLimitGroup): { rateLimit: RateLimitGroup } => ({ rateLimit: group });

/**
 * Give the server its limiter and the hook that applies it. buildServer calls this on the root
 * instance before the authorisation hook, so a flood is refused before any credential lookup.
 */
export function installRateLimits(app: FastifyInstance, config: Pick<Config, 'loginRateLimitPerMinute' | 'uploadRateLimitPerMinute'>): void {
  const limiter = new RateLimiter({ login: config.loginRateLimitPerMinute, upload: config.uploadRateLimitPerMinute });
  app.decorate('rateLimiter', limiter);
  app.addHook('onRequest', (req, reply, done) => {
    const group = req.routeOptions.config?.rateLimit;
    const r = group ? limiter.take(group, req.ip) : null;
    if (!group || !r || r.allowed) return done();
    const { what, env } = SETTING[group];
    if (r.firstRefusal) req.log.warn({ rateLimit: group, client: clientKey(req.ip) }, `${what} rate limited`);
    const body: ErrorBody = {
      error: { code: 'RATE_LIMITED', message: `too many ${what} from this address: at most ${limiter.limits[group]} per minute (${env}); try again in ${r.retryAfterSeconds} s` },
    };
    void reply.code(HTTP_STATUS.RATE_LIMITED).header('retry-after', String(r.retryAfterSeconds)).send(body);
  });
}
