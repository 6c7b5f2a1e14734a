/**
 * @file Least-squares polynomial fits in double-double arithmetic for the SIMD math kernels'
 * series, and their measured errors.
 */
import * as dd from "../double-double.ts";

/**
 * Solves the square system m·c = v in double-double arithmetic (Gaussian elimination with partial
 * pivoting); the generator's polynomial fits are small and the 106 bits absorb their conditioning.
 */
function solveDD(m: dd.DD[][], v: dd.DD[]): dd.DD[] {
  const n = v.length;
  const a = m.map((row, i) => [...row, v[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]![0]) > Math.abs(a[pivot]![col]![0])) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = dd.div(a[r]![col]!, a[col]![col]!);
      for (let k = col; k <= n; k++) a[r]![k] = dd.sub(a[r]![k]!, dd.mul(f, a[col]![k]!));
    }
  }
  const c: dd.DD[] = new Array<dd.DD>(n);
  for (let r = n - 1; r >= 0; r--) {
    let acc = a[r]![n]!;
    for (let k = r + 1; k < n; k++) acc = dd.sub(acc, dd.mul(a[r]![k]!, c[k]!));
    c[r] = dd.div(acc, a[r]![r]!);
  }
  return c;
}

/**
 * A polynomial F(z) = c₀ + c₁z + … of n coefficients with z^w·F(z) ≈ g(a) at z = a² on
 * [0, zMax]: a least-squares fit in double-double on 4n Chebyshev points by its normal equations,
 * one coefficient at a time (fit all the remaining ones, keep the lowest rounded to a double, refit
 * the others to what it leaves, so that the roundings are compensated instead of adding up).
 * `g(a)` returns the target z^w·F as a double-double.
 */
export function fitEven(n: number, w: number, zMax: number, g: (a: number, z: dd.DD) => dd.DD): number[] {
  const rows = Array.from({ length: 4 * n }, (_, j) => {
    const a = Math.sqrt((zMax * (1 - Math.cos(((2 * j + 1) * Math.PI) / (8 * n)))) / 2);
    const z = dd.twoProd(a, a);
    return { z, t: g(a, z) };
  });
  const powers = rows.map(({ z }) => {
    let zw: dd.DD = [1, 0];
    for (let k = 0; k < w; k++) zw = dd.mul(zw, z);
    const pw: dd.DD[] = [zw];
    for (let k = 1; k < n; k++) pw.push(dd.mul(pw[k - 1]!, z));
    return pw;
  });
  const coefs: number[] = [];
  while (coefs.length < n) {
    const fixed = coefs.length;
    const rest = rows.map(({ t }, j) => coefs.reduce((acc, ck, k) => dd.sub(acc, dd.mul([ck, 0], powers[j]![k]!)), t));
    const cols = Array.from({ length: n - fixed }, (_, i) => i + fixed);
    const dot = (u: (j: number) => dd.DD, v: (j: number) => dd.DD): dd.DD => rows.reduce<dd.DD>((acc, _, j) => dd.add(acc, dd.mul(u(j), v(j))), [0, 0]);
    const normal = cols.map((i) => cols.map((k) => dot((j) => powers[j]![i]!, (j) => powers[j]![k]!)));
    const rhs = cols.map((i) => dot((j) => powers[j]![i]!, (j) => rest[j]!));
    coefs.push(solveDD(normal, rhs)[0]![0]);
  }
  return coefs;
}

/** z^w·F(z) − g(a) relative to `scale(a)`, worst over a dense grid of [0, aMax]. */
export function fitError(coefs: readonly number[], w: number, aMax: number, g: (a: number, z: dd.DD) => dd.DD, scale: (a: number) => number): number {
  let worst = 0;
  for (let i = 1; i <= 4000; i++) {
    const a = (aMax * i) / 4000;
    const z = dd.twoProd(a, a);
    let q: dd.DD = [coefs[coefs.length - 1]!, 0];
    for (let k = coefs.length - 2; k >= 0; k--) q = dd.add(dd.mul(q, z), [coefs[k]!, 0]);
    for (let k = 0; k < w; k++) q = dd.mul(q, z);
    worst = Math.max(worst, Math.abs(dd.sub(q, g(a, z))[0] / scale(a)));
  }
  return worst;
}
