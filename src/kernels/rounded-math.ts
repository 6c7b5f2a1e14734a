/**
 * @file `log` and `pow` rounded to nearest from double-double arithmetic, for NumPy's legacy normal
 * and gamma draws (src/kernels/mt19937.ts): V8's `Math.log` is within an ulp but misrounds a few
 * percent of arguments; these are correctly rounded.
 *
 * Why correctly rounded rather than C's own (measured with NumPy 2.4.6 on glibc 2.36, x86-64,
 * test/fixtures/gen-random-mt-libm.py). NumPy's mtrand calls libm's `log`, `pow`, `exp`, `sqrt`
 * (it binds `log@GLIBC_2.2.5`; replaying its algorithms in Python with glibc's `log`/`pow` through
 * ctypes gives its draws exactly). glibc's `log` (the ARM optimized-routines algorithm since 2.28:
 * a 128-entry table of 1/c and log c, a polynomial, ≈0.52 ulp) is not correctly rounded: on the
 * polar method's arguments r² it differs from the correctly rounded value on 95 of 100,000 calls.
 * Which arguments it misrounds follows from the exact bits of its table and coefficients, and from
 * the CPU: glibc picks an FMA build of `log` at load time, and on the same machine and NumPy binary
 * `GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA` changes 16 of 156,906 such logs, 65 of 10⁶
 * `RandomState(0).randn` draws and 49 of 2·10⁵ gamma draws. So NumPy's legacy normals are not one
 * function of the seed across machines, and matching one machine's bit for bit would mean
 * reproducing glibc's tables and coefficients — copying its code — which this library does not do.
 * Correct rounding is the platform-independent choice: it agrees with glibc wherever glibc rounds
 * correctly, and test/random-mt.test.ts pins the rest (304 of 10⁶ normals 1–2 ulps off, 94 of
 * 2·10⁵ gammas ≤ 6 ulps, exactly at the draws where glibc misrounds).
 */

/** A double-double: the unevaluated sum hi + lo with |lo| ≤ ulp(hi)/2. */
type DD = [number, number];

const SPLIT = 134217729; // 2²⁷ + 1, Dekker's splitter

/** a + b exactly as a double-double (Knuth's two-sum). */
function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

/** a · b exactly as a double-double (Dekker's product). */
function twoProd(a: number, b: number): DD {
  const p = a * b;
  const ca = SPLIT * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLIT * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function ddAdd(x: DD, y: DD): DD {
  const [s, e] = twoSum(x[0], y[0]);
  const [hi, lo] = twoSum(s, e + x[1] + y[1]);
  return [hi, lo];
}

function ddMul(x: DD, y: DD): DD {
  const [p, e] = twoProd(x[0], y[0]);
  return twoSum(p, e + x[0] * y[1] + x[1] * y[0]);
}

function ddDiv(x: DD, y: DD): DD {
  const q1 = x[0] / y[0];
  const r = ddAdd(x, ddMul(y, [-q1, 0]));
  const q2 = r[0] / y[0];
  const r2 = ddAdd(r, ddMul(y, [-q2, 0]));
  const q3 = r2[0] / y[0];
  return ddAdd(twoSum(q1, q2), [q3, 0]);
}

const LN2: DD = [0.6931471805599453, 2.3190468138462996e-17];
/** 1/(2k + 1) as double-doubles, for the atanh series of log. */
const ODD_RECIPROCALS: DD[] = Array.from({ length: 24 }, (_, k) => ddDiv([1, 0], [2 * k + 1, 0]));
/** 1/n! as double-doubles, for the Taylor series of exp. */
const INV_FACTORIALS: DD[] = (() => {
  const out: DD[] = [[1, 0]];
  for (let n = 1; n < 28; n++) out.push(ddDiv(out[n - 1]!, [n, 0]));
  return out;
})();

/** log(x) as a double-double, for finite x > 0: x = 2ᵉ·m, log m = 2·atanh((m − 1)/(m + 1)). */
function logDD(x: number): DD {
  let e = 0;
  let m = x;
  if (m < 2.2250738585072014e-308) {
    m *= 18014398509481984; // 2⁵⁴: bring a subnormal into the normal range
    e -= 54;
  }
  const ex = Math.floor(Math.log2(m));
  m *= Math.pow(2, -ex);
  e += ex;
  // Math.log2 may be off by one near powers of two: put m in [√½, √2).
  while (m >= Math.SQRT2) {
    m /= 2;
    e += 1;
  }
  while (m < Math.SQRT1_2) {
    m *= 2;
    e -= 1;
  }
  const f = m - 1; // exact (Sterbenz)
  const s = ddDiv([f, 0], twoSum(2, f));
  const z = ddMul(s, s);
  let p: DD = ODD_RECIPROCALS[ODD_RECIPROCALS.length - 1]!;
  for (let k = ODD_RECIPROCALS.length - 2; k >= 0; k--) p = ddAdd(ddMul(p, z), ODD_RECIPROCALS[k]!);
  const logM = ddMul(ddMul(s, p), [2, 0]);
  return ddAdd(ddMul(LN2, [e, 0]), logM);
}

/** exp(x) for a double-double x of moderate size: 2ᵏ · exp(r) with |r| ≤ ln2/2, Taylor series. */
function expDD(x: DD): number {
  const k = Math.round(x[0] / LN2[0]);
  const r = ddAdd(x, ddMul(LN2, [-k, 0]));
  let sum: DD = INV_FACTORIALS[INV_FACTORIALS.length - 1]!;
  for (let n = INV_FACTORIALS.length - 2; n >= 0; n--) sum = ddAdd(ddMul(sum, r), INV_FACTORIALS[n]!);
  // Scale in two steps so 2ᵏ itself never overflows or underflows.
  const h = Math.trunc(k / 2);
  return (sum[0] + sum[1]) * Math.pow(2, h) * Math.pow(2, k - h);
}

/** Natural log correctly rounded to nearest (C's `log` rounds the same except ≈1 argument in 1000). */
export function logRounded(x: number): number {
  if (!(x > 0) || x === Infinity) return Math.log(x);
  const [hi, lo] = logDD(x);
  return hi + lo;
}

/** xʸ correctly rounded for 0 < x and moderate results (C's `pow` in NumPy's small-shape gamma). */
export function powRounded(x: number, y: number): number {
  if (!(x > 0) || x === Infinity || !Number.isFinite(y)) return Math.pow(x, y);
  if (x === 1 || y === 0) return 1;
  const l = logDD(x);
  const t = ddAdd(twoProd(l[0], y), [l[1] * y, 0]);
  if (t[0] > 709 || t[0] < -745) return Math.pow(x, y);
  return expDD(t);
}
