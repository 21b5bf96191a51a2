import type { TestContext } from 'node:test';

/**
 * Tests that need a system package (PostgreSQL, ffmpeg, a browser) call this. On a user's
 * machine a missing package skips the test with the exact install command; in CI (CI=true)
 * every tier must run, so a missing package fails the test instead of passing silently.
 */
export function needs(t: TestContext, what: string, available: boolean, install: string): boolean {
  if (available) return true;
  const message = `${what} is not installed: ${install}`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI must run every tier)`);
  t.skip(message);
  return false;
}
