/** @file Shared by the eig and complex linear-algebra tests: the fixtures' random generator, complex helpers and accuracy measures. */
import { cInvert } from "../src/kernels/complex-linalg.ts";

/** The Park–Miller generator of gen-complex-linalg.py, bit for bit. */
export function lcg(seed: number, count: number): Float64Array {
  const out = new Float64Array(count);
  let s = seed;
  for (let i = 0; i < count; i++) {
    s = (s * 16807) % 2147483647;
    out[i] = (s / 2147483647) * 2 - 1;
  }
  return out;
}

/** The matrix as interleaved complex (real input gets zero imaginary parts). */
export function toComplex(a: Float64Array, cplx: boolean): Float64Array {
  if (cplx) return a;
  const out = new Float64Array(2 * a.length);
  a.forEach((x, i) => (out[2 * i] = x));
  return out;
}

/** max over k of ‖A·v_k − λ_k·v_k‖ / (‖A‖₂·‖v_k‖), A, V interleaved complex. */
export function backwardError(a: Float64Array, n: number, w: Float64Array, v: Float64Array, norm2: number): number {
  let worst = 0;
  for (let k = 0; k < n; k++) {
    let res = 0;
    let vn = 0;
    for (let i = 0; i < n; i++) {
      let sr = 0;
      let si = 0;
      for (let j = 0; j < n; j++) {
        const ar = a[2 * (i * n + j)]!;
        const ai = a[2 * (i * n + j) + 1]!;
        const vr = v[2 * (j * n + k)]!;
        const vi = v[2 * (j * n + k) + 1]!;
        sr += ar * vr - ai * vi;
        si += ar * vi + ai * vr;
      }
      const vr = v[2 * (i * n + k)]!;
      const vi = v[2 * (i * n + k) + 1]!;
      sr -= w[2 * k]! * vr - w[2 * k + 1]! * vi;
      si -= w[2 * k]! * vi + w[2 * k + 1]! * vr;
      res += sr * sr + si * si;
      vn += vr * vr + vi * vi;
    }
    worst = Math.max(worst, Math.sqrt(res) / ((norm2 || 1) * Math.sqrt(vn)));
  }
  return worst;
}

/** The condition number 1/|yᴴx| of each eigenvalue: ‖row k of V⁻¹‖·‖column k of V‖. */
export function eigenvalueConditions(v: Float64Array, n: number): number[] {
  const vinv = cInvert(v, 0, n);
  if (vinv === null) return Array.from({ length: n }, () => Infinity);
  return Array.from({ length: n }, (_, k) => {
    let r = 0;
    let c = 0;
    for (let i = 0; i < n; i++) {
      r += vinv[2 * (k * n + i)]! ** 2 + vinv[2 * (k * n + i) + 1]! ** 2;
      c += v[2 * (i * n + k)]! ** 2 + v[2 * (i * n + k) + 1]! ** 2;
    }
    return Math.sqrt(r * c);
  });
}

/** For each of ours, the distance to the nearest still unmatched reference eigenvalue (greedy). */
export function matchedDistances(w: Float64Array, wRef: readonly number[], n: number): number[] {
  const used = new Array<boolean>(n).fill(false);
  return Array.from({ length: n }, (_, k) => {
    let best = Infinity;
    let at = -1;
    for (let j = 0; j < n; j++) {
      if (used[j]) continue;
      const d = Math.hypot(w[2 * k]! - wRef[2 * j]!, w[2 * k + 1]! - wRef[2 * j + 1]!);
      if (d < best) {
        best = d;
        at = j;
      }
    }
    used[at] = true;
    return best;
  });
}

