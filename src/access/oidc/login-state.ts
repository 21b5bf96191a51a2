import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * What the callback must check against, from the moment the browser leaves for the IdP: the
 * PKCE verifier, state, nonce and where to go afterwards.
 *
 * Kept in the browser, in a cookie sealed with AES-256-GCM (encrypted and authenticated), rather
 * than in a server-side row: no table, migration or clean-up of abandoned sign-ins, and any API
 * process can finish a sign-in another one started, because the key derives from the client
 * secret they all share. The seal makes the cookie unreadable and unforgeable to the browser and
 * anyone who sees it; the expiry inside it bounds it whatever the cookie's Max-Age; the IdP's
 * one-time codes make a replayed callback fail at the token endpoint.
 */
export interface LoginState {
  codeVerifier: string;
  state: string;
  nonce: string;
  /** A same-origin path (safeReturnTo). */
  returnTo: string;
  /** ms since the epoch. */
  expiresAt: number;
}

/** How long a sign-in may take at the IdP (typing a password, a second factor). */
export const LOGIN_STATE_TTL_MS = 10 * 60_000;
const AAD = Buffer.from('tingjian oidc login state v1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The sealing key: from the client secret, so all API processes agree; a public client (no
 * secret) gets a random key per process — sign-ins then must finish on the process that started them.
 */
export function loginStateKey(clientSecret: string | null): Buffer {
  const ikm = clientSecret ?? randomBytes(32).toString('base64');
  return Buffer.from(hkdfSync('sha256', ikm, 'tingjian', 'oidc login state cookie', 32));
}

export function sealLoginState(s: LoginState, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(AAD);
  const body = Buffer.concat([cipher.update(JSON.stringify([s.codeVerifier, s.state, s.nonce, s.returnTo, s.expiresAt]), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

/** The state, or null when the cookie is missing, altered, sealed with another key or expired. */
export function openLoginState(sealed: string | null, key: Buffer, now: number): LoginState | null {
  if (!sealed || sealed.length > 2048) return null;
  const raw = Buffer.from(sealed, 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES + 2) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES)).setAAD(AAD);
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    const [codeVerifier, state, nonce, returnTo, expiresAt] = JSON.parse(text) as [string, string, string, string, number];
    return expiresAt > now ? { codeVerifier, state, nonce, returnTo, expiresAt } : null;
  } catch {
    return null;
  }
}

/**
 * Where to send the browser after signing in: a path on this server, never another site. Anything
 * else — absolute URLs, protocol-relative `//evil.example`, backslashes browsers read as slashes,
 * control characters — becomes `/`.
 * @example safeReturnTo('/calls/c1?tab=rules') // '/calls/c1?tab=rules'
 * @example safeReturnTo('//evil.example/x') // '/'
 */
export function safeReturnTo(s: string | undefined | null): string {
  if (!s || s.length > 512 || !s.startsWith('/') || s.startsWith('//') || /[\\\s\p{Cc}]/u.test(s)) return '/';
  try {
    const base = 'http://tingjian.invalid';
    const u = new URL(s, base);
    // The URL parser normalises dot segments: `/.//evil.example` becomes the path `//evil.example`,
    // which a browser reads as another host. Check the path it will actually send.
    const out = `${u.pathname}${u.search}${u.hash}`;
    return u.origin === base && !out.startsWith('//') && !out.startsWith('/\\') ? out : '/';
  } catch {
    return '/';
  }
}
