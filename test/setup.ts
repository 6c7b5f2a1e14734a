/**
 * @file The one closeness matcher, `toBeAllclose`, with NumPy's rule |a − b| ≤ atol + rtol·|b| and a
 * readable diff. A complex array compares as real one with a trailing axis of 2 (re, im), so its
 * expected value is written as `[re, im]` pairs.
 */
import { expect } from "vitest";
import { NDArray } from "autograd-ts/numpy";

type Numeric = NDArray | number | boolean | readonly unknown[];

function toFlat(x: Numeric): { shape: number[]; values: number[] } {
  if (x instanceof NDArray && (x.dtype === "complex128" || x.dtype === "complex64")) {
    const pairs = (v: unknown): unknown => (Array.isArray(v) ? v.map(pairs) : [(v as { re: number }).re, (v as { im: number }).im]);
    const a = pairs(x.toArray()) as unknown[];
    return { shape: [...x.shape, 2], values: a.flat(Infinity).map(Number) };
  }
  if (x instanceof NDArray) {
    const a = x.toArray();
    return { shape: [...x.shape], values: typeof a === "object" ? (a as unknown[]).flat(Infinity).map(Number) : [Number(a)] };
  }
  if (typeof x === "number" || typeof x === "boolean") return { shape: [], values: [Number(x)] };
  const shape: number[] = [];
  let cur: unknown = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0];
  }
  return { shape, values: (x as unknown[]).flat(Infinity).map(Number) };
}

expect.extend({
  toBeAllclose(received: Numeric, expected: Numeric, opts: { rtol?: number; atol?: number } = {}) {
    const rtol = opts.rtol ?? 1e-7;
    const atol = opts.atol ?? 1e-9;
    const a = toFlat(received);
    const b = toFlat(expected);
    const sameShape = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
    // A number/0-d array compares against a 1-element array too (scalars broadcast).
    const scalarOk = a.values.length === 1 && b.values.length === 1;
    if (!sameShape && !scalarOk) {
      return { pass: false, message: () => `shapes differ: received (${a.shape}) expected (${b.shape})` };
    }
    const bad: string[] = [];
    let worst = 0;
    a.values.forEach((v, i) => {
      const w = b.values[i]!;
      const ok = (Number.isNaN(v) && Number.isNaN(w)) || v === w || Math.abs(v - w) <= atol + rtol * Math.abs(w);
      if (!ok) {
        worst = Math.max(worst, Math.abs(v - w));
        if (bad.length < 8) bad.push(`  [${i}] received ${v}, expected ${w}, |diff| ${Math.abs(v - w).toExponential(3)}`);
      }
    });
    return {
      pass: bad.length === 0,
      message: () =>
        bad.length === 0
          ? "expected arrays not to be close"
          : `arrays differ (rtol ${rtol}, atol ${atol}); max |diff| ${worst.toExponential(3)}:\n${bad.join("\n")}`,
    };
  },
});

declare module "vitest" {
  interface Assertion<T> {
    toBeAllclose(expected: Numeric, opts?: { rtol?: number; atol?: number }): T;
  }
  interface AsymmetricMatchersContaining {
    toBeAllclose(expected: Numeric, opts?: { rtol?: number; atol?: number }): void;
  }
}
