/**
 * @file `concatenate` and unit-step slices copy exactly: −0, NaN and ±∞ kept, along inner and outer
 * axes, through both the block copies (runs of 16 elements and more) and the element-by-element ones.
 */
import { describe, expect, it } from "vitest";
import * as np from "autograd-ts/numpy";
import type { ConcreteArray } from "../src/core/ndarray.ts";

type A = np.NDArray;

/** Deterministic data of `shape`: sin(0.7·i + seed). */
const data = (shape: number[], seed: number): A => {
  const n = shape.reduce((a, b) => a * b, 1);
  return np.array(Float64Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + seed))).reshape(...shape);
};
const dataOf = (x: A): Float64Array => (x as ConcreteArray).data as Float64Array;
const bits = (x: A): string[] => Array.from(dataOf(x), (v) => (Object.is(v, -0) ? "-0" : String(v)));

describe("structural copies", () => {
  it("concatenate copies exactly, −0 and NaN included, along either axis", () => {
    const a = np.array([[-0, 1, NaN], [2, -0, Infinity]]);
    const b = np.array([[3, -0, 4], [-Infinity, 5, -0]]);
    expect(bits(np.concatenate([a, b], { axis: 0 }))).toEqual([...bits(a), ...bits(b)]);
    expect(bits(np.concatenate([a, b], { axis: 1 }))).toEqual(["-0", "1", "NaN", "3", "-0", "4", "2", "-0", "Infinity", "-Infinity", "5", "-0"]);
  });

  it("unit-step slices copy exactly in block runs and element runs", () => {
    const negativeZeros = data([4, 6, 20], 1).mul(-0);
    expect(bits(negativeZeros.get("1:3", ":", ":"))).toEqual(bits(negativeZeros).slice(120, 360));
    const x = data([4, 6, 20], 2);
    const at = (i: number, j: number, k: number): number => dataOf(x)[i * 120 + j * 20 + k]!;
    expect(dataOf(x.get("1:3", "2:5", "3:19"))).toEqual(Float64Array.from({ length: 2 * 3 * 16 }, (_, i) => at(1 + Math.floor(i / 48), 2 + (Math.floor(i / 16) % 3), 3 + (i % 16))));
    expect(dataOf(x.get(":", 4, "::1"))).toEqual(Float64Array.from({ length: 80 }, (_, i) => at(Math.floor(i / 20), 4, i % 20)));
  });
});
