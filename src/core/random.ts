/**
 * mulberry32: a small, fast, well-distributed PRNG, deterministic for a seed. Used where runs must be
 * reproducible (generated values with a seed, the local tenant's jitter and fault injection, benchmarks);
 * never for secrets (those use node:crypto).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
