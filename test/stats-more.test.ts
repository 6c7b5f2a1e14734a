/**
 * @file The `scipy.stats` distributions uniform, cauchy, lognorm, vonmises, bernoulli, binom, geom
 * and nbinom, and `scipy.special.zeta`: values against SciPy 1.17.1 (fixtures from
 * test/fixtures/gen-stats-more.py), derivatives in the continuous parameters by `checkGrads` to
 * second order, and errors.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, grad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import * as scipy from "autograd-ts/scipy";
import fixture from "./fixtures/stats-more.json" with { type: "json" };

type A = np.NDArray;
const num = (v: number | string): number => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number));
type Fn = (x: A, ...params: number[]) => A;
const dists = scipy.stats as unknown as Record<string, Record<string, Fn>>;

/**
 * vonmises' CDF family is compared as probabilities to 1e-12 absolute: SciPy truncates its Fourier
 * series for about 12 digits and computes sf as 1 − F, which cancels in the upper tail (here sf is
 * F(−z) by symmetry), so neither side has relative accuracy there. Everything else: 1e-12 relative
 * (binom's pmf included, though SciPy's comes from Boost's binomial pdf, not the gammaln form).
 */
const probabilityScale = (dist: string, fn: string): boolean => dist === "vonmises" && /cdf|sf/.test(fn);

describe("values match SciPy", () => {
  for (const c of fixture.cases) {
    it(`${c.dist}(${c.params.join(", ")})`, () => {
      for (const [fn, vals] of Object.entries(c.values)) {
        const at = fn === "ppf" || fn === "isf" ? c.qs : c.points;
        const got = dists[c.dist]![fn]!(np.array(at), ...c.params);
        const expected = (vals as (number | string)[]).map(num);
        try {
          if (!probabilityScale(c.dist, fn)) expect(got).toBeAllclose(expected, { rtol: 1e-12, atol: 1e-15 });
          else if (fn.startsWith("log")) expect(np.exp(got)).toBeAllclose(expected.map(Math.exp), { rtol: 0, atol: 1e-12 });
          else expect(got).toBeAllclose(expected, { rtol: 0, atol: 1e-12 });
        } catch (e) {
          throw new Error(`${c.dist}.${fn}(${c.params.join(", ")}): ${(e as Error).message}`);
        }
      }
    });
  }
  it("zeta: Riemann (with the reflection for x < 0) and Hurwitz", () => {
    expect(scipy.special.zeta(np.array(fixture.zeta.riemann.x))).toBeAllclose(fixture.zeta.riemann.values.map(num), { rtol: 1e-13 });
    expect(scipy.special.zeta(np.array(fixture.zeta.hurwitz.x), np.array(fixture.zeta.hurwitz.q))).toBeAllclose(fixture.zeta.hurwitz.values.map(num), { rtol: 1e-13 });
    expect(scipy.special.zeta([1, 0.5, 2], [1, 1, -1]).toArray()).toEqual([Infinity, NaN, NaN]);
  });
});

describe("derivatives in the value and the continuous parameters (checkGrads, order 2, fwd and rev)", () => {
  const a = (v: number[]) => np.array(v);
  const p = (v: number) => np.array(v);
  const fnOf = (dist: string, fn: string) => (...args: A[]) => dists[dist]![fn]!(args[0]!, ...(args.slice(1) as unknown as number[]));
  const continuous: [string, string[], A, A[]][] = [
    // inside the support, away from its edges
    ["uniform", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"], a([-0.2, 0.9, 1.6]), [p(-0.5), p(2.5)]],
    ["cauchy", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf", "ppf", "isf"], a([-2.1, 0.4, 3.3]), [p(0.3), p(1.4)]],
    ["lognorm", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"], a([0.2, 1.1, 4.5]), [p(0.7), p(-0.5), p(1.3)]],
    ["vonmises", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"], a([-2.5, 0.4, 1.9]), [p(1.8), p(0.2), p(1.1)]],
    ["vonmises", ["cdf", "sf"], a([-2.5, 0.4, 1.9]), [p(60), p(0.2), p(1.1)]],
  ];
  for (const [dist, fns, at, params] of continuous) {
    for (const f of fns) {
      const x = f === "ppf" || f === "isf" ? a([0.05, 0.4, 0.9]) : at;
      it(`${dist}.${f}(${params.map((v) => v.item()).join(", ")})`, () => checkGrads(fnOf(dist, f), [x, ...params], { order: 2 }));
    }
  }
  it("uniform.ppf and isf in q, loc and scale", () => {
    for (const f of ["ppf", "isf"]) checkGrads(fnOf("uniform", f), [a([0.05, 0.4, 0.9]), p(-0.5), p(2.5)], { order: 2 });
  });
  const k = a([0, 1, 3, 6]);
  // bernoulli's CDF family at 0 and ½ (at 1, sf = 0 and its log is −∞)
  const discrete: [string, (q: A) => A[]][] = [
    ["bernoulli", (q) => [a([0, 1]), q]],
    ["bernoulli", (q) => [a([0, 0.5]), q]],
    ["binom", (q) => [k, p(10), q]],
    ["geom", (q) => [a([1, 2, 5, 9]), q]],
    ["nbinom", (q) => [k, p(2.5), q]],
  ];
  for (const [dist, args] of discrete) {
    for (const f of ["logpmf", "pmf", "cdf", "logcdf", "sf", "logsf"]) {
      if (dist === "bernoulli" && (args(p(0))[0]!.toArray() as number[])[1] === (f.includes("pmf") ? 0.5 : 1)) continue;
      it(`${dist}.${f} in p (k = ${(args(p(0))[0]!.toArray() as number[]).join(", ")})`, () => checkGrads((q: A) => dists[dist]![f]!(...(args(q) as unknown as [A, ...number[]])), [a([0.35])], { order: 2 }));
    }
  }
  it("nbinom in n (real), all functions", () => {
    for (const f of ["logpmf", "pmf", "cdf", "sf"]) checkGrads((n: A) => dists["nbinom"]![f]!(k, n as never, 0.4), [a([2.5])], { order: 2 });
  });
  it("zeta in x and q", () => {
    checkGrads((x: A) => scipy.special.zeta(x), [a([-2.5, 0.5, 2, 4.5])], { order: 2 });
    checkGrads((x: A, q: A) => scipy.special.zeta(x, q), [a([1.5, 3, 6]), a([0.4, 2, 7])], { order: 2 });
    // ∂ζ(x, q)/∂q = −x ζ(x + 1, q)
    expect(grad((q: A) => scipy.special.zeta(3, q))(np.array(2.5)).item()).toBeAllclose(-3 * scipy.special.zeta(4, 2.5).item(), { rtol: 1e-13 });
  });
});

describe("errors name the function and the arguments", () => {
  it("shapes that do not broadcast", () => {
    expect(() => scipy.stats.binom.pmf([1, 2], [10, 10, 10], 0.3)).toThrow(/scipy\.stats\.binom\.logpmf/);
    expect(() => scipy.stats.vonmises.cdf([1, 2], [1, 2, 3])).toThrow(/scipy\.stats\.vonmises\.cdf/);
    expect(() => scipy.stats.uniform.ppf(np.zeros([2]), np.zeros([3]))).toThrow(/scipy\.stats\.uniform\.ppf/);
    expect(() => scipy.special.zeta([1, 2], [1, 2, 3])).toThrow(/scipy\.special\.zeta/);
  });
  it("non-numeric arguments are TypeErrors", () => {
    expect(() => scipy.stats.cauchy.pdf("x" as never)).toThrow(TypeError);
    expect(() => scipy.stats.geom.pmf(1, undefined as never)).toThrow(/scipy\.stats\.geom\.logpmf/);
  });
});
