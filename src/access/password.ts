import { hash, verify } from '@node-rs/argon2';
import { TingjianError } from '../domain/errors.js';

/**
 * Passwords: argon2id with the library's defaults (m=19 MiB, t=2, p=1 — OWASP's recommended
 * minimum), ~25 ms a hash on one core here. The hash string carries its own parameters, so
 * raising them later still verifies old hashes.
 */
export const MIN_PASSWORD_LENGTH = 10;

export function checkPasswordPolicy(password: string, username?: string): void {
  const problems: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) problems.push(`at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > 256) problems.push('at most 256 characters');
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('must not contain the user name');
  if (new Set(password).size < 4) problems.push('at least 4 different characters');
  if (problems.length) throw new TingjianError('INVALID_REQUEST', `password too weak: ${problems.join('; ')}`, { problems });
}

export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a password nobody has, verified when the user name is unknown so a failed login
 * takes as long either way (no user-name probing by timing).
 */
let dummy: Promise<string> | null = null;
export const dummyHash = (): Promise<string> => (dummy ??= hash('tingjian-no-such-user-' + Math.random()));
