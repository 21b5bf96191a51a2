/**
 * The session cookie, without a cookie library: one name, one value format. HttpOnly (scripts
 * cannot read it), SameSite=Strict (other sites cannot send it), Path=/; Secure over HTTPS.
 */
export const SESSION_COOKIE = 'tj_session';

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

export function sessionCookie(value: string, opts: { maxAgeSeconds: number; secure: boolean }): string {
  return [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`, ...(opts.secure ? ['Secure'] : [])].join('; ');
}

export const clearedSessionCookie = (secure: boolean): string => sessionCookie('', { maxAgeSeconds: 0, secure });
