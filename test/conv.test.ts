/**
 * @file `lax.convGeneralDilated`, `lax.dotGeneral`, `lax.reduceWindow`: values against direct loops
 * over random configurations (both kernels), against JAX (test/fixtures/gen-conv-jax.py), and the
 * errors users get.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { lax, vjp } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { convDirect, convIm2col } from "../src/kernels/conv.ts";
import { convShape, type ConvParams } from "../src/primitives/conv.ts";
import { convSetup } from "../property-tests/specs-conv.ts";
import { numRuns, seed } from "../property-tests/config.ts";
import ref from "./fixtures/conv-jax.json" with { type: "json" };
import { convByLoops } from "./conv-ref.ts";

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

const randomData = (n: number, s: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + s));

describe("convolution kernels against the definition", () => {
  it("im2col and direct loops equal direct per-element loops over random configurations", () => {
    fc.assert(
      fc.property(convSetup, fc.integer({ min: 0, max: 100 }), ({ lhs, rhs, params }, s) => {
        const l = randomData(prod(lhs), s);
        const r = randomData(prod(rhs), s + 0.5);
        const want = convByLoops(l, lhs, r, rhs, params).out;
        const g = { ...params, lhsShape: lhs, rhsShape: rhs, outShape: convShape(lhs, rhs, params) };
        for (const got of [convIm2col(l, r, g), convDirect(l, r, g)]) {
          expect(got.length).toBe(want.length);
          got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-12 * (1 + Math.abs(want[i]!))));
        }
      }),
      { numRuns: numRuns(200), seed },
    );
  });

  it("lax.convGeneralDilated with layout strings equals the canonical convolution of the transposed operands", () => {
    const layouts = [
      ["NCHW", "OIHW", "NCHW"],
      ["NHWC", "HWIO", "NHWC"],
      ["HWCN", "IOWH", "CNWH"],
    ] as const;
    fc.assert(
      fc.property(convSetup.filter((c) => c.lhs.length === 4), fc.constantFrom(...layouts), ({ lhs, rhs, params }, dn) => {
        const [l, r] = [randomData(prod(lhs), 1), randomData(prod(rhs), 2)];
        const x = np.array(Array.from(l)).reshape(lhs);
        const w = np.array(Array.from(r)).reshape(rhs);
        // Canonical → named layout: axis j of the named array is canonical axis perm[j].
        const toLayout = (a: np.NDArray, spec: string, canon: string) => np.transpose(a, [...spec].map((c) => canon.indexOf(c)));
        // Spatial order follows the kernel spec: H, W as they come in rhs's string.
        const spatial = [...dn[1]].filter((c) => c !== "O" && c !== "I").join("");
        const want = np.array(Array.from(convByLoops(l, lhs, r, rhs, params).out)).reshape(convShape(lhs, rhs, params));
        const got = lax.convGeneralDilated(toLayout(x, dn[0], "NC" + spatial), toLayout(w, dn[1], "OI" + spatial), params.strides, params.padding, {
          lhsDilation: params.lhsDilation,
          rhsDilation: params.rhsDilation,
          featureGroupCount: params.featureGroupCount,
          batchGroupCount: params.batchGroupCount,
          dimensionNumbers: [dn[0], dn[1], dn[2]],
        });
        expect(got).toBeAllclose(toLayout(want, dn[2], "NC" + spatial), { rtol: 1e-12, atol: 1e-12 });
      }),
      { numRuns: numRuns(60), seed },
    );
  });
});

describe("against JAX", () => {
  const xs = (shape: number[]) => np.sin(np.arange(prod(shape)).mul(0.7).add(0.3)).reshape(shape);
  const ws = (shape: number[]) => np.cos(np.arange(prod(shape)).mul(1.3)).div(2).reshape(shape);
  const cases: [keyof typeof ref, (x: np.NDArray, w: np.NDArray) => np.NDArray][] = [
    ["nchw_same_stride2", (x, w) => lax.convGeneralDilated(x, w, [2, 2], "SAME")],
    [
      "nhwc_dilated_groups",
      (x, w) =>
        lax.convGeneralDilated(x, w, [1, 2], [[1, 0], [2, -1]], {
          lhsDilation: [2, 1],
          rhsDilation: [1, 2],
          dimensionNumbers: ["NHWC", "HWIO", "NHWC"],
          featureGroupCount: 2,
        }),
    ],
    ["batch_groups_1d", (x, w) => lax.convGeneralDilated(x, w, [2], "VALID", { batchGroupCount: 2 })],
    ["conv3d_ndhwc", (x, w) => lax.convGeneralDilated(x, w, [1, 1, 2], "SAME", { dimensionNumbers: ["NDHWC", "DHWIO", "NCDHW"] })],
  ];
  for (const [name, f] of cases) {
    it(`${name}: values and both cotangents`, () => {
      const r = ref[name] as { lhs: number[]; rhs: number[]; y: number[]; shape: number[]; gx: number[]; gw: number[] };
      const [y, back] = vjp(f, xs(r.lhs), ws(r.rhs));
      expect(y.shape).toEqual(r.shape);
      expect(y.ravel()).toBeAllclose(r.y, { rtol: 1e-12, atol: 1e-13 });
      const ct = np.cos(np.arange(prod(r.shape))).reshape(r.shape);
      const [gx, gw] = back(ct) as [np.NDArray, np.NDArray];
      expect(gx.ravel()).toBeAllclose(r.gx, { rtol: 1e-12, atol: 1e-13 });
      expect(gw.ravel()).toBeAllclose(r.gw, { rtol: 1e-12, atol: 1e-13 });
    });
  }

  const x = np.array([[1, 3, 3, 0, 2], [3, 1, 2, 2, 5], [0, 3, 1, 4, 4]]);
  it("reduceWindow max: values, and the gradient to the first maximum of each window (ties as JAX)", () => {
    const f = (a: np.NDArray) => lax.reduceWindow(a, -Infinity, "max", [2, 2], [1, 2], [[0, 1], [1, 0]]);
    const [y, back] = vjp(f, x);
    expect(y).toBeAllclose(ref.reduce_window_max.y);
    expect(back(np.arange(1, y.size + 1).reshape(y.shape))[0]).toBeAllclose(ref.reduce_window_max.g);
  });
  it("reduceWindow max over integers with a −∞ init computes in float64", () => {
    const y = lax.reduceWindow(np.array([[1, 5, 2]], { dtype: "int32" }), -Infinity, "max", [1, 2], [1, 2], "SAME");
    expect(y.dtype).toBe("float64");
    expect(y).toBeAllclose([[5, 2]]);
  });
  it("reduceWindow add with SAME padding: values and gradient", () => {
    const f = (a: np.NDArray) => lax.reduceWindow(a, 0, "add", [2, 3], [1, 1], "SAME");
    const [y, back] = vjp(f, x);
    expect(y).toBeAllclose(ref.reduce_window_add.y);
    expect(back(np.arange(1, y.size + 1).reshape(y.shape))[0]).toBeAllclose(ref.reduce_window_add.g);
  });
});

describe("lax.dotGeneral", () => {
  it("equals einsum for batch and contracting axes in any position", () => {
    const a = np.sin(np.arange(2 * 3 * 4)).reshape(3, 2, 4);
    const b = np.cos(np.arange(4 * 2 * 5)).reshape(4, 5, 2);
    expect(lax.dotGeneral(a, b, [[[2], [0]], [[1], [2]]])).toBeAllclose(np.einsum("ibk,kjb->bij", a, b), { rtol: 1e-13 });
    expect(lax.dotGeneral(a, b, [[[2, 1], [0, 2]], [[], []]])).toBeAllclose(np.einsum("ibk,kjb->ij", a, b), { rtol: 1e-13 });
  });
  it("names the function and the shapes on bad dimension numbers", () => {
    const a = np.ones([2, 3]);
    const b = np.ones([4, 2]);
    expect(() => lax.dotGeneral(a, b, [[[1], [0]], [[], []]])).toThrow(/lax.dotGeneral: contracting axes \[1\] of lhs and \[0\] of rhs differ in size \(lhs \(2, 3\) and rhs \(4, 2\)\)/);
    expect(() => lax.dotGeneral(a, b, [[[2], [0]], [[], []]])).toThrow(/lhs contracting axis 2 is out of range for an operand of shape \(2, 3\)/);
    expect(() => lax.dotGeneral(a, b, [[[0], [1]], [[0], [1]]])).toThrow(/both contracting and batch/);
    expect(() => lax.dotGeneral(a, b, [[0, 1]] as never)).toThrow(/dimension_numbers must be \[\[lhsContracting, rhsContracting\], \[lhsBatch, rhsBatch\]\]/);
  });
});

describe("errors name the function and the shapes", () => {
  const x = np.ones([1, 4, 5, 5]);
  const w = np.ones([2, 3, 3, 3]);
  it("mismatched channels, groups", () => {
    expect(() => lax.convGeneralDilated(x, w, [1, 1], "VALID")).toThrow(/lax.convGeneralDilated: lhs has 4 input features but rhs expects 3 × featureGroupCount 1 = 3 \(lhs \(1, 4, 5, 5\), rhs \(2, 3, 3, 3\)\)/);
    expect(() => lax.convGeneralDilated(x, np.ones([3, 2, 3, 3]), [1, 1], "VALID", { featureGroupCount: 2 })).toThrow(/3 output features are not divisible by featureGroupCount 2/);
  });
  it("bad padding strings and pairs, strides, rank, options", () => {
    const v = np.ones([2, 4, 3, 3]);
    expect(() => lax.convGeneralDilated(x, v, [1, 1], "FULL" as never)).toThrow(/lax.convGeneralDilated: padding 'FULL' is not one of 'SAME', 'SAME_LOWER', 'VALID'/);
    expect(() => lax.convGeneralDilated(x, v, [1, 1], [[1, 1]])).toThrow(/padding must be .* 2 \[low, high\] integer pairs/);
    expect(() => lax.convGeneralDilated(x, v, [-1, 1], "VALID")).toThrow(/windowStrides must be 2 positive integers .* got \[-1,1\]/);
    expect(() => lax.convGeneralDilated(x, np.ones([2, 4, 3]), [1], "VALID")).toThrow(/same rank ≥ 2 .* lhs \(1, 4, 5, 5\), rhs \(2, 4, 3\)/);
    expect(() => lax.convGeneralDilated(x, v, [1, 1], "VALID", { dimensionNumbers: ["NHWC", "OIHW", "NCHW"], stride: 1 } as never)).toThrow(/unknown option 'stride'/);
    expect(() => lax.convGeneralDilated(x, v, [1, 1], "VALID", { dimensionNumbers: ["NHW", "OIHW", "NCHW"] })).toThrow(/lhs layout 'NHW' must name each of the 4 axes once/);
    expect(() => lax.convGeneralDilated(x, v, [1, 1], "SAME", { lhsDilation: [2, 2] })).toThrow(/with lhsDilation .* give \[low, high\] pairs/);
  });
  it("reduceWindow: bad computation, window rank", () => {
    expect(() => lax.reduceWindow(x, 0, "mul" as never, [1, 1, 2, 2])).toThrow(/lax.reduceWindow: computation must be 'max', 'min' or 'add'/);
    expect(() => lax.reduceWindow(x, 0, "add", [2, 2])).toThrow(/lax.reduceWindow: windowDimensions must be 4 positive integers/);
  });
});
