/**
 * @file Loops over complex storage: the real and imaginary planes of interleaved data and back, and
 * the complex arithmetic of the elementwise primitives (products, quotients, comparisons, select).
 * A complex element `k` lives at `data[2k]` (real part) and `data[2k + 1]` (imaginary part).
 */
import type { TypedArray } from "../core/dtype.ts";

/** Copies the real parts (`part` 0) or the imaginary parts (`part` 1) of `src` into `out` (one slot per element). */
export function extractPart(src: TypedArray, part: 0 | 1, out: TypedArray): void {
  for (let k = 0, n = out.length; k < n; k++) out[k] = src[2 * k + part]!;
}

/** Interleaves `re` and `im` (either may be `null`: zeros) into `out` of twice their length. */
export function interleave(re: TypedArray | null, im: TypedArray | null, out: TypedArray): void {
  const n = out.length / 2;
  if (re !== null) for (let k = 0; k < n; k++) out[2 * k] = re[k]!;
  if (im !== null) for (let k = 0; k < n; k++) out[2 * k + 1] = im[k]!;
}

/** (a + bi)(c + di) = (ac − bd) + (ad + bc)i, elementwise. */
export function mulComplex(x: TypedArray, y: TypedArray, out: TypedArray): void {
  for (let i = 0, n = out.length; i < n; i += 2) {
    const a = x[i]!, b = x[i + 1]!, c = y[i]!, d = y[i + 1]!;
    out[i] = a * c - b * d;
    out[i + 1] = a * d + b * c;
  }
}

/**
 * (a + bi) / (c + di) by Smith's algorithm (what NumPy does): scaling by the larger of |c|, |d|
 * avoids the overflow and underflow of forming c² + d².
 */
export function divComplex(x: TypedArray, y: TypedArray, out: TypedArray): void {
  for (let i = 0, n = out.length; i < n; i += 2) {
    const a = x[i]!, b = x[i + 1]!, c = y[i]!, d = y[i + 1]!;
    if (Math.abs(c) >= Math.abs(d)) {
      if (c === 0 && d === 0) {
        // Division by complex zero: each part divided by 0, as NumPy (±inf or nan).
        out[i] = a / Math.abs(c);
        out[i + 1] = b / Math.abs(c);
        continue;
      }
      const r = d / c;
      const den = c + d * r;
      out[i] = (a + b * r) / den;
      out[i + 1] = (b - a * r) / den;
    } else {
      const r = c / d;
      const den = c * r + d;
      out[i] = (a * r + b) / den;
      out[i + 1] = (b * r - a) / den;
    }
  }
}

/** The conjugate: imaginary parts negated. */
export function conjComplex(x: TypedArray, out: TypedArray): void {
  for (let i = 0, n = out.length; i < n; i += 2) {
    out[i] = x[i]!;
    out[i + 1] = -x[i + 1]!;
  }
}

/**
 * Elementwise comparison of complex operands into a bool `out` (one slot per element): equality of
 * both parts, or NumPy's lexicographic order (real parts first, imaginary parts on a tie).
 */
export function compareComplex(op: "eq" | "ne" | "lt" | "le" | "gt" | "ge", x: TypedArray, y: TypedArray, out: TypedArray): void {
  for (let k = 0, n = out.length; k < n; k++) {
    const a = x[2 * k]!, b = x[2 * k + 1]!, c = y[2 * k]!, d = y[2 * k + 1]!;
    let r: boolean;
    switch (op) {
      case "eq":
        r = a === c && b === d;
        break;
      case "ne":
        r = a !== c || b !== d;
        break;
      case "lt":
        r = a < c || (a === c && b < d);
        break;
      case "le":
        r = a < c || (a === c && b <= d);
        break;
      case "gt":
        r = a > c || (a === c && b > d);
        break;
      case "ge":
        r = a > c || (a === c && b >= d);
        break;
    }
    out[k] = r ? 1 : 0;
  }
}

/** `select` on complex values: element k of `out` is `x`'s where `c[k]` is true, else `y`'s. */
export function selectComplex(c: TypedArray, x: TypedArray, y: TypedArray, out: TypedArray): void {
  for (let k = 0, n = c.length; k < n; k++) {
    const src = c[k] ? x : y;
    out[2 * k] = src[2 * k]!;
    out[2 * k + 1] = src[2 * k + 1]!;
  }
}

/** |z| without overflow or needless underflow (`Math.hypot`), into a real `out`. */
export function absComplex(x: TypedArray, out: TypedArray): void {
  for (let k = 0, n = out.length; k < n; k++) out[k] = Math.hypot(x[2 * k]!, x[2 * k + 1]!);
}

/** Whether complex element `k` of `x` has a NaN part. */
const nanAt = (x: TypedArray, k: number): boolean => x[2 * k] !== x[2 * k] || x[2 * k + 1] !== x[2 * k + 1];

/**
 * For each of `rows` rows of `n` consecutive complex elements of `src`, the position of its
 * lexicographic maximum (`sign` 1) or minimum (−1): real parts first, then imaginary parts; the
 * first of equal ones; the first element with a NaN part if there is one (NumPy's rule).
 */
export function lexExtremumRows(src: TypedArray, rows: number, n: number, sign: 1 | -1, index: Int32Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    let best = base;
    if (!nanAt(src, best)) {
      for (let k = base + 1; k < base + n; k++) {
        if (nanAt(src, k)) {
          best = k;
          break;
        }
        const dre = sign * (src[2 * k]! - src[2 * best]!);
        if (dre > 0 || (dre === 0 && sign * (src[2 * k + 1]! - src[2 * best + 1]!) > 0)) best = k;
      }
    }
    index[r] = best - base;
  }
}

/** NumPy's `maximum` (`sign` 1) / `minimum` (−1) of complex values: lexicographic, a NaN operand wins (the first). */
export function lexExtremumPairs(x: TypedArray, y: TypedArray, sign: 1 | -1, out: TypedArray): void {
  for (let k = 0, n = out.length / 2; k < n; k++) {
    let src = x;
    if (!nanAt(x, k)) {
      const dre = sign * (y[2 * k]! - x[2 * k]!);
      if (nanAt(y, k) || dre > 0 || (dre === 0 && sign * (y[2 * k + 1]! - x[2 * k + 1]!) > 0)) src = y;
    }
    out[2 * k] = src[2 * k]!;
    out[2 * k + 1] = src[2 * k + 1]!;
  }
}
