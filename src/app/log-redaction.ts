/**
 * What must never reach a log: credentials in headers (Authorization, Cookie, Set-Cookie, API
 * keys), secret-named fields anywhere in a logged object (up to four levels deep: a request
 * body, an error's details), and tokens carried in a URL's query (download links, OIDC
 * callbacks). Applied by createLogger, so every logger — Fastify's request logs included — has it.
 */

/** Field names whose values are secrets wherever they appear. Add a name here, not a path. */
export const SECRET_FIELDS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'masterKey',
  'secret',
  'clientSecret',
  'apiKey',
] as const;

const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'proxy-authorization', 'x-api-key'] as const;

/** pino `redact` paths for the above ('*' is one level, so each field is listed at depths 0–4). */
export function redactPaths(): string[] {
  const fields = SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`, `*.*.*.${f}`, `*.*.*.*.${f}`]);
  const headers = SECRET_HEADERS.flatMap((h) => ['req.headers', 'res.headers', 'headers', 'request.headers', 'response.headers'].map((at) => `${at}["${h}"]`));
  return [...fields, ...headers];
}

export const REDACTED = '[redacted]';

/** A query parameter whose value is a credential: token, access_token, code (OIDC), signature, key … */
const SECRET_PARAM = /token|password|passwd|secret|signature|api_?key|^(key|sig|code)$/i;

/**
 * The URL with the values of secret query parameters replaced.
 * @example maskUrl('/api/v1/calls/c1/audio?token=abc&download=1') // '/api/v1/calls/c1/audio?token=[redacted]&download=1'
 */
export function maskUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const [query, hash] = url.slice(q + 1).split(/#(.*)/s) as [string, string | undefined];
  const masked = query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: judge the raw name
      }
      return eq >= 0 && SECRET_PARAM.test(decoded) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${masked}${hash !== undefined ? `#${hash}` : ''}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
  host?: string;
  socket?: { remoteAddress?: string; remotePort?: number } | null;
}

/** Fastify's request serializer (method, url, host, client address) with the URL masked; never headers or body. */
export function requestSerializer(req: LoggedRequest) {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? maskUrl(req.url) : req.url,
    host: req.host,
    remoteAddress: req.ip ?? req.socket?.remoteAddress,
    remotePort: req.socket?.remotePort,
  };
}
