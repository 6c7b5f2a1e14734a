/**
 * @file `scipy.stats`: values against SciPy; derivatives in the value and every parameter against
 * finite differences (`checkGrads`, second order, both modes) and against closed forms
 * (d cdf/dx = pdf, score functions); `vmap` against a loop; argument errors.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, elementwiseGrad, grad, hessian, jacrev, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { special, stats } from "autograd-ts/scipy";
import * as R from "./stats-refs.ts";

type Fn = (...args: np.NDArray[]) => np.NDArray;
const fnOf = (dist: string, f: string): Fn => (stats as unknown as Record<string, Record<string, Fn>>)[dist]![f]!;
const a = (xs: number[]) => np.array(xs);

describe("values against SciPy", () => {
  for (const [dist, { params, values }] of Object.entries(R.continuous)) {
    for (const [f, want] of Object.entries(values)) {
      const at = f === "ppf" || f === "isf" ? R.qs : R.xs;
      // incomplete gamma/beta based tails agree with SciPy's to a few ulps of the CDF
      it(`${dist}.${f}`, () => expect(fnOf(dist, f)(a(at), ...params.map((p) => np.array(p)))).toBeAllclose(want, { rtol: 1e-13, atol: 1e-300 }));
    }
  }
  it("poisson", () => {
    expect(stats.poisson.logpmf(R.ks, 3.2)).toBeAllclose(R.poisson.logpmf, { rtol: 1e-13 });
    expect(stats.poisson.pmf(R.ks, 3.2)).toBeAllclose(R.poisson.pmf, { rtol: 1e-13 });
    expect(stats.poisson.cdf(R.ks, 3.2)).toBeAllclose(R.poisson.cdf, { rtol: 1e-13 });
    expect(stats.poisson.sf(R.ks, 3.2)).toBeAllclose(R.poisson.sf, { rtol: 1e-13 });
    expect(stats.poisson.pmf([1, 2], 3.2, 1)).toBeAllclose(stats.poisson.pmf([0, 1], 3.2), { rtol: 1e-15 });
  });
  it("dirichlet: components on the first axis, and the last one implied", () => {
    expect(stats.dirichlet.logpdf([[0.2, 0.5], [0.3, 0.1], [0.5, 0.4]], [1.5, 2, 3])).toBeAllclose(R.dirichlet.two, { rtol: 1e-13 });
    expect(stats.dirichlet.logpdf([0.2, 0.3], [1.5, 2, 3])).toBeAllclose(R.dirichlet.implied, { rtol: 1e-13 });
    expect(stats.dirichlet.logpdf([0.2, 0.3, 0.6], [1.5, 2, 3]).item()).toBe(-Infinity);
    expect(stats.dirichlet.pdf([0.2, 0.3, 0.5], [1, 1, 1])).toBeAllclose(2, { rtol: 1e-14 });
  });
  it("multivariateNormal: logpdf for a batch and one point, scalar and diagonal covariances, entropy", () => {
    const mean = [0.5, 0, -0.5];
    expect(stats.multivariateNormal.logpdf([[0.1, 0.2, 0.3], [1, -1, 2]], mean, R.mvnCov)).toBeAllclose(R.mvn.logpdf, { rtol: 1e-13 });
    const one = stats.multivariateNormal.logpdf([0.1, 0.2, 0.3], mean, R.mvnCov);
    expect(one.shape).toEqual([]);
    expect(one).toBeAllclose(R.mvn.logpdf[0]!, { rtol: 1e-13 });
    expect(stats.multivariateNormal.logpdf([0.1, 0.7], 0.2, 2)).toBeAllclose(R.mvn.scalar, { rtol: 1e-13 });
    expect(stats.multivariateNormal.logpdf([0.1, 0.7], [0, 1], [2, 3])).toBeAllclose(R.mvn.diagonal, { rtol: 1e-13 });
    expect(stats.multivariateNormal.entropy(mean, R.mvnCov)).toBeAllclose(R.mvn.entropy, { rtol: 1e-13 });
    expect(stats.multivariateNormal.pdf([0.1, 0.2, 0.3], mean, R.mvnCov)).toBeAllclose(Math.exp(R.mvn.logpdf[0]!), { rtol: 1e-13 });
  });
  it("tails: norm.logcdf far below, t.sf far above, gamma.logsf near 1", () => {
    expect(stats.norm.logcdf(-40)).toBeAllclose(special.logNdtr(-40), { rtol: 1e-15 });
    expect(stats.norm.sf(30)).toBeAllclose(special.ndtr(-30), { rtol: 1e-15 });
    expect(stats.t.sf(1e4, 3).item()).toBeGreaterThan(0);
  });
});

describe("derivatives in the value and every parameter (checkGrads, order 2, fwd and rev)", () => {
  // Points away from the kinks (laplace at loc) and the support's edges.
  const x = a([-0.7, 0.45, 1.3]);
  const pos = a([0.2, 0.45, 1.3]);
  const unit = a([0.15, 0.45, 0.8]);
  const q = a([0.05, 0.4, 0.9]);
  const p = (v: number) => np.array(v);
  const cases: [string, string[], np.NDArray, np.NDArray[]][] = [
    ["norm", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"], x, [p(0.3), p(1.4)]],
    ["t", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"], x, [p(3.5), p(0.3), p(1.4)]],
    ["gamma", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"], pos, [p(2.5), p(-0.1), p(1.4)]],
    ["beta", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"], unit, [p(2.5), p(1.5), p(-0.1), p(1.2)]],
    ["chi2", ["logpdf", "pdf", "cdf", "sf"], pos, [p(3), p(-0.1), p(1.4)]],
    ["expon", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"], pos, [p(-0.1), p(1.4)]],
    ["laplace", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"], x, [p(0.3), p(1.4)]],
    ["logistic", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"], x, [p(0.3), p(1.4)]],
  ];
  for (const [dist, fns, at, params] of cases) {
    for (const f of fns) it(`${dist}.${f}`, () => checkGrads(fnOf(dist, f), [at, ...params], { order: 2 }));
  }
  for (const dist of ["norm", "expon", "laplace", "logistic"]) {
    it(`${dist}.ppf`, () => checkGrads(fnOf(dist, "ppf"), [q, p(0.3), p(1.4)], { order: 2 }));
  }
  // quantiles by inverting the incomplete gamma/beta functions: in q and the shapes too
  const inverted: [string, np.NDArray[]][] = [
    ["t", [p(3.5), p(0.3), p(1.4)]],
    ["gamma", [p(2.5), p(-0.1), p(1.4)]],
    ["beta", [p(2.5), p(1.5), p(-0.1), p(1.2)]],
    ["chi2", [p(3), p(-0.1), p(1.4)]],
  ];
  for (const [dist, params] of inverted) {
    for (const f of ["ppf", "isf"]) it(`${dist}.${f}`, () => checkGrads(fnOf(dist, f), [q, ...params], { order: 2 }));
  }
  it("t.ppf through q = ½, where its closed forms have square roots at 0, to third order", () => {
    checkGrads((v: np.NDArray) => stats.t.ppf(v, 3.5), [a([0.5])], { order: 3 });
    checkGrads((nu: np.NDArray) => stats.t.ppf(0.5, nu), [a([3.5])], { order: 2 });
  });
  it("poisson in mu; dirichlet in x and alpha; multivariateNormal in x, mean and cov", () => {
    const k = a([0, 2, 5]);
    checkGrads((mu: np.NDArray) => stats.poisson.logpmf(k, mu), [a([0.7, 2.5, 4.1])], { order: 2 });
    checkGrads((mu: np.NDArray) => stats.poisson.pmf(k, mu), [a([0.7, 2.5, 4.1])], { order: 2 });
    checkGrads((mu: np.NDArray) => stats.poisson.cdf(k, mu), [a([0.7, 2.5, 4.1])], { order: 2 });
    checkGrads((mu: np.NDArray) => stats.poisson.sf(k, mu), [a([0.7, 2.5, 4.1])], { order: 2 });
    // x with the last component implied stays on the simplex under any perturbation
    checkGrads(stats.dirichlet.logpdf, [a([0.2, 0.3]), a([1.5, 2, 3])], { order: 2 });
    const mean = a([0.5, 0, -0.5]);
    const xs = np.array([[0.1, 0.2, 0.3], [1, -1, 2]]);
    // cov perturbed symmetrically: the gradient is the symmetric one, so test through a symmetric map
    const sym = (c: np.NDArray) => c.add(c.T).mul(0.5);
    checkGrads((xx: np.NDArray, m: np.NDArray, c: np.NDArray) => stats.multivariateNormal.logpdf(xx, m, sym(c)), [xs, mean, np.array(R.mvnCov)], { order: 2 });
    checkGrads((m: np.NDArray, c: np.NDArray) => stats.multivariateNormal.entropy(m, sym(c)), [mean, np.array(R.mvnCov)], { order: 2 });
  });
});

describe("derivatives against closed forms", () => {
  const x = a([-0.7, 0.45, 1.3, 4]);
  it("d cdf/dx = pdf and d sf/dx = −pdf for every continuous distribution", () => {
    const cases: [string, number[], number[]][] = [
      ["norm", [0.3, 1.4], [-0.7, 0.45, 1.3, 4]],
      ["t", [3.5, 0.3, 1.4], [-0.7, 0.45, 1.3, 4]],
      ["gamma", [2.5, -0.1, 1.4], [0.2, 0.45, 1.3, 4]],
      ["beta", [2.5, 1.5, -0.1, 1.2], [0.15, 0.45, 0.8, 1]],
      ["chi2", [3, -0.1, 1.4], [0.2, 0.45, 1.3, 4]],
      ["expon", [-0.1, 1.4], [0.2, 0.45, 1.3, 4]],
      ["laplace", [0.3, 1.4], [-0.7, 0.45, 1.3, 4]],
      ["logistic", [0.3, 1.4], [-0.7, 0.45, 1.3, 4]],
    ];
    for (const [dist, params, at] of cases) {
      const ps = params.map((v) => np.array(v));
      const pdf = fnOf(dist, "pdf")(a(at), ...ps);
      expect(elementwiseGrad((v: np.NDArray) => fnOf(dist, "cdf")(v, ...ps))(a(at)), dist).toBeAllclose(pdf, { rtol: 1e-12, atol: 1e-15 });
      expect(elementwiseGrad((v: np.NDArray) => fnOf(dist, "sf")(v, ...ps))(a(at)), dist).toBeAllclose(pdf.neg(), { rtol: 1e-12, atol: 1e-15 });
    }
  });
  it("quantiles invert the CDF, d ppf/dq = 1/pdf(ppf), and ∂ppf/∂shape = −(∂cdf/∂shape)/pdf", () => {
    const q = a([0.01, 0.3, 0.5, 0.9]);
    const cases: [string, number[]][] = [
      ["t", [3.5, 0.3, 1.4]],
      ["gamma", [2.5, -0.1, 1.4]],
      ["beta", [2.5, 1.5, -0.1, 1.2]],
      ["chi2", [3, -0.1, 1.4]],
    ];
    for (const [dist, params] of cases) {
      const [shape, ...rest] = params.map((v) => np.array(v));
      const x = fnOf(dist, "ppf")(q, shape!, ...rest);
      const pdf = fnOf(dist, "pdf")(x, shape!, ...rest);
      expect(fnOf(dist, "cdf")(x, shape!, ...rest), dist).toBeAllclose(q, { rtol: 1e-13 });
      expect(fnOf(dist, "sf")(fnOf(dist, "isf")(q, shape!, ...rest), shape!, ...rest), dist).toBeAllclose(q, { rtol: 1e-13 });
      expect(elementwiseGrad((v: np.NDArray) => fnOf(dist, "ppf")(v, shape!, ...rest))(q), dist).toBeAllclose(np.divide(1, pdf), { rtol: 1e-12 });
      const dShape = vmap((xi: np.NDArray) => grad((s: np.NDArray) => fnOf(dist, "cdf")(xi, s, ...rest))(shape!))(x);
      const want = dShape.neg().div(pdf);
      expect(vmap((qi: np.NDArray) => grad((s: np.NDArray) => fnOf(dist, "ppf")(qi, s, ...rest))(shape!))(q), dist).toBeAllclose(want, { rtol: 1e-10 });
    }
  });
  it("norm.logpdf: ∂x = −z/σ, ∂loc = z/σ, ∂scale = (z² − 1)/σ", () => {
    const [gx, gl, gs] = grad((v: np.NDArray, l: np.NDArray, s: np.NDArray) => np.sum(stats.norm.logpdf(v, l, s)), { argnums: [0, 1, 2] })(x, np.array(0.3), np.array(1.4)) as np.NDArray[];
    const z = x.sub(0.3).div(1.4);
    expect(gx).toBeAllclose(z.div(-1.4), { rtol: 1e-14 });
    expect(gl).toBeAllclose(np.sum(z.div(1.4)), { rtol: 1e-14 });
    expect(gs).toBeAllclose(np.sum(z.mul(z).sub(1).div(1.4)), { rtol: 1e-14 });
  });
  it("t.cdf at x = loc: the derivative is the density there, in every order checkGrads reaches", () => {
    expect(grad((v: np.NDArray) => stats.t.cdf(v, 3.5, 0.3, 1.4))(0.3)).toBeAllclose(stats.t.pdf(0.3, 3.5, 0.3, 1.4), { rtol: 1e-14 });
    checkGrads((v: np.NDArray) => stats.t.cdf(v, 3.5), [a([0])], { order: 3 });
    // at 0 the CDF is ½ for every df: its df-derivative vanishes
    expect(grad((d: np.NDArray) => stats.t.cdf(0, d))(3.5)).toBe(0);
    // mixed ∂²/∂x∂df at 0 is ∂pdf(0, df)/∂df
    const mixed = grad((d: np.NDArray) => grad((v: np.NDArray) => stats.t.cdf(v, d))(np.array(0)))(3.5);
    expect(mixed).toBeAllclose(grad((d: np.NDArray) => stats.t.pdf(0, d))(3.5), { rtol: 1e-12 });
  });
  it("hessians (forward over reverse) of t.cdf and beta.cdf in (x, shape) are symmetric and match reverse over reverse", () => {
    const ft = (p: np.NDArray) => stats.t.cdf(p.get(0), p.get(1));
    const fb = (p: np.NDArray) => stats.beta.cdf(p.get(0), p.get(1), p.get(2));
    for (const [f, at] of [[ft, [0.7, 3.5]], [fb, [0.35, 2.5, 1.5]]] as const) {
      const h = hessian(f)(np.array(at as unknown as number[])) as np.NDArray;
      expect(h).toBeAllclose(h.T, { rtol: 1e-10, atol: 1e-14 });
      expect(h).toBeAllclose(jacrev(jacrev(f))(np.array(at as unknown as number[])) as np.NDArray, { rtol: 1e-10, atol: 1e-14 });
    }
  });
  it("gamma.cdf in the shape is ∂P/∂a; chi2.cdf agrees with gamma", () => {
    const ga = grad((s: np.NDArray) => stats.gamma.cdf(1.7, s))(2.5);
    expect(ga).toBeAllclose(grad((s: np.NDArray) => special.gammainc(s, 1.7))(2.5), { rtol: 1e-15 });
    const gk = grad((k: np.NDArray) => stats.chi2.cdf(3.4, k))(5);
    expect(gk).toBeAllclose((grad((s: np.NDArray) => special.gammainc(s, 1.7))(2.5) as number) * 0.5, { rtol: 1e-14 });
  });
  it("poisson: ∂ logpmf/∂μ = k/μ − 1, ∂ cdf/∂μ = −pmf(k, μ)", () => {
    const k = a([0, 2, 5]);
    expect(elementwiseGrad((m: np.NDArray) => stats.poisson.logpmf(k, m))(a([2, 2, 2]))).toBeAllclose(k.div(2).sub(1), { rtol: 1e-14 });
    expect(elementwiseGrad((m: np.NDArray) => stats.poisson.cdf(k, m))(a([2, 2, 2]))).toBeAllclose(stats.poisson.pmf(k, 2).neg(), { rtol: 1e-13 });
  });
  it("dirichlet: ∂/∂α = log x − ψ(α) + ψ(Σα)", () => {
    const xx = a([0.2, 0.3, 0.5]);
    const alpha = a([1.5, 2, 3]);
    const g = grad((al: np.NDArray) => stats.dirichlet.logpdf(xx, al))(alpha);
    expect(g).toBeAllclose(np.log(xx).sub(special.digamma(alpha)).add(special.digamma(6.5)), { rtol: 1e-14 });
  });
  it("multivariateNormal: ∂x = −Σ⁻¹(x − μ), ∂μ = Σ⁻¹(x − μ), ∂Σ = ½(Σ⁻¹ddᵀΣ⁻¹ − Σ⁻¹) (symmetric)", () => {
    const xx = a([0.1, 0.2, 0.3]);
    const mean = a([0.5, 0, -0.5]);
    const cov = np.array(R.mvnCov);
    const [gx, gm, gc] = grad(stats.multivariateNormal.logpdf, { argnums: [0, 1, 2] })(xx, mean, cov) as np.NDArray[];
    const s = np.linalg.solve(cov, xx.sub(mean));
    expect(gx).toBeAllclose(s.neg(), { rtol: 1e-13 });
    expect(gm).toBeAllclose(s, { rtol: 1e-13 });
    expect(gc).toBeAllclose(np.outer(s, s).sub(np.linalg.inv(cov)).mul(0.5), { rtol: 1e-12, atol: 1e-15 });
    expect(grad((c: np.NDArray) => stats.multivariateNormal.entropy(mean, c))(cov)).toBeAllclose(np.linalg.inv(cov).mul(0.5), { rtol: 1e-12 });
  });
});

describe("vmap against a loop", () => {
  it("over the value, over a parameter, and per-example gradients", () => {
    const xs = a([-0.7, 0.45, 1.3]);
    const scales = a([0.5, 1.4, 2.2]);
    const f = (v: np.NDArray, s: np.NDArray) => stats.t.cdf(v, 3.5, 0.3, s);
    const loop = [0, 1, 2].map((i) => f(xs.get(i), scales.get(i)).item());
    expect(vmap(f)(xs, scales)).toBeAllclose(loop, { rtol: 1e-15 });
    const g = grad(f, { argnums: [0, 1] });
    const per = vmap(g)(xs, scales) as np.NDArray[];
    for (let i = 0; i < 3; i++) {
      const gi = g(xs.get(i), scales.get(i)) as np.NDArray[];
      expect(per[0]!.get(i)).toBeAllclose(gi[0]!, { rtol: 1e-14 });
      expect(per[1]!.get(i)).toBeAllclose(gi[1]!, { rtol: 1e-14 });
    }
  });
  it("multivariateNormal.logpdf and its mean gradient under vmap", () => {
    const pts = np.array([[0.1, 0.2, 0.3], [1, -1, 2], [0, 0, 0]]);
    const mean = a([0.5, 0, -0.5]);
    const cov = np.array(R.mvnCov);
    const f = (v: np.NDArray) => stats.multivariateNormal.logpdf(v, mean, cov);
    expect(vmap(f)(pts)).toBeAllclose(stats.multivariateNormal.logpdf(pts, mean, cov), { rtol: 1e-14 });
    const gm = (v: np.NDArray) => grad((m: np.NDArray) => stats.multivariateNormal.logpdf(v, m, cov))(mean) as np.NDArray;
    const per = vmap(gm)(pts) as np.NDArray;
    for (let i = 0; i < 3; i++) expect(per.get(i)).toBeAllclose(gm(pts.get(i)), { rtol: 1e-13 });
  });
  it("gamma.cdf over shapes (the Taylor-arithmetic kernels batch elementwise)", () => {
    const shapes = a([0.5, 2.5, 7]);
    const g = grad((s: np.NDArray) => stats.gamma.cdf(1.7, s));
    expect(vmap(g)(shapes)).toBeAllclose([0, 1, 2].map((i) => g(shapes.get(i)) as np.NDArray), { rtol: 1e-14 });
  });
});

describe("argument errors", () => {
  it("name the function, the argument and the shapes", () => {
    expect(() => stats.dirichlet.logpdf([0.2, 0.3, 0.1, 0.4], [1, 2])).toThrow(/dirichlet\.logpdf: x must have 2 or 1 entries/);
    expect(() => stats.dirichlet.logpdf([0.5, 0.5], [[1, 2]])).toThrow(/alpha must be 1-D/);
    expect(() => stats.multivariateNormal.logpdf([1, 2], [0, 0, 0], 1)).toThrow(/multivariateNormal\.logpdf: x must have the dimension 3/);
    expect(() => stats.multivariateNormal.logpdf([1, 2], [0, 0], [[1, 0, 0]])).toThrow(/cov must be \(2, 2\)/);
    expect(() => stats.norm.logpdf([1, 2], [0, 0, 0])).toThrow(/scipy\.stats\.norm\.logpdf/);
    expect(() => stats.multivariateNormal.logpdf([1, 2], [0, 0], [[1, 2], [2, 1]])).toThrow(/not positive definite|cholesky/i);
  });
});
