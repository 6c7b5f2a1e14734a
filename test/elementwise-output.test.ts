/**
 * @file Eager float64 elementwise outputs are allocated without zeroing (`allocateUninitialized`):
 * every kernel must write each element. Here the pool is primed with NaN-filled buffers of the
 * output's length, so an element a kernel skipped would show up as NaN.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as np from "autograd-ts/numpy";
import { releaseToPool, setPoolMinBytes } from "../src/core/pool.ts";
import type { ConcreteArray } from "../src/core/ndarray.ts";

type NDArray = np.NDArray;
let previous = 0;
beforeEach(() => {
  previous = setPoolMinBytes(8);
});
afterEach(() => {
  setPoolMinBytes(previous);
});

const data = (n: number, seed: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + seed));
const values = (x: NDArray): number[] => [x.toArray()].flat(Infinity as 1) as number[];

/** `f()` with the pool emptied, then with NaN-filled buffers of length `n` waiting in it. */
function onGarbage(n: number, f: () => NDArray): { clean: number[]; dirty: number[]; reused: boolean } {
  setPoolMinBytes(8);
  const clean = values(f());
  setPoolMinBytes(8);
  const garbage = Array.from({ length: 4 }, () => new Float64Array(n).fill(NaN));
  for (const g of garbage) releaseToPool("float64", g);
  const out = f();
  return { clean, dirty: values(out), reused: garbage.some((g) => g.buffer === (out as ConcreteArray).data.buffer) };
}

describe("eager float64 elementwise outputs", () => {
  // 5: the JavaScript loops; 257: the SIMD kernels (an odd length: the padded last pair).
  for (const n of [5, 257]) {
    const x = np.array(data(n, 1));
    const y = np.array(data(n, 2)).add(2);
    const cases: [string, () => NDArray][] = [
      ["exp", () => np.exp(x)],
      ["tanh", () => np.tanh(x)],
      ["sin", () => np.sin(x.mul(300))],
      ["log", () => np.log(y)],
      ["expm1", () => np.expm1(x)],
      ["power", () => np.power(y, x)],
      ["add", () => np.add(x, y)],
      ["maximum", () => np.maximum(x, y.sub(2))],
      ["where", () => np.where(np.greater(x, 0), x, y)],
      ["sqrt", () => np.sqrt(y)],
    ];
    for (const [name, f] of cases) {
      it(`${name} on ${n} elements writes every element of a recycled buffer`, () => {
        const { clean, dirty, reused } = onGarbage(n, f);
        expect(reused).toBe(true);
        expect(dirty.some((v) => Number.isNaN(v))).toBe(false);
        expect(dirty).toEqual(clean);
      });
    }
  }
});
