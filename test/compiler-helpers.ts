/**
 * @file What the compiler tests share: staging a function to a closed jaxpr, and the bit-for-bit
 * comparison of a compiled program's outputs with the interpreter's or eager's, and a kernel without shared memory.
 */
import { expect, vi } from "vitest";
import { makeJaxpr } from "autograd-ts";
import * as np from "autograd-ts/numpy";
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

/** A function's result as a list of arrays. */
export const asList = (r: unknown): NDArray[] => (Array.isArray(r) ? (r as NDArray[]) : [r as NDArray]);

// (3e6 and -1e10: beyond the 1.6e6 from which the SIMD sin and cos leave lanes to Math)
const specials = [NaN, Infinity, -Infinity, 0, -0, 710, -745, 1e-300, -20, 20, 3e6, -1e10];
/** Deterministic values in about [-scale, scale], with NaN, ±∞ and other specials sprinkled in (every 37th element). */
export function values(n: number, seed: number, scale = 3): number[] {
  return Array.from({ length: n }, (_, i) => (i % 37 === 5 ? specials[(i / 37 + seed) % specials.length | 0]! : scale * Math.sin(0.37 * i + seed)));
}
/** `values` as a float64 vector. */
export const vec = (n: number, seed: number, scale?: number): np.NDArray => np.array(values(n, seed, scale));

/**
 * Makes the next fresh imports (after `vi.resetModules()`) see a kernel without shared memory
 * (`kernelMemory()` undefined), as on a platform without `SharedArrayBuffer`.
 */
export function mockNoKernelMemory(): void {
  vi.doMock("../src/kernels/matmul-wasm.ts", async (importOriginal) => ({
    ...(await importOriginal<typeof import("../src/kernels/matmul-wasm.ts")>()),
    kernelMemory: () => undefined,
  }));
}
