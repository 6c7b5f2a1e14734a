/**
 * @file Derivatives of the complex elementwise functions and `power`, property-tested at random
 * complex points away from branch cuts and poles: JVP against central differences in both real
 * directions (1 and i) and a random complex one; VJP against JVP with the pairing
 * ⟨u, v⟩ = Re Σ uₖvₖ (JAX's non-conjugating transposes); `vmap` against a loop; second order
 * (JVP of JVP) against central differences of the JVP; and `grad` of the real |f(z)|² against
 * ∂/∂x − i ∂/∂y (autograd's and JAX's convention).
 */
import fc from "fast-check";
import { describe, it, expect } from "vitest";
import * as np from "autograd-ts/numpy";
import { grad, jvp, vjp, vmap } from "autograd-ts";
import type { NDArray } from "autograd-ts/numpy";
import { property } from "../property-tests/harness.ts";
import { Rng } from "../property-tests/check.ts";

type Un = (z: NDArray) => NDArray;

/** Where a function is tested: the point moved off its branch cuts and away from its poles. */
type Domain = (re: number, im: number) => [number, number];
const anywhere: Domain = (re, im) => [re, im];
const offRealAxis: Domain = (re, im) => [re, (im < 0 ? -1 : 1) * (0.2 + Math.abs(im))];
const offImagAxis: Domain = (re, im) => [(re < 0 ? -1 : 1) * (0.2 + Math.abs(re)), im];
const realInUnit: Domain = (re, im) => [re / 2, im]; // tan: |cos z| ≥ cos 1
const imagInUnit: Domain = (re, im) => [re, im / 2]; // tanh: |cosh z| ≥ cos 1

const FUNCTIONS: [string, Un, Domain][] = [
  ["exp", np.exp, anywhere],
  ["expm1", np.expm1, anywhere],
  ["exp2", np.exp2, anywhere],
  ["log", np.log, offRealAxis],
  ["log2", np.log2, offRealAxis],
  ["log10", np.log10, offRealAxis],
  ["log1p", np.log1p, offRealAxis],
  ["sqrt", np.sqrt, offRealAxis],
  ["sin", np.sin, anywhere],
  ["cos", np.cos, anywhere],
  ["tan", np.tan, realInUnit],
  ["sinh", np.sinh, anywhere],
  ["cosh", np.cosh, anywhere],
  ["tanh", np.tanh, imagInUnit],
  ["arcsin", np.arcsin, offRealAxis],
  ["arccos", np.arccos, offRealAxis],
  ["arctan", np.arctan, offImagAxis],
  ["arcsinh", np.arcsinh, offImagAxis],
  ["arccosh", np.arccosh, offRealAxis],
  ["arctanh", np.arctanh, offRealAxis],
  ["square", np.square, anywhere],
  ["reciprocal", np.reciprocal, offRealAxis],
  ["power z^(0.7−0.4i)", (z) => np.power(z, { re: 0.7, im: -0.4 }), offRealAxis],
  ["power z^3", (z) => np.power(z, 3), anywhere],
  ["power 1.5^z", (z) => np.power({ re: 1.5, im: 0 }, z), anywhere],
];

const N = 3;
const H = 1e-6;

const cplx = (re: number[], im: number[]): NDArray => np.complex(np.array(re), np.array(im));
const partsOf = (x: NDArray): [number[], number[]] => [np.real(x).toArray() as number[], np.imag(x).toArray() as number[]];
/** ⟨u, v⟩ = Re Σ uₖvₖ, and Σ|uₖ||vₖ| (its rounding scale). */
function pairing(u: NDArray, v: NDArray): [number, number] {
  const [ur, ui] = partsOf(u);
  const [vr, vi] = partsOf(v);
  let s = 0;
  let a = 0;
  for (let k = 0; k < ur.length; k++) {
    s += ur[k]! * vr[k]! - ui[k]! * vi[k]!;
    a += Math.hypot(ur[k]!, ui[k]!) * Math.hypot(vr[k]!, vi[k]!);
  }
  return [s, a];
}
/** max |a − b| / (1 + |b|) over elements. */
function maxRelDiff(a: NDArray, b: NDArray): number {
  const [ar, ai] = partsOf(a);
  const [br, bi] = partsOf(b);
  return Math.max(...ar.map((_, k) => Math.hypot(ar[k]! - br[k]!, ai[k]! - bi[k]!) / (1 + Math.hypot(br[k]!, bi[k]!))));
}
const randomComplex = (rng: Rng): NDArray => cplx(Array.from({ length: N }, () => 2 * rng.next() - 1), Array.from({ length: N }, () => 2 * rng.next() - 1));
const direction = (v: { re: number; im: number }): NDArray => cplx(Array(N).fill(v.re), Array(N).fill(v.im));
const shift = (z: NDArray, v: NDArray, h: number): NDArray => np.add(z, np.multiply(v, h));

/** Points: N complex values with parts in [−2, 2], moved into the function's domain, and a seed for directions. */
const points = (domain: Domain) =>
  fc.record({
    parts: fc.array(fc.tuple(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true })), { minLength: N, maxLength: N }),
    seed: fc.integer(),
  }).map(({ parts, seed }) => {
    const moved = parts.map(([re, im]) => domain(re, im));
    return { z: cplx(moved.map((p) => p[0]), moved.map((p) => p[1])), rng: new Rng(seed) };
  });

describe("complex derivatives: property tests", () => {
  for (const [name, f, domain] of FUNCTIONS) {
    it(`${name}: JVP = central differences along 1, i and a random direction`, () => {
      property(points(domain), 15, ({ z, rng }) => {
        for (const v of [direction({ re: 1, im: 0 }), direction({ re: 0, im: 1 }), randomComplex(rng)]) {
          const [, t] = jvp(f, [z], [v]);
          const fd = np.divide(np.subtract(f(shift(z, v, H)), f(shift(z, v, -H))), 2 * H);
          expect(maxRelDiff(t, fd)).toBeLessThan(1e-6);
        }
      });
    });

    it(`${name}: VJP agrees with JVP, Re⟨u, J v⟩ = Re⟨Jᵀu, v⟩`, () => {
      property(points(domain), 15, ({ z, rng }) => {
        const [u, v] = [randomComplex(rng), randomComplex(rng)];
        const [, jv] = jvp(f, [z], [v]);
        const [, back] = vjp(f, z);
        const [jtu] = back(u) as [NDArray];
        const [lhs, scaleL] = pairing(u, jv);
        const [rhs, scaleR] = pairing(jtu, v);
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-12 * (scaleL + scaleR) + 1e-14);
      });
    });

    it(`${name}: vmap over a batch of 4 equals a loop; second order = differences of the JVP`, () => {
      property(points(domain), 8, ({ z, rng }) => {
        const batch = np.stack([z, z.mul(0.9), z.mul(1.1), z.mul({ re: 1, im: 0.05 })]);
        const batched = vmap(f)(batch) as NDArray;
        for (let i = 0; i < 4; i++) expect(partsOf(batched.get(i))).toEqual(partsOf(f(batch.get(i))));
        const v = randomComplex(rng);
        const d1 = (x: NDArray): NDArray => jvp(f, [x], [v])[1];
        const [, d2] = jvp(d1, [z], [v]);
        const fd = np.divide(np.subtract(d1(shift(z, v, H)), d1(shift(z, v, -H))), 2 * H);
        expect(maxRelDiff(d2, fd)).toBeLessThan(1e-5);
      });
    });

    it(`${name}: grad of the real Σ|f(z)|² is ∂/∂x − i ∂/∂y`, () => {
      property(points(domain), 8, ({ z }) => {
        const loss = (x: NDArray): NDArray => np.sum(np.real(np.multiply(f(x), np.conj(f(x)))));
        const g = grad(loss)(z) as NDArray;
        const L = (x: NDArray) => (loss(x).item() as number);
        const [gr, gi] = partsOf(g);
        for (let k = 0; k < N; k++) {
          const e = (v: { re: number; im: number }) => cplx(Array.from({ length: N }, (_, j) => (j === k ? v.re : 0)), Array.from({ length: N }, (_, j) => (j === k ? v.im : 0)));
          const dx = (L(shift(z, e({ re: 1, im: 0 }), H)) - L(shift(z, e({ re: 1, im: 0 }), -H))) / (2 * H);
          const dy = (L(shift(z, e({ re: 0, im: 1 }), H)) - L(shift(z, e({ re: 0, im: 1 }), -H))) / (2 * H);
          expect(Math.abs(gr[k]! - dx)).toBeLessThan(1e-6 * (1 + Math.abs(dx)));
          expect(Math.abs(gi[k]! + dy)).toBeLessThan(1e-6 * (1 + Math.abs(dy)));
        }
      });
    });
  }

  it("sign: zero derivative for complex z as well (JAX's convention), values z/|z|", () => {
    const z = cplx([3, -1], [4, 0]);
    expect(partsOf(np.sign(z))).toEqual([[0.6, -1], [0.8, 0]]);
    const [, t] = jvp(np.sign, [z], [direction({ re: 1, im: 1 }).get(":2")]);
    expect(partsOf(t)).toEqual([[0, 0], [0, 0]]);
  });

  it("closed forms: d/dz sqrt z = 1/(2√z), d/dz log z = 1/z, d/dz z^w = w z^(w−1), d/dw z^w = log z · z^w", () => {
    const z = cplx([1.5, -0.3], [0.7, -2]);
    const one = direction({ re: 1, im: 0 }).get(":2");
    const near = (a: NDArray, b: NDArray) => expect(maxRelDiff(a, b)).toBeLessThan(1e-14);
    near(jvp(np.sqrt, [z], [one])[1], np.divide(1, np.multiply(2, np.sqrt(z))));
    near(jvp(np.log, [z], [one])[1], np.divide(1, z));
    const w = cplx([0.5, 2], [-1, 0.25]);
    near(jvp((x: NDArray) => np.power(x, w), [z], [one])[1], np.multiply(w, np.power(z, np.subtract(w, 1))));
    near(jvp((y: NDArray) => np.power(z, y), [w], [one])[1], np.multiply(np.log(z), np.power(z, w)));
  });
});
