/**
 * @file `jet` (Taylor mode): tanh's derivatives against their closed forms (polynomials in tanh)
 * up to order 10 and nested `grad` up to 6; every Taylor rule against nested `jvp` (fast-check),
 * non-trivial input series against composing with the input curve; the cost is O(K²); jet composes
 * with grad, vmap and jit; errors.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { jet, jvp, grad, vmap, jit, makeJaxpr, customJvp, lax } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import * as scipy from "autograd-ts/scipy";
import { numRuns, seed } from "../property-tests/config.ts";

type A = np.NDArray;
type F = (x: A) => A;
const runs = (n: number) => ({ numRuns: numRuns(n), ...(seed === undefined ? {} : { seed }) });

/** The derivatives of tanh as polynomials in T = tanh x: P₀ = T, Pₙ₊₁ = Pₙ′(T)·(1 − T²) (integer coefficients). */
function tanhDerivativePolys(n: number): number[][] {
  const polys: number[][] = [[0, 1]];
  for (let k = 0; k < n; k++) {
    const p = polys[k]!;
    const dp = p.slice(1).map((c, i) => c * (i + 1));
    const next = new Array(dp.length + 2).fill(0);
    dp.forEach((c, i) => {
      next[i] += c;
      next[i + 2] -= c;
    });
    polys.push(next);
  }
  return polys;
}
const evalPoly = (p: number[], t: number) => p.reduceRight((acc, c) => acc * t + c, 0);

/** The k-th derivative of f along v at x by nested forward mode (k ≥ 1). */
function nestedJvp(f: F, x: A, v: A, k: number): A {
  let g: F = f;
  for (let i = 0; i < k; i++) {
    const h = g;
    g = (y: A) => jvp(h, [y], [v])[1];
  }
  return g(x);
}

/** jet along v with K terms [v, 0, …, 0]: the directional derivatives of orders 1…K. */
const jetAlong = (f: F, x: A, v: A, order: number): A[] =>
  jet(f, [x], [[v, ...Array.from({ length: order - 1 }, () => np.zerosLike(x))]])[1];

describe("tanh: 10 derivatives in one pass", () => {
  it("equal the closed forms (polynomials in tanh) to 1e-12, elementwise over an array", () => {
    const xs = [-1.7, -0.4, 0, 0.3, 1.1, 2.5];
    const terms = jetAlong(np.tanh, np.array(xs), np.ones([6]), 10);
    const polys = tanhDerivativePolys(10);
    terms.forEach((t, k) => {
      const expected = xs.map((x) => evalPoly(polys[k + 1]!, Math.tanh(x)));
      expect(t).toBeAllclose(expected, { rtol: 1e-12, atol: 1e-12 * Math.max(...expected.map(Math.abs)) });
    });
  });
  it("equal nested grad up to order 6", () => {
    let g: (x: number) => number = (x) => np.tanh(x) as never;
    const terms = jetAlong(np.tanh, np.array(0.7), np.array(1), 6);
    for (let k = 1; k <= 6; k++) {
      g = grad(g) as never;
      expect(terms[k - 1]!.item()).toBeAllclose(g(0.7) as never, { rtol: 1e-11 });
    }
  });
  it("costs O(K²): the staged program grows quadratically, not exponentially", () => {
    const count = (order: number) => makeJaxpr((x: A) => jetAlong(np.tanh, x, np.ones([3]), order))(np.ones([3])).eqns.length;
    const [c5, c10, c20] = [count(5), count(10), count(20)];
    expect(c10).toBeLessThan(1000);
    expect(c20 / c10).toBeLessThan(4.5);
    expect(c10 / c5).toBeLessThan(4.5);
  });
});

// Each elementwise function with the domain it is tested on.
const unaryCases: [string, F, number, number][] = [
  ["exp", np.exp, -2, 2], ["log", np.log, 0.3, 3], ["log1p", np.log1p, -0.5, 2], ["expm1", np.expm1, -2, 2],
  ["exp2", np.exp2, -2, 2], ["log2", np.log2, 0.3, 3], ["log10", np.log10, 0.3, 3],
  ["sin", np.sin, -3, 3], ["cos", np.cos, -3, 3], ["tan", np.tan, -1.2, 1.2], ["tanh", np.tanh, -2, 2],
  ["sinh", np.sinh, -2, 2], ["cosh", np.cosh, -2, 2], ["sqrt", np.sqrt, 0.2, 3], ["cbrt", np.cbrt, 0.2, 3],
  ["arcsin", np.arcsin, -0.8, 0.8], ["arccos", np.arccos, -0.8, 0.8], ["arctan", np.arctan, -2, 2],
  ["arcsinh", np.arcsinh, -2, 2], ["arccosh", np.arccosh, 1.2, 3], ["arctanh", np.arctanh, -0.8, 0.8],
  ["erf", scipy.special.erf, -2, 2], ["erfc", scipy.special.erfc, -2, 2], ["expit", scipy.special.expit, -3, 3],
  ["gammaln", scipy.special.gammaln, 0.5, 4], ["digamma", scipy.special.digamma, 0.5, 4], ["gamma", scipy.special.gamma, 0.5, 3],
  ["polygamma 1", (x) => scipy.special.polygamma(1, x), 0.5, 4], ["erfinv", scipy.special.erfinv, -0.8, 0.8],
  ["erfcinv", scipy.special.erfcinv, 0.2, 1.8], ["erfcx", scipy.special.erfcx, -1, 2],
  ["gammainc(2.5, x)", (x) => scipy.special.gammainc(2.5, x), 0.3, 4], ["gammaincc(0.7, x)", (x) => scipy.special.gammaincc(0.7, x), 0.3, 4],
  ["betainc(2.5, 1.5, x)", (x) => scipy.special.betainc(2.5, 1.5, x), 0.1, 0.9], ["stats.t.cdf(x, 3.5) (its custom JVP rule)", (x) => scipy.stats.t.cdf(x, 3.5), -2, 2],
  ["abs", np.abs, 0.1, 2], ["negative abs", (x) => np.abs(np.negative(x)), 0.1, 2],
  ["power 2.5", (x) => np.power(x, 2.5), 0.2, 2], ["power 3 (integer)", (x) => np.power(x, 3), -2, 2],
  ["power -1.5", (x) => np.power(x, -1.5), 0.2, 2], ["square", np.square, -2, 2], ["reciprocal", (x) => np.divide(1, x), 0.3, 2],
];

describe("every Taylor rule agrees with nested jvp (orders 1–4, fast-check)", () => {
  it.each(unaryCases)("%s", (_, f, lo, hi) => {
    fc.assert(
      fc.property(fc.double({ min: lo, max: hi, noNaN: true }), fc.double({ min: -1.5, max: 1.5, noNaN: true }), (x0, v0) => {
        // Both nested jvp (the reference) and jet turn NaN where powers of a tiny x underflow (power at
        // subnormal x; t.cdf's higher derivatives below 1e-100), so stay clear of them.
        fc.pre(Math.abs(x0) > 1e-60);
        const x = np.array([x0, (lo + hi) / 2]);
        const v = np.array([v0, 1]);
        const terms = jetAlong(f, x, v, 4);
        for (let k = 1; k <= 4; k++) expect(terms[k - 1]!).toBeAllclose(nestedJvp(f, x, v, k), { rtol: 1e-9, atol: 1e-9 });
      }),
      runs(8),
    );
  });

  it("integer powers are exact at 0 (repeated products, not the xᵖ recurrence that divides by x)", () => {
    const terms = jetAlong((x) => np.power(x, 3), np.array(0), np.array(1), 4);
    expect(terms.map((t) => t.item())).toEqual([0, 0, 6, 0]);
  });

  const binaryCases: [string, (x: A, y: A) => A][] = [
    ["add", np.add], ["subtract", np.subtract], ["multiply", np.multiply], ["divide", np.divide],
    ["power (both vary)", np.power], ["arctan2", np.arctan2], ["maximum", np.maximum], ["minimum", np.minimum],
    ["where", (x, y) => np.where(np.greater(x, 1), np.sin(x), np.multiply(y, y))],
  ];
  it.each(binaryCases)("%s", (_, f) => {
    fc.assert(
      fc.property(fc.double({ min: 0.3, max: 2, noNaN: true }), fc.double({ min: 0.3, max: 2, noNaN: true }), (a, b) => {
        fc.pre(Math.abs(a - b) > 1e-3);
        const x = np.array([a, 1.5]);
        const y = np.array([b, 0.7]);
        const g = (xy: A) => f(xy.get(0), xy.get(1));
        const xy = np.stack([x, y]);
        const v = np.array([[0.6, -1], [1.3, 0.4]]);
        const terms = jetAlong(g, xy, v, 4);
        for (let k = 1; k <= 4; k++) expect(terms[k - 1]!).toBeAllclose(nestedJvp(g, xy, v, k), { rtol: 1e-9, atol: 1e-9 });
      }),
      runs(8),
    );
  });

  it("structural and linear primitives, matrix products, reductions, gather and concatenation", () => {
    const w = np.array([[0.3, -1.2, 0.5], [0.8, 0.1, -0.4]]);
    const f = (x: A): A => {
      const h = np.tanh(np.matmul(w, x.reshape(3, 2)));
      const t = np.concatenate([h.T.reshape(-1), np.cumsum(x), x.get("1:4")]);
      const picked = np.take(t, np.array([0, 3, 3, 7], { dtype: "int32" }));
      return np.stack([np.sum(np.multiply(t, t)), np.max(picked), np.mean(np.sin(np.broadcastTo(x, [2, 6]))), np.einsum("i,i->", x, np.cos(x))]);
    };
    const x = np.array([0.2, -0.5, 0.9, 1.3, -0.1, 0.6]);
    const v = np.array([1, 0.5, -0.3, 0.2, 0.7, -1]);
    const terms = jetAlong(f, x, v, 4);
    for (let k = 1; k <= 4; k++) expect(terms[k - 1]!).toBeAllclose(nestedJvp(f, x, v, k), { rtol: 1e-9, atol: 1e-10 });
  });
});

describe("input series and conventions (as JAX's jet)", () => {
  it("a curve x(t) with several nonzero terms: equals jet along t of f(x(t)) (Faà di Bruno)", () => {
    const [x0, x1, x2, x3] = [0.4, 0.7, -1.1, 2.3];
    const fs: F[] = [np.tanh, np.log1p, (x) => np.divide(np.exp(x), np.add(np.multiply(x, x), 1)), (x) => np.power(x, 1.7)];
    for (const f of fs) {
      const [y, terms] = jet(f, [x0], [[x1, x2, x3]]);
      const curve = (t: A) => f(np.add(np.add(np.add(x0, np.multiply(x1, t)), np.multiply(x2 / 2, np.square(t))), np.multiply(x3 / 6, np.power(t, 3))));
      const ref = jetAlong(curve, np.array(0), np.array(1), 3);
      expect(np.asarray(y).item()).toBeAllclose(f(np.array(x0)).item(), { rtol: 1e-15 });
      terms.forEach((t, k) => expect(t).toBeAllclose(ref[k]!, { rtol: 1e-12, atol: 1e-12 }));
    }
  });
  it("JAX's docstring example: sin(h) with h(z) = z³ at 0.5", () => {
    const [h0, h1, h2] = [0.5 ** 3, 3 * 0.5 ** 2, 6 * 0.5];
    const [f0, [f1, f2]] = jet(np.sin, [h0], [[h1, h2]]);
    expect(np.asarray(f0).item()).toBeAllclose(Math.sin(h0), { rtol: 1e-15 });
    expect(f1!.item()).toBeAllclose(Math.cos(h0) * h1, { rtol: 1e-15 });
    expect(f2!.item()).toBeAllclose(-Math.sin(h0) * h1 ** 2 + Math.cos(h0) * h2, { rtol: 1e-14 });
  });
  it("several primals, tree outputs, constants and zero-order", () => {
    const [[p, q], [sp, sq]] = jet((x: A, y: A) => [np.multiply(x, y), np.ones([2])], [np.array([1, 2]), np.array([3, 4])], [[np.array([1, 0])], [np.array([0, 1])]]);
    expect(p).toBeAllclose([3, 8]);
    expect(q).toBeAllclose([1, 1]);
    expect(sp![0]!).toBeAllclose([3, 2]);
    expect(sq![0]!).toBeAllclose([0, 0]);
    const [y0, none] = jet(np.exp, [1], [[]]);
    expect(np.asarray(y0).item()).toBeAllclose(Math.E);
    expect(none).toEqual([]);
  });
  it("custom rules are looked through and lax.cond picks its branch, as JAX's jet", () => {
    const softplus = customJvp((x: A) => np.log1p(np.exp(x)), ([x], [t]) => [np.log1p(np.exp(x)), np.multiply(t, scipy.special.expit(x))]);
    const terms = jetAlong(softplus as F, np.array(0.3), np.array(1), 3);
    const ref = jetAlong((x) => np.log1p(np.exp(x)), np.array(0.3), np.array(1), 3);
    terms.forEach((t, k) => expect(t).toBeAllclose(ref[k]!, { rtol: 1e-13 }));
    const branchy = (x: A) => lax.cond(np.greater(x, 0), (y: A) => np.sin(y), (y: A) => np.exp(y), x);
    expect(jetAlong(branchy as F, np.array(0.5), np.array(1), 3)[2]!.item()).toBeAllclose(-Math.cos(0.5), { rtol: 1e-14 });
    expect(jetAlong(branchy as F, np.array(-0.5), np.array(1), 3)[2]!.item()).toBeAllclose(Math.exp(-0.5), { rtol: 1e-14 });
  });
});

describe("loops: scan and whileLoop run on the jet tracers", () => {
  it("a scan (reverse too) and a while loop agree with nested jvp", () => {
    const w = np.array([0.7, -0.4, 1.1]);
    const rnn = (x: A): A => {
      const [h, ys] = lax.scan((c: A, xi: A) => {
        const n = np.tanh(np.add(np.multiply(c, w), xi));
        return [n, np.sin(n)] as [A, A];
      }, x, np.stack([x, np.multiply(x, 2), np.cos(x)]));
      const [h2] = lax.scan((c: A, xi: A) => [np.multiply(c, np.exp(xi)), null] as [A, null], h, ys, { reverse: true });
      return np.add(h2, np.sum(ys, { axis: 0 }));
    };
    const loop = (x: A): A =>
      lax.whileLoop((s: [A, A]) => np.less(s[1], 4), (s: [A, A]) => [np.sin(np.multiply(s[0], x)), np.add(s[1], 1)] as [A, A], [x, np.array(0)] as [A, A])[0];
    const x = np.array([0.3, -0.2, 0.5]);
    const v = np.array([1, 0.5, -0.7]);
    for (const f of [rnn, loop]) {
      const terms = jetAlong(f, x, v, 3);
      for (let k = 1; k <= 3; k++) expect(terms[k - 1]!).toBeAllclose(nestedJvp(f, x, v, k), { rtol: 1e-10, atol: 1e-12 });
    }
  });
});

describe("primitives without a dedicated rule: the generic rule from their JVP", () => {
  it("det, cholesky-based solves, gammainc/betainc in their shapes, and t.cdf through its custom JVP rule (at 0 too) agree with nested jvp", () => {
    const m = (x: A) => np.stack([np.stack([np.add(x.get(0), 2), x.get(1)]), np.stack([np.sin(x.get(1)), np.add(np.multiply(x.get(0), x.get(0)), 1.5)])]);
    const fs: F[] = [
      (x) => np.linalg.det(m(x)),
      (x) => np.sum(np.linalg.solve(np.add(np.matmul(m(x), m(x).T), np.eye(2)), x)),
      (x) => scipy.special.gammainc(np.add(x, 2), 1.7),
      (x) => scipy.special.betainc(np.add(x, 1.5), np.exp(x), 0.3),
      (x) => scipy.stats.t.cdf(np.multiply(x, 0), np.add(x, 3)),
      (x) => scipy.stats.t.cdf(np.subtract(x, x.get(0)), 3.5),
    ];
    const x = np.array([0.3, -0.4]);
    const v = np.array([1, 0.6]);
    for (const f of fs) {
      const terms = jetAlong(f, x, v, 4);
      for (let k = 1; k <= 4; k++) expect(terms[k - 1]!).toBeAllclose(nestedJvp(f, x, v, k), { rtol: 1e-8, atol: 1e-10 });
    }
  });
});

describe("jet composes with the other transformations", () => {
  it("grad of a jet term is the next derivative; vmap equals a loop; jit equals eager", () => {
    const third = (x: A) => jetAlong(np.tanh, x, np.onesLike(x), 3)[2]!;
    const polys = tanhDerivativePolys(4);
    expect(grad(third)(np.array(0.4)).item()).toBeAllclose(evalPoly(polys[4]!, Math.tanh(0.4)), { rtol: 1e-12 });
    const xs = np.array([0.1, 0.5, -0.9]);
    const batched = vmap(third)(xs);
    expect(batched).toBeAllclose([0.1, 0.5, -0.9].map((x) => third(np.array(x)).item()), { rtol: 1e-14 });
    expect(jit(third)(xs)).toBeAllclose(third(xs), { rtol: 1e-13 });
  });
});

describe("errors", () => {
  it("bad series are TypeErrors/ShapeErrors naming the argument", () => {
    expect(() => jet(np.sin, [1, 2], [[1]])).toThrow(/jet: series has 1 entries but there are 2 primals/);
    expect(() => jet((x: A, y: A) => np.multiply(x, y), [1, 2], [[1, 0], [1]])).toThrow(/terms have inconsistent lengths for different arguments \(2, 1\)/);
    expect(() => jet(np.sin, [np.zeros([2])], [[np.zeros([3])]])).toThrow(/jet: series\[0\]\[0\] has shape \(3,\), but primal 0 has shape \(2,\)/);
    expect(() => jet(np.sin, [1], [1 as never])).toThrow(/series must be a list, per primal, of lists of terms/);
    expect(() => jet(np.sin, [np.array([1, 2], { dtype: "int32" })], [[np.array([1, 1], { dtype: "int32" })]])).toThrow(/primal 0 has dtype int32/);
  });
});
