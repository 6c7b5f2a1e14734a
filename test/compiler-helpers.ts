/**
 * @file What the compiler tests share: staging a function to a closed jaxpr, and the bit-for-bit
 * comparison of a compiled program's outputs with the interpreter's or eager's.
 */
import { expect } from "vitest";
import { makeJaxpr } from "autograd-ts";
import type { ConcreteArray, NDArray } from "../src/core/ndarray.ts";
import type { ClosedJaxpr } from "../src/core/jaxpr.ts";

/** The closed jaxpr `makeJaxpr` stages for `f` at `args`. */
export const staged = (f: (...a: never[]) => unknown, ...args: unknown[]): ClosedJaxpr =>
  (makeJaxpr(f) as unknown as (...a: unknown[]) => { closed: ClosedJaxpr })(...args).closed;

/** Asserts bit-for-bit equality (Object.is: NaN equals NaN, −0 differs from 0), shapes and dtypes. */
export function sameBits(xs: readonly NDArray[], ys: readonly NDArray[]): void {
  expect(ys.length).toBe(xs.length);
  xs.forEach((x, k) => {
    const [a, b] = [x as ConcreteArray, ys[k] as ConcreteArray];
    expect(b.shape).toEqual(a.shape);
    expect(b.dtype).toBe(a.dtype);
    for (let i = 0; i < a.data.length; i++) if (!Object.is(a.data[i], b.data[i])) expect({ output: k, index: i, compiled: b.data[i] }).toEqual({ output: k, index: i, compiled: a.data[i] });
  });
}
