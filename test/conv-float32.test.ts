/**
 * @file float32 convolutions are computed in float32, as XLA's CPU convolution: both kernels equal
 * a plain loop that rounds every multiply-add to float32; JAX's float32 results
 * (test/fixtures/gen-conv-f32-jax.py) within the bound any float32 summation order obeys, and
 * exactly where float32 accumulation and a rounded float64 sum part (2²⁴ plus ones); float32 in,
 * float32 out, derivatives included.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { grad, lax } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { convDirect, convIm2col } from "../src/kernels/conv.ts";
import { convShape, type ConvParams } from "../src/primitives/conv.ts";
import { convSetup } from "../property-tests/specs-conv.ts";
import { numRuns, seed } from "../property-tests/config.ts";
import ref from "./fixtures/conv-f32-jax.json" with { type: "json" };
import { convByLoops } from "./conv-ref.ts";

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);
const f32data = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => Math.fround(f(i)));

/** The definition in float32: each multiply-add rounded to float32 (`Math.fround` of the exact float64 a + x·w). */
const convF32ByLoops = (lhs: Float64Array, ls: number[], rhs: Float64Array, rs: number[], p: ConvParams) =>
  convByLoops(lhs, ls, rhs, rs, p, (acc, term) => Math.fround(acc + term));

describe("float32 convolutions in float32 arithmetic", () => {
  it("both kernels equal the float32 loop exactly (random configurations)", () => {
    fc.assert(
      fc.property(convSetup, fc.integer({ min: 0, max: 100 }), ({ lhs, rhs, params }, s) => {
        const l = f32data(prod(lhs), (i) => Math.sin(1.7 * i + s) * 1000);
        const r = f32data(prod(rhs), (i) => Math.cos(0.9 * i + s));
        const g = { ...params, lhsShape: lhs, rhsShape: rhs, outShape: convShape(lhs, rhs, params) };
        const { out } = convF32ByLoops(l, lhs, r, rhs, params);
        for (const got of [convIm2col(l, r, g, true), convDirect(l, r, g, true)]) {
          expect(got).toBeInstanceOf(Float32Array);
          expect(Array.from(got)).toEqual(Array.from(out));
        }
      }),
      { numRuns: numRuns(200), seed },
    );
  });

  it("where float32 accumulation and a rounded float64 sum differ, JAX's values (2²⁴ plus ones)", () => {
    for (const name of ["big_first", "big_last", "big_then_16_ones", "channels_big_first"] as const) {
      const c = ref[name];
      const y = lax.convGeneralDilated(np.array(c.x, { dtype: "float32" }), np.array(c.w, { dtype: "float32" }), [1], "VALID");
      expect(y.dtype).toBe("float32");
      expect(y.ravel().item()).toBe(c.y);
    }
    // The same in float64 keeps every one: 2²⁴ + 3.
    expect(lax.convGeneralDilated(np.array(ref.big_first.x), np.array(ref.big_first.w), [1], "VALID").item()).toBe(16777219);
  });

  for (const name of ["k144", "k576_strided"] as const) {
    it(`${name}: within the float32 summation bound of JAX's float32 result`, () => {
      const c = ref[name];
      const l = f32data(prod(c.lhs), (i) => Math.sin(0.7 * i + 0.3));
      const r = f32data(prod(c.rhs), (i) => Math.cos(1.3 * i) / 2);
      const p: ConvParams = {
        strides: c.strides,
        padding: c.padding === "SAME" ? [[1, 1], [1, 1]] : [[0, 0], [0, 0]],
        lhsDilation: [1, 1],
        rhsDilation: [1, 1],
        featureGroupCount: 1,
        batchGroupCount: 1,
      };
      const y = lax.convGeneralDilated(np.array(Array.from(l), { dtype: "float32" }).reshape(c.lhs), np.array(Array.from(r), { dtype: "float32" }).reshape(c.rhs), c.strides, c.padding as "SAME" | "VALID");
      expect(y.dtype).toBe("float32");
      expect(y.shape).toEqual(c.shape);
      const got = y.ravel().toArray() as number[];
      const { out, mags } = convF32ByLoops(l, c.lhs, r, c.rhs, p);
      expect(got).toEqual(Array.from(out));
      // Any order of K float32 multiply-adds is within (K − 1)·2⁻²⁴·Σ|x·w| of the exact sum, so two orders within twice that.
      const K = c.rhs[1]! * c.rhs[2]! * c.rhs[3]!;
      got.forEach((v, e) => expect(Math.abs(v - c.y[e]!)).toBeLessThanOrEqual(2 * (K - 1) * 2 ** -24 * mags[e]!));
    });
  }

  it("float32 in, float32 out: values, and gradients for both operands", () => {
    const x = np.sin(np.arange(2 * 3 * 5 * 5)).reshape(2, 3, 5, 5).astype("float32");
    const w = np.cos(np.arange(4 * 3 * 3 * 3)).reshape(4, 3, 3, 3).astype("float32");
    const f = (a: np.NDArray, b: np.NDArray) => np.sum(lax.convGeneralDilated(a, b, [1, 1], "SAME"));
    expect(lax.convGeneralDilated(x, w, [1, 1], "SAME").dtype).toBe("float32");
    const [gx, gw] = grad(f, { argnums: [0, 1] })(x, w) as [np.NDArray, np.NDArray];
    expect([gx.dtype, gw.dtype]).toEqual(["float32", "float32"]);
    const gx64 = grad(f, { argnums: 0 })(x.astype("float64"), w.astype("float64"));
    expect(gx).toBeAllclose(gx64, { rtol: 1e-5, atol: 1e-5 });
  });
});
