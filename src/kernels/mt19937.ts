/**
 * @file The Mersenne Twister MT19937 and NumPy's legacy `RandomState` draws on top of it (uniform
 * doubles, the polar Box–Muller `gauss` with its cached second value, masked-rejection integers,
 * the legacy gamma), bit for bit as NumPy's C code except where that code calls libm: there we use
 * a correctly rounded `log`/`pow`, and glibc's differ in about 1 call in 1000 (see
 * rounded-math.ts: 304 of 10⁶ normals end 1–2 ulps from NumPy's, and NumPy's own differ between
 * CPUs with and without FMA).
 */

import { logRounded, powRounded } from "./rounded-math.ts";

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** The MT19937 generator of 32-bit words (Matsumoto & Nishimura), seeded as NumPy's `MT19937`. */
export class MT19937 {
  private readonly key = new Uint32Array(N);
  private pos = N;

  /** Seeds from one 32-bit integer (Knuth's recurrence, NumPy's `RandomState(int)`). */
  seedInt(seed: number): void {
    let s = seed >>> 0;
    for (let i = 0; i < N; i++) {
      this.key[i] = s;
      // s ← 1812433253 · (s ⊕ (s ≫ 30)) + i + 1 (mod 2³²)
      s = (Math.imul(1812433253, s ^ (s >>> 30)) + i + 1) >>> 0;
    }
    this.pos = N;
  }

  /** Seeds from an array of 32-bit words (`init_by_array`, NumPy's `RandomState([a, b, …])`). */
  seedArray(words: readonly number[]): void {
    const mt = this.key;
    this.seedInt(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, words.length); k > 0; k--) {
      mt[i] = ((mt[i]! ^ Math.imul(mt[i - 1]! ^ (mt[i - 1]! >>> 30), 1664525)) >>> 0) + words[j]! + j;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= words.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      mt[i] = ((mt[i]! ^ Math.imul(mt[i - 1]! ^ (mt[i - 1]! >>> 30), 1566083941)) >>> 0) - i;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.pos = N;
  }

  /** Regenerates the 624 words of state (the twist). */
  private twist(): void {
    const mt = this.key;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & UPPER_MASK) | (mt[(i + 1) % N]! & LOWER_MASK);
      mt[i] = mt[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.pos = 0;
  }

  /** The next tempered 32-bit word, as an unsigned number. */
  nextUint32(): number {
    if (this.pos === N) this.twist();
    let y = this.key[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) from two words: (a·2²⁶ + b) / 2⁵³ with a = w₁ ≫ 5, b = w₂ ≫ 6. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}

/** The smallest all-ones bit mask ≥ `max` (for `max` < 2³²). */
function maskFor(max: number): number {
  let m = max >>> 0;
  m |= m >>> 1;
  m |= m >>> 2;
  m |= m >>> 4;
  m |= m >>> 8;
  m |= m >>> 16;
  return m >>> 0;
}

/** NumPy's legacy random state: an MT19937 plus the cached second normal of the polar method. */
export class LegacyRandom {
  readonly bits = new MT19937();
  private hasGauss = false;
  private gaussNext = 0;

  /** `RandomState.seed(seed)`: an integer uses Knuth's seeding, an array `init_by_array`; the cached normal is dropped. */
  seed(seed: number | readonly number[]): void {
    if (typeof seed === "number") this.bits.seedInt(seed);
    else this.bits.seedArray(seed);
    this.hasGauss = false;
    this.gaussNext = 0;
  }

  /** Uniform in [0, 1) (`legacy_double`). */
  double(): number {
    return this.bits.nextDouble();
  }

  /** A standard normal by the polar Box–Muller method; every second call returns the cached value. */
  gauss(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      const g = this.gaussNext;
      this.gaussNext = 0;
      return g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.double() - 1;
      x2 = 2 * this.double() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * logRounded(r2)) / r2);
    this.gaussNext = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /**
   * An integer in [0, rng] by masked rejection (NumPy's legacy bounded integers and
   * `random_interval`), for 0 ≤ rng < 2³².
   */
  bounded(rng: number): number {
    if (rng === 0) return 0;
    if (rng === 0xffffffff) return this.bits.nextUint32();
    const mask = maskFor(rng);
    let v: number;
    do v = (this.bits.nextUint32() & mask) >>> 0;
    while (v > rng);
    return v;
  }

  /** Exp(1) as `legacy_standard_exponential`: −log(1 − u). */
  exponential(): number {
    return -logRounded(1 - this.double());
  }

  /** Gamma(shape, 1) as `legacy_standard_gamma` (Marsaglia–Tsang for shape > 1, Johnk-like below). */
  standardGamma(shape: number): number {
    if (shape === 1) return this.exponential();
    if (shape === 0) return 0;
    if (shape < 1) {
      for (;;) {
        const u = this.double();
        const v = this.exponential();
        if (u <= 1 - shape) {
          const x = powRounded(u, 1 / shape);
          if (x <= v) return x;
        } else {
          const y = -logRounded((1 - u) / shape);
          const x = powRounded(1 - shape + shape * y, 1 / shape);
          if (x <= v + y) return x;
        }
      }
    }
    const b = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * b);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.gauss();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.double();
      if (u < 1 - 0.0331 * (x * x) * (x * x)) return b * v;
      if (logRounded(u) < 0.5 * x * x + b * (1 - v + logRounded(v))) return b * v;
    }
  }
}
