/**
 * @file The `logistic` primitive behind `scipy.special.expit` and `nn.sigmoid`: values against a
 * double-double reference in both tails (σ(−745) is the smallest subnormal, σ(40) rounds to 1), the
 * JavaScript loop and the SIMD kernel (float64 from 256 elements), dtypes, errors, derivatives that
 * stay accurate where σ rounds to 1, the Taylor rule, jit and vmap.
 */
import { describe, expect, it } from "vitest";
import { grad, jet, jit, makeJaxpr, nn, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import * as scipy from "autograd-ts/scipy";
import { bind1 } from "../src/core/trace.ts";
import { ConcreteArray } from "../src/core/ndarray.ts";
import { logisticP } from "../src/primitives/logistic.ts";
import { NO_PARAMS } from "../src/primitives/elementwise.ts";
import { simdUnary } from "../src/kernels/simd.ts";
import { SIMD_MIN_LENGTH } from "../src/kernels/elementwise.ts";
import * as d from "../scripts/double-double.ts";

const expit = scipy.special.expit;
const exact = (x: number): number => d.toNumber(d.sigmoidScaled(x));

describe("logistic: values", () => {
  it("expit(−745), expit(−40), expit(0), expit(40) are the correctly rounded values; the tails keep their relative accuracy", () => {
    const xs = [-745, -746, -40, -1, 0, 1, 40, 36.7, -700, -20];
    const got = expit(xs).toArray() as number[];
    expect(got.slice(0, 2)).toEqual([5e-324, 0]);
    expect(got[2]).toBe(4.248354255291589e-18);
    expect(got[4]).toBe(0.5);
    expect(got[6]).toBe(1);
    xs.forEach((x, i) => expect(d.ulpError(got[i]!, d.sigmoidScaled(x)), `expit(${x})`).toBeLessThanOrEqual(1));
  });

  it("±0, ±∞ and NaN as 1/(1 + e⁻ˣ) gives them", () => {
    expect(expit([0, -0, Infinity, -Infinity, NaN]).toArray()).toEqual([0.5, 0.5, 1, 0, NaN]);
  });

  it("long float64 arrays run on the SIMD sigmoid kernel (within 1 ulp), short ones on the JavaScript loop; they agree to 1 ulp", () => {
    const n = SIMD_MIN_LENGTH + 5;
    const x = Float64Array.from({ length: n }, (_, i) => (i - n / 2) * 0.37 - (i % 3) * 300);
    const viaKernel = new Float64Array(n);
    expect(simdUnary("sigmoid", x, viaKernel)).toBe(true);
    const long = expit(np.asarray(x)).toArray() as number[];
    expect(long).toEqual(Array.from(viaKernel));
    for (let i = 0; i < n; i++) expect(d.ulpError(long[i]!, d.sigmoidScaled(x[i]!))).toBeLessThanOrEqual(1);
    // the same values 5 at a time (the JavaScript loop)
    for (let i = 0; i + 5 <= n; i += 5) {
      const short = expit(np.asarray(x.subarray(i, i + 5))).toArray() as number[];
      short.forEach((v, k) => expect(Math.abs(v - long[i + k]!)).toBeLessThanOrEqual(Math.abs(exact(x[i + k]!)) * 2 ** -51));
    }
  });

  it("nn.sigmoid is expit", () => {
    const x = np.linspace(-30, 30, 301);
    expect(nn.sigmoid(x).toArray()).toEqual(expit(x).toArray());
  });
});

describe("logistic: dtypes and errors", () => {
  it("float32 stays float32 (σ of the float32 value, rounded once); integers and bools become float64", () => {
    const x = np.asarray([-3.3, 0.1, 2.7, -90], "float32");
    const y = expit(x);
    expect(y.dtype).toBe("float32");
    expect(y.toArray()).toEqual(Array.from(x.toArray() as number[], (v) => Math.fround(exact(v))));
    expect(expit(np.asarray([1, -2], "int32")).dtype).toBe("float64");
    expect(expit(np.asarray([true, false])).toArray()).toEqual([exact(1), 0.5]);
    expect(nn.sigmoid(3).dtype).toBe("float64");
  });

  it("complex input is a TypeError naming the operation and the argument (the primitive itself names logistic)", () => {
    const z = np.asarray([1, 2], "complex128");
    expect(() => expit(z)).toThrow(/scipy\.special\.expit: argument x has dtype complex128/);
    expect(() => nn.sigmoid(z)).toThrow(/nn\.sigmoid/);
    expect(() => bind1(logisticP, [z as ConcreteArray], NO_PARAMS)).toThrow(/logistic: not defined for complex input \(got dtype complex128, shape \(2,\)\)/);
  });

  it("a non-array argument is a TypeError naming the operation", () => {
    expect(() => expit("x" as never)).toThrow(/scipy\.special\.expit/);
  });
});

describe("logistic: transformations", () => {
  it("its derivative σ(x)·σ(−x) stays accurate where σ rounds to 1 (σ·(1 − σ) would give 0 at x = 40)", () => {
    const g = grad((x: np.NDArray) => expit(x));
    const at = (f: (x: np.NDArray) => np.NDArray, x: number): number => f(np.array(x)).item() as number;
    expect(at(g, 40)).toBe(4.248354255291589e-18);
    expect(at(g, -40)).toBe(4.248354255291589e-18);
    expect(at(g, 0)).toBe(0.25);
    // σ″ = σ(1 − σ)(1 − 2σ)
    const s = exact(1.5);
    expect(at(grad(g), 1.5)).toBeCloseTo(s * (1 - s) * (1 - 2 * s), 15);
  });

  it("jit stages one logistic equation and computes what eager does; vmap maps it", () => {
    const f = (x: np.NDArray) => expit(x).mul(2);
    expect(makeJaxpr((x: np.NDArray) => expit(x))(np.array([1.0])).toString()).toContain("logistic a");
    const x = np.array([-745, -40, -1, 0, 2, 40]);
    expect(jit(f)(x).toArray()).toEqual(f(x).toArray());
    const m = np.array([[1, -2], [3, -4]]);
    expect(vmap((r: np.NDArray) => expit(r))(m).toArray()).toEqual(expit(m).toArray());
  });

  it("its Taylor rule (σ′ = σ − σ²) gives the series' coefficients", () => {
    // σ(x₀ + t) = σ₀ + σ₁t + σ₂t²/2! + σ₃t³/3!: σ₁ = s(1 − s), σ₂ = σ₁(1 − 2s), σ₃ = σ₁(1 − 6s + 6s²)
    const s = exact(0.7);
    const s1 = s * (1 - s);
    const [, terms] = jet((x: np.NDArray) => expit(x), [np.array(0.7)], [[np.array(1), np.array(0), np.array(0)]]);
    const t = terms.map((a) => a.item());
    expect(t[0]).toBeCloseTo(s1, 15);
    expect(t[1]).toBeCloseTo(s1 * (1 - 2 * s), 15);
    expect(t[2]).toBeCloseTo(s1 * (1 - 6 * s + 6 * s * s), 14);
  });
});
