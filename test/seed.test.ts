/** @file autograd's README examples: sin, the Taylor-series sine, and tanh's higher derivatives. */
import { describe, expect, it } from "vitest";
import { grad, elementwiseGrad, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";

const xs = np.linspace(-10, 10, 100);
const xsList = xs.toArray() as number[];

describe("sin", () => {
  it("grad(sin) = cos and grad(grad(sin)) = −sin over linspace(−10, 10, 100)", () => {
    const d1 = xsList.map((x) => grad(np.sin)(x) as number);
    const d2 = xsList.map((x) => grad(grad(np.sin))(x) as number);
    expect(d1).toBeAllclose(xsList.map(Math.cos), { rtol: 0, atol: 1e-15 });
    expect(d2).toBeAllclose(xsList.map((x) => -Math.sin(x)), { rtol: 0, atol: 1e-15 });
  });
  it("elementwiseGrad and vmap(grad) agree with the scalar loop", () => {
    expect(elementwiseGrad(np.sin)(xs)).toBeAllclose(np.cos(xs), { rtol: 0, atol: 1e-15 });
    expect(vmap(grad(grad(np.sin)))(xs)).toBeAllclose(np.sin(xs).neg(), { rtol: 0, atol: 1e-15 });
  });
});

describe("Taylor-series sine with a data-dependent break", () => {
  // autograd's README example: the loop stops when a term gets small, which native control flow
  // under grad handles because values are concrete there.
  const taylorSine = (x: np.NDArray | number) => {
    let ans: np.NDArray = np.asarray(x);
    let currTerm: np.NDArray = np.asarray(x);
    for (let i = 0; i < 1000; i++) {
      currTerm = currTerm.mul(np.negative(np.asarray(x).pow(2))).div((2 * i + 2) * (2 * i + 3));
      ans = ans.add(currTerm);
      if (Math.abs(currTerm.item()) < 0.2) break;
    }
    return ans;
  };
  // The same truncated series differentiated by hand: the break index is found on values, then
  // each term x^(2k+1)/(2k+1)! contributes its own derivative.
  const terms = (x: number): number => {
    let term = x;
    let n = 0;
    for (let i = 0; i < 1000; i++) {
      term = (term * -x * x) / ((2 * i + 2) * (2 * i + 3));
      n = i + 1;
      if (Math.abs(term) < 0.2) break;
    }
    return n;
  };
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const series = (x: number, order: number): number => {
    let s = 0;
    for (let k = 0; k <= terms(x); k++) {
      const p = 2 * k + 1;
      if (p < order) continue;
      const coeff = ((-1) ** k / fact(p)) * (fact(p) / fact(p - order));
      s += coeff * x ** (p - order);
    }
    return s;
  };
  it("value, first and second derivative match the hand-differentiated truncated series", () => {
    for (const x of [-3.5, -1.2, 0.3, 1.0, 2.7, 4.4]) {
      expect(taylorSine(x)).toBeAllclose(series(x, 0), { rtol: 1e-12 });
      expect(grad(taylorSine)(x)).toBeAllclose(series(x, 1), { rtol: 1e-12 });
      expect(grad(grad(taylorSine))(x)).toBeAllclose(series(x, 2), { rtol: 1e-12, atol: 1e-12 });
    }
  });
});

describe("tanh written with exp: derivatives 1…6", () => {
  const tanh = (x: np.NDArray) => {
    const y = np.exp(x.mul(-2));
    return np.subtract(1, y).div(np.add(1, y));
  };
  // Closed forms in t = tanh(x) (derivatives are polynomials in t).
  const closed = [
    (t: number) => 1 - t * t,
    (t: number) => -2 * t * (1 - t * t),
    (t: number) => (1 - t * t) * (6 * t * t - 2),
    (t: number) => (1 - t * t) * (16 * t - 24 * t ** 3),
    (t: number) => (1 - t * t) * (16 - 120 * t * t + 120 * t ** 4),
    (t: number) => (1 - t * t) * (-272 * t + 960 * t ** 3 - 720 * t ** 5),
  ];
  const pts = np.linspace(-3.5, 3.5, 29);
  const ts = (pts.toArray() as number[]).map(Math.tanh);
  it("nested grad, per point", () => {
    let d: (x: number) => unknown = (x) => tanh(np.asarray(x));
    for (let k = 0; k < 6; k++) {
      d = grad(d as never) as never;
      const got = (pts.toArray() as number[]).map((x) => d(x) as number);
      // Each order loses a little accuracy to cancellation in the polynomial; 1e-9 relative to the
      // largest magnitude (~|d^6| ≤ 272) is still ~10 digits.
      expect(got).toBeAllclose(ts.map(closed[k]!), { rtol: 1e-9, atol: 1e-9 });
    }
  });
  it("nested elementwiseGrad on the whole grid", () => {
    let d: (x: np.NDArray) => np.NDArray = tanh;
    for (let k = 0; k < 6; k++) {
      d = elementwiseGrad(d);
      expect(d(pts)).toBeAllclose(ts.map(closed[k]!), { rtol: 1e-9, atol: 1e-9 });
    }
  });
});
