/**
 * @file mulberry32: a tiny seeded 32-bit generator of uniforms in [0, 1), for reproducible test
 * directions and data (not the library's `np.random`, which is threefry).
 */

/** A generator of uniforms in [0, 1), deterministic for a given seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
