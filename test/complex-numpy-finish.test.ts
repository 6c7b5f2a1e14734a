/**
 * @file Complex support added to np functions that dropped imaginary parts or failed (linspace,
 * logspace, polyval, polyfit, sinc, round, isclose, median, nanvar, interp's fp, logical ops): values
 * against NumPy 2.4 (numbers copied from running NumPy on the same input), derivatives by property
 * tests (JVP vs central differences along real and imaginary directions, VJP vs JVP under
 * Re Σ u·v, second order), and the TypeErrors NumPy's refusals became.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as np from "autograd-ts/numpy";
import type { NDArray } from "autograd-ts/numpy";
import { property } from "../property-tests/harness.ts";
import { checkDerivatives, slots } from "./complex-check.ts";

const c = (pairs: readonly (readonly [number, number])[]): NDArray => np.array(pairs.map(([re, im]) => ({ re, im })));
const z = c([[1, 2], [-0.5, 0.25], [3, -1], [0.1, 0.7]]);

/** Max |got − want| over the interleaved parts, relative to max(1, |want|). */
function expectNear(got: NDArray, want: readonly (readonly [number, number])[], tol = 1e-13): void {
  expect(got.dtype).toBe("complex128");
  const g = slots(got);
  const w = want.flat();
  expect(g.length).toBe(w.length);
  const scale = Math.max(1, ...w.map(Math.abs));
  g.forEach((v, i) => expect(Math.abs(v - w[i]!) / scale, `part ${i}: ${v} vs ${w[i]}`).toBeLessThan(tol));
}

/** A complex vector of n elements with parts in [−lim, lim]. */
const cvec = (n: number, lim: number) =>
  fc
    .record({
      parts: fc.array(fc.tuple(fc.double({ min: -lim, max: lim, noNaN: true }), fc.double({ min: -lim, max: lim, noNaN: true })), { minLength: n, maxLength: n }),
      seed: fc.integer({ min: 0, max: 1e6 }),
    })
    .map(({ parts, seed }) => ({ x: c(parts), seed }));

describe("complex values against NumPy 2.4", () => {
  it("linspace and logspace with complex ends", () => {
    expectNear(np.linspace(0, { re: 1, im: 1 }, 3), [[0, 0], [0.5, 0.5], [1, 1]]);
    expectNear(np.linspace(z.get("0:2"), 0, 3).reshape([-1]), [[1, 2], [-0.5, 0.25], [0.5, 1], [-0.25, 0.125], [0, 0], [0, 0]]);
    expectNear(np.logspace(0, { re: 1, im: 1 }, 3), [[1, 0], [1.2880188077230994, 2.8880802535510623], [-6.682015101903133, 7.439803369574931]], 1e-12);
  });
  it("polyval with complex coefficients or x, polyfit with complex y", () => {
    expectNear(np.polyval(z, z), [[-1.4, -21.05], [-1.55625, 2.23125], [75.6, 9.7], [1.8029999999999997, 1.896]]);
    expectNear(np.polyval([1, 2, 3], z), [[2, 8], [2.1875, 0.25], [17, -8], [2.72, 1.54]]);
    expectNear(np.polyfit([0, 1, 2], z.get("0:3"), 1), [[1.0000000000000002, -1.5], [0.1666666666666666, 1.9166666666666676]], 1e-12);
  });
  it("sinc of complex values, near 0 too", () => {
    expectNear(np.sinc(z), [[-34.09033869939481, -17.04516934969741], [0.674617869500513, 0.3373089347502565], [-0.3676077910374973, 1.1028233731124935], [1.9770958666618663, -0.35888063868894826]], 1e-13);
    expectNear(np.sinc(c([[0.01, 0.02], [0.02, -0.01]])), [[1.0004934233757654, -0.0006581684533135666], [0.9995064629802926, 0.0006577788169511776]], 1e-14);
  });
  it("round rounds both parts; median, nanmedian, nanvar, interp's complex fp", () => {
    expectNear(np.round(c([[0.5, 1.5], [2.675, -1.25]]), 1), [[0.5, 1.5], [2.7, -1.2]]);
    expectNear(np.round(c([[0.5, 1.5], [2.5, -1.5]])), [[0, 2], [2, -2]]);
    expectNear(np.median(z).reshape([1]), [[0.55, 1.35]]);
    expectNear(np.median(z.get("0:3")).reshape([1]), [[1, 2]]);
    const withNan = c([[1, 2], [NaN, 0.25], [3, -1], [0.1, 0.7], [-0.5, 0.25]]);
    expectNear(np.nanmedian(withNan).reshape([1]), [[0.55, 1.35]]);
    const v = np.nanvar(withNan);
    expect(v.dtype).toBe("float64");
    expect(Math.abs(v.item() - 2.9054687500000003)).toBeLessThan(1e-14);
    expectNear(np.interp([0.25, 2], [0, 1], c([[1, 1], [2, -1]])), [[1.25, 0.5], [2, -1]]);
  });
  it("isclose compares by the modulus; logical ops take complex truth", () => {
    const near = np.add(z, c([[0, 1e-9], [1e-3, 0], [0, 0], [1e-7, 1e-7]]));
    expect(np.isclose(z, near).toArray()).toEqual([true, false, true, true]);
    expect(np.allclose(z, z)).toBe(true);
    expect(np.logicalNot(c([[0, 0], [0, 1], [1, 0]])).toArray()).toEqual([true, false, false]);
    expect(np.logicalAnd(c([[0, 1], [0, 0]]), 1).toArray()).toEqual([true, false]);
  });
});

describe("complex derivatives of the new paths", () => {
  it("sinc: JVP (1, i, random), VJP, second order — away from 0 and inside the series region", () => {
    property(cvec(3, 1.5), 8, ({ x, seed }) => checkDerivatives(np.sinc, x, seed, { tol: 1e-5 }));
    property(cvec(3, 0.02), 8, ({ x, seed }) => checkDerivatives(np.sinc, x, seed, { tol: 1e-5 }));
  });
  it("polyval: in x and in the coefficients", () => {
    const p = c([[1, -0.5], [0.3, 2], [-1, 0.25]]);
    property(cvec(3, 1.5), 8, ({ x, seed }) => {
      checkDerivatives((t) => np.polyval(p, t), x, seed);
      checkDerivatives((q) => np.polyval(q, z), x, seed);
    });
  });
  it("linspace and logspace: in the complex end", () => {
    property(cvec(2, 1.5), 8, ({ x, seed }) => {
      checkDerivatives((e) => np.linspace(0, e, 4), x, seed);
      checkDerivatives((e) => np.logspace(e, 0, 3), x, seed, { tol: 1e-5 });
    });
  });
  it("nanvar (real-valued) and median of complex values", () => {
    property(cvec(5, 2), 8, ({ x, seed }) => {
      checkDerivatives((t) => np.nanvar(t), x, seed);
      // Real parts spread apart so that no two tie (a tie makes the sort, hence median, non-smooth).
      checkDerivatives((t) => np.median(t), np.add(x, [0, 5, -5, 10, -10]), seed);
    });
  });
});

describe("NumPy's complex refusals are TypeErrors naming the function, argument and dtype", () => {
  const cases: [string, () => unknown, RegExp][] = [
    ["hypot", () => np.hypot(z, 1), /np\.hypot: argument x1 has dtype complex128/],
    ["logaddexp", () => np.logaddexp(1, z), /np\.logaddexp: argument x2 has dtype complex128/],
    ["logaddexp2", () => np.logaddexp2(z, z), /np\.logaddexp2: argument x1 has dtype complex128/],
    ["heaviside", () => np.heaviside(z, 0.5), /np\.heaviside: argument x1 has dtype complex128/],
    ["copysign", () => np.copysign(1, z), /np\.copysign: argument x2 has dtype complex128/],
    ["interp x", () => np.interp(z, [0, 1], [0, 1]), /np\.interp: argument x has dtype complex128/],
    ["interp xp", () => np.interp([0.5], c([[0, 0], [1, 0]]), [0, 1]), /np\.interp: argument xp has dtype complex128/],
    ["unwrap", () => np.unwrap(z), /np\.unwrap: argument p has dtype complex128/],
    ["quantile", () => np.quantile(z, 0.5), /np\.quantile: argument a has dtype complex128/],
    ["signbit", () => np.signbit(z), /np\.signbit: argument x has dtype complex128/],
    ["isposinf", () => np.isposinf(z), /np\.isposinf: argument x has dtype complex128/],
    ["deg2rad", () => np.deg2rad(z), /np\.deg2rad: argument x has dtype complex128/],
    ["frexp", () => np.frexp(z), /np\.frexp: argument x has dtype complex128/],
    ["ldexp", () => np.ldexp(z, 2), /np\.ldexp: argument x1 has dtype complex128/],
  ];
  for (const [name, f, msg] of cases) {
    it(name, () => {
      expect(f).toThrow(TypeError);
      expect(f).toThrow(msg);
    });
  }
});
