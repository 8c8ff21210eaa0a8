/**
 * A seeded random source, so a chaos run that found a bug can be repeated draw for draw: probabilistic fault rules
 * and jittered read lags both draw from it.
 */

/**
 * mulberry32: a small, fast 32-bit PRNG with a full 2^32 period; plenty for fault draws, not for secrets.
 * @returns a function giving numbers in [0, 1), the same sequence for the same seed.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
