/**
 * @file Double-double arithmetic (about 106 significant bits) and reference evaluations of exp,
 * log, sin, cos and their relatives built on it, for generating the SIMD math kernels' tables
 * (`gen-simd-math.ts`) and for measuring their errors in ulps (`test/simd-math.test.ts`). Slow and
 * simple on purpose: every function is a short series whose truncation error is far below 2⁻¹⁰⁰.
 */

/** The unevaluated sum hi + lo with |lo| ≤ ulp(hi)/2. */
export type DD = readonly [number, number];

const SPLIT = 134217729; // 2²⁷ + 1, Dekker's splitter

/** a + b exactly (Knuth's two-sum). */
export function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

/** a · b exactly (Dekker's product; no overflow for the magnitudes used here). */
export function twoProd(a: number, b: number): DD {
  const p = a * b;
  const ca = SPLIT * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLIT * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

export function add(x: DD, y: DD): DD {
  const [s, e] = twoSum(x[0], y[0]);
  const [t, f] = twoSum(x[1], y[1]);
  const [h, l] = twoSum(s, e + t);
  return twoSum(h, l + f);
}

export const neg = (x: DD): DD => [-x[0], -x[1]];
export const sub = (x: DD, y: DD): DD => add(x, neg(y));

export function mul(x: DD, y: DD): DD {
  const [p, e] = twoProd(x[0], y[0]);
  return twoSum(p, e + (x[0] * y[1] + x[1] * y[0]));
}

export function div(x: DD, y: DD): DD {
  const q1 = x[0] / y[0];
  const r = sub(x, mul(y, [q1, 0]));
  const q2 = r[0] / y[0];
  const r2 = sub(r, mul(y, [q2, 0]));
  const q3 = r2[0] / y[0];
  return add(twoSum(q1, q2), [q3, 0]);
}

/** x · 2ⁿ for any integer n, without intermediate overflow or underflow. */
export function ldexp(x: number, n: number): number {
  if (!Number.isFinite(n)) throw new RangeError(`ldexp: exponent ${n}`);
  // Past ±2200 every finite nonzero x over- or underflows (and the loops below would be long).
  if (n > 2200) return x * Infinity;
  if (n < -2200) return x * 0;
  while (n > 1000) {
    x *= 2 ** 1000;
    n -= 1000;
  }
  while (n < -1000) {
    x *= 2 ** -1000;
    n += 1000;
  }
  return x * 2 ** n;
}

/** The exponent e with 2ᵉ ≤ |x| < 2ᵉ⁺¹, for finite x ≠ 0 (subnormals included). */
export function exponentOf(x: number): number {
  if (x === 0 || !Number.isFinite(x)) throw new RangeError(`exponentOf: ${x}`);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const biased = (view.getUint16(0) >> 4) & 0x7ff;
  if (biased !== 0) return biased - 1023;
  return exponentOf(x * 2 ** 64) - 64;
}

/** The spacing of doubles at x (finite, non-zero x): 2^(exponent − 52). */
export const ulpOf = (x: number): number => 2 ** (exponentOf(x) - 52);

/** The double k ulps from x (finite x, k small): x's bits moved by k. */
export function ulpsAway(x: number, k: number): number {
  const buf = new Float64Array([x]);
  const bits = new BigInt64Array(buf.buffer);
  bits[0] = bits[0]! + BigInt(k);
  return buf[0]!;
}

/** A value m · 2ᵏ with m a double-double, for results beyond the range of doubles (exp of ±745…). */
export interface Scaled {
  readonly m: DD;
  readonly k: number;
}

/** The double nearest m · 2ᵏ (the exact value; ties cannot occur in the references' use). */
export const toNumber = ({ m, k }: Scaled): number => ldexp(m[0], k) + ldexp(m[1], k);

const ONE: DD = [1, 0];
/** ln 2 to 160 bits as three doubles (from the BigInt constant below, rounded piece by piece). */
let ln2Parts: [number, number, number] | undefined;
/** 1/n! for the exp series. */
const INV_FACT: DD[] = [ONE];
for (let n = 1; n < 30; n++) INV_FACT.push(div(INV_FACT[n - 1]!, [n, 0]));

/** π and ln 2 as BigInt fixed-point numbers with `BITS` fractional bits (Machin's formulas). */
const BITS = 1600n;
const SCALE = 1n << BITS;
function arctanInv(n: bigint): bigint {
  // arctan(1/n) = Σ (−1)ᵏ / ((2k+1) n²ᵏ⁺¹)
  let term = SCALE / n;
  let sum = 0n;
  const n2 = n * n;
  for (let k = 0n; term !== 0n; k++) {
    sum += (k % 2n === 0n ? 1n : -1n) * (term / (2n * k + 1n));
    term /= n2;
  }
  return sum;
}
/** π · 2^BITS (Machin: π = 16 arctan(1/5) − 4 arctan(1/239)). */
export const PI_FIXED = 16n * arctanInv(5n) - 4n * arctanInv(239n);
/** ln 2 · 2^BITS (ln 2 = 2 atanh(1/3) = Σ 2 / ((2k+1) 3²ᵏ⁺¹)). */
export const LN2_FIXED = (() => {
  let term = SCALE / 3n;
  let sum = 0n;
  for (let k = 0n; term !== 0n; k++) {
    sum += (2n * term) / (2n * k + 1n);
    term /= 9n;
  }
  return sum;
})();

/** The leading doubles of a positive fixed-point BigInt (`bits` fractional bits): x ≈ p₀ + p₁ + …. */
export function fixedToDoubles(x: bigint, bits: bigint, count: number): number[] {
  const out: number[] = [];
  let rest = x;
  for (let i = 0; i < count; i++) {
    const d = bigToDouble(rest, bits);
    out.push(d);
    rest -= doubleToFixed(d, bits);
  }
  return out;
}

/** The double nearest x / 2^bits (x a BigInt, either sign). */
export function bigToDouble(x: bigint, bits: bigint): number {
  if (x === 0n) return 0;
  const negative = x < 0n;
  const a = negative ? -x : x;
  const len = BigInt(a.toString(2).length);
  // Keep 60 bits and a sticky bit, then let the conversion of that integer round once.
  const shift = len - 60n;
  let top: bigint;
  if (shift > 0n) {
    top = a >> shift;
    if ((top << shift) !== a) top |= 1n;
  } else top = a << -shift;
  // top < 2⁶¹ has at most 61 bits: Number(top) rounds it to 53 correctly (sticky bit kept).
  const d = ldexp(Number(top), Number(shift - bits));
  return negative ? -d : d;
}

/** x · 2^bits as an exact BigInt, for a finite double x whose ulp is at least 2^−bits. */
export function doubleToFixed(x: number, bits: bigint): bigint {
  if (x === 0) return 0n;
  const e = exponentOf(x);
  const mant = BigInt(ldexp(x, 52 - e)); // an integer with 53 bits
  const shift = BigInt(e - 52) + bits;
  return shift >= 0n ? mant << shift : mant >> -shift;
}

function ln2(): [number, number, number] {
  ln2Parts ??= fixedToDoubles(LN2_FIXED, BITS, 3) as [number, number, number];
  return ln2Parts;
}

/** e^x for a double-double x, as m · 2ᵏ (no overflow): x = k ln 2 + r, |r| ≤ ln2/2, then r/2⁸ by Taylor, squared 8 times. */
export function expScaled(x: DD): Scaled {
  // Far past the range of doubles: a stand-in as far past it (e^x rounds to ∞, or to 0).
  if (x[0] > 2000) return { m: ONE, k: 4000 };
  if (x[0] < -2000) return { m: [0, 0], k: 0 };
  const [l0, l1, l2] = ln2();
  const k = Math.round(x[0] / l0);
  let r = sub(sub(x, twoProd(k, l0)), twoProd(k, l1));
  r = sub(r, [k * l2, 0]);
  r = [r[0] / 256, r[1] / 256];
  let s: DD = INV_FACT[INV_FACT.length - 1]!;
  for (let n = INV_FACT.length - 2; n >= 0; n--) s = add(mul(s, r), INV_FACT[n]!);
  for (let i = 0; i < 8; i++) s = mul(s, s);
  return { m: s, k };
}

/** e^x − 1 for any finite double x (scaled past 2¹⁰⁰⁰). */
export function expm1Scaled(x: number): Scaled {
  if (x < 700) return { m: expm1DD(x), k: 0 };
  return expScaled([x, 0]); // 1 is far below the last bit
}

/** tanh x for any finite double x: x near 0 from expm1, else ±(1 − 2u/(1 + u)) with u = e^(−2|x|). */
export function tanhDD(x: number): DD {
  const a = Math.abs(x);
  let t: DD;
  if (a < 0.5) {
    const e = expm1DD(2 * a);
    t = div(e, add(e, [2, 0]));
  } else {
    const { m, k } = expScaled([-2 * a, 0]);
    const u: DD = [ldexp(m[0], k), ldexp(m[1], k)];
    t = sub(ONE, div(mul(u, [2, 0]), add(ONE, u)));
  }
  return x < 0 ? neg(t) : t;
}

/** sech² x = 1 − tanh² x = 4u/(1 + u)² with u = e^(−2|x|), for any finite double x (no cancellation near tanh x = ±1). */
export function sech2DD(x: number): DD {
  const { m, k } = expScaled([-2 * Math.abs(x), 0]);
  const u: DD = [ldexp(m[0], k), ldexp(m[1], k)];
  const s = add(ONE, u);
  return div(mul(u, [4, 0]), mul(s, s));
}

/** The logistic sigmoid 1/(1 + e⁻ˣ) for any finite double x (scaled where it underflows). */
export function sigmoidScaled(x: number): Scaled {
  const { m, k } = expScaled([-Math.abs(x), 0]);
  const u: DD = [ldexp(m[0], k), ldexp(m[1], k)];
  if (x >= 0) return { m: div(ONE, add(ONE, u)), k: 0 };
  return { m: div(m, add(ONE, u)), k };
}

/** e^x − 1 for a double x below 700, as a double-double (series near 0, so small results keep their relative accuracy). */
export function expm1DD(x: number): DD {
  if (Math.abs(x) < 0.25) {
    // Σ xⁿ/n! from n = 1: 30 terms are far more than enough for |x| < 1/4.
    let s: DD = INV_FACT[INV_FACT.length - 1]!;
    for (let n = INV_FACT.length - 2; n >= 1; n--) s = add(mul(s, [x, 0]), INV_FACT[n]!);
    return mul(s, [x, 0]);
  }
  const { m, k } = expScaled([x, 0]);
  return sub([ldexp(m[0], k), ldexp(m[1], k)], ONE);
}

/** log of a positive double-double: m · 2ᵉ with m in [√½, √2), log m = 2 atanh((m−1)/(m+1)). */
export function logDD(x: DD): DD {
  const e = exponentOf(x[0]);
  let m: DD = [ldexp(x[0], -e), ldexp(x[1], -e)];
  let ex = e;
  if (m[0] > Math.SQRT2) {
    m = [m[0] / 2, m[1] / 2];
    ex += 1;
  }
  const f = sub(m, ONE);
  const s = div(f, add(f, [2, 0]));
  const z = mul(s, s);
  let p: DD = div(ONE, [2 * 40 + 1, 0]);
  for (let k = 39; k >= 0; k--) p = add(mul(p, z), div(ONE, [2 * k + 1, 0]));
  const logM = mul(mul(s, p), [2, 0]);
  const [l0, l1, l2] = ln2();
  return add(add(add(twoProd(ex, l0), twoProd(ex, l1)), [ex * l2, 0]), logM);
}

/** log(1 + x) as a double-double. */
export function log1pDD(x: number): DD {
  if (Math.abs(x) < 2 ** -20) {
    // x − x²/2 + x³/3 − …: 8 terms reach 2⁻¹⁶⁰.
    let s: DD = [0, 0];
    for (let n = 9; n >= 1; n--) s = add(mul(s, [x, 0]), div([n % 2 === 1 ? 1 : -1, 0], [n, 0]));
    return mul(s, [x, 0]);
  }
  return logDD(twoSum(1, x));
}

/** xʸ for finite x > 0 and finite y: e^(y·log x) with y·log x a double-double (scaled past the range of doubles). */
export function powScaled(x: number, y: number): Scaled {
  if (x === 1 || y === 0) return { m: ONE, k: 0 };
  const l = logDD([x, 0]);
  // Far past the range (and past where Dekker's split of y would overflow).
  if (Math.abs(l[0] * y) > 4000) return l[0] * y > 0 ? { m: ONE, k: 8000 } : { m: [0, 0], k: 0 };
  return expScaled(add(twoProd(l[0], y), [l[1] * y, 0]));
}

/** The reduction x = q·π/2 + r: q mod 4 and r as a double-double, exact to far below r's ulp even for x = 1e308. */
export function reducePiOver2(x: number): { q: number; r: DD } {
  const fixed = doubleToFixed(x, BITS);
  const halfPi = PI_FIXED >> 1n;
  let q = fixed / halfPi;
  let rem = fixed - q * halfPi;
  // Nearest multiple: r in [−π/4, π/4].
  if (2n * rem > halfPi) {
    q += 1n;
    rem -= halfPi;
  } else if (2n * rem < -halfPi) {
    q -= 1n;
    rem += halfPi;
  }
  const [r0, r1] = fixedToDoubles(rem, BITS, 2);
  return { q: Number(((q % 4n) + 4n) % 4n), r: [r0!, r1!] };
}

/** sin and cos of a double-double |r| ≤ π/4 by Taylor series (26 terms). */
function sinCosSmall(r: DD): [DD, DD] {
  const z = mul(r, r);
  let s: DD = INV_FACT[27]!;
  for (let n = 25; n >= 1; n -= 2) s = add(mul(s, neg(z)), INV_FACT[n]!);
  let c: DD = INV_FACT[28]!;
  for (let n = 26; n >= 0; n -= 2) c = add(mul(c, neg(z)), INV_FACT[n]!);
  return [mul(s, r), c];
}

/** sin x as a double-double, for any finite double x. */
export function sinDD(x: number): DD {
  const { q, r } = reducePiOver2(x);
  const [s, c] = sinCosSmall(r);
  return [s, c, neg(s), neg(c)][q]!;
}

/** cos x as a double-double, for any finite double x. */
export function cosDD(x: number): DD {
  const { q, r } = reducePiOver2(x);
  const [s, c] = sinCosSmall(r);
  return [c, neg(s), neg(c), s][q]!;
}

/**
 * The error of `ours` in ulps of the exact value m · 2ᵏ (an ulp as at the exact value's binade,
 * subnormal spacing below 2⁻¹⁰²²; ±Infinity counts as ±2¹⁰²⁴, the next value past the largest double).
 */
export function ulpError(ours: number, exact: Scaled): number {
  const { m, k } = exact;
  if (Number.isNaN(ours)) return Number.isNaN(m[0]) ? 0 : Infinity;
  if (m[0] === 0) return ours === 0 ? 0 : Infinity;
  const o = ours === Infinity ? ldexp(1, 1024 - k) : ours === -Infinity ? -ldexp(1, 1024 - k) : ldexp(ours, -k);
  const e = exponentOf(m[0]) + k;
  if (e >= 1024) return ours === Math.sign(m[0]) * Infinity ? 0 : Infinity;
  const ulpExp = Math.max(e, -1022) - 52;
  const d = add(twoSum(o, -m[0]), [-m[1], 0]);
  return Math.abs(ldexp(d[0] + d[1], k - ulpExp));
}

/** `ulpError` against a double-double that needs no scaling. */
export const ulpErrorDD = (ours: number, exact: DD): number => ulpError(ours, { m: exact, k: 0 });
