/**
 * Deterministic randomness for the sample generator: every timing and voice choice comes from a
 * PRNG seeded by the call id, so the output is reproducible.
 */

/** FNV-1a, so each call's seed depends only on its id (adding a call does not reshuffle others). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast and identical on every platform, unlike Math.random. */
export function makeRng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

export const randInt = (rng: () => number, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));
