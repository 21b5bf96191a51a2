import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Headers every response carries. The policy suits a JSON API and the web console that will be
 * served from the same origin: scripts, styles and data only from this origin, audio/images also
 * from blob: and data: URLs the console makes, never inside a frame, no plugins.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const ALWAYS: ReadonlyArray<readonly [string, string]> = [
  ['content-security-policy', CONTENT_SECURITY_POLICY],
  ['x-content-type-options', 'nosniff'],
  ['x-frame-options', 'DENY'],
  ['referrer-policy', 'no-referrer'],
  ['cross-origin-opener-policy', 'same-origin'],
  ['cross-origin-resource-policy', 'same-origin'],
  ['permissions-policy', 'microphone=(), camera=(), geolocation=(), payment=(), usb=()'],
];

/** One year; browsers keep to HTTPS for this host once they saw it over HTTPS. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';

/**
 * onRequest hook: set before any handler runs, so errors, 404s and streamed audio carry them too
 * (a handler may still override one deliberately). HSTS only when this request came over HTTPS —
 * directly, or through a trusted proxy that said so in X-Forwarded-Proto (req.protocol checks
 * trustProxy) — since browsers ignore it over HTTP and it must not reach a plain-HTTP-only setup.
 * API responses are personal data (transcripts, audio): never stored by a browser or shared cache.
 */
export function securityHeaders(req: FastifyRequest, reply: FastifyReply, done: () => void): void {
  for (const [name, value] of ALWAYS) void reply.header(name, value);
  if (req.protocol === 'https') void reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
  if (req.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
  done();
}
