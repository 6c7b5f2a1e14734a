/**
 * @file `scipy.special`: values against SciPy, identities and closed forms; derivatives against
 * the next function of each family, against finite differences (`checkGrads`, second order, both
 * modes) and against mpmath for the shape derivatives of the incomplete gamma and beta functions;
 * `vmap` against a loop.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, deriv, grad, jvp, vmap, elementwiseGrad, hessian } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { special } from "autograd-ts/scipy";
import * as R from "./special-refs.ts";

type F1 = (x: np.NDArray) => np.NDArray;
const a = (xs: number[]) => np.array(xs);
const EULER = 0.5772156649015329;
const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

describe("values against SciPy", () => {
  const fns: Record<string, F1> = {
    gamma: special.gamma, gammaln: special.gammaln, digamma: special.digamma, erf: special.erf,
    erfc: special.erfc, erfcx: special.erfcx, ndtr: special.ndtr, i0: special.i0, i1: special.i1,
    j0: special.j0, j1: special.j1, y0: special.y0, y1: special.y1, expit: special.expit,
  };
  for (const [name, { x, want }] of Object.entries(R.unaryRefs)) {
    // stdlib and Cephes/Boost agree to a few ulps; the Gaussian tails of ndtr/erfc lose a few more
    // to the rounding of x/√2 (relative error ≈ 2x²·ulp), hence 1e-13.
    it(name, () => expect(fns[name]!(a(x))).toBeAllclose(want, { rtol: 1e-13, atol: 1e-15 }));
  }
  it("polygamma of orders 1, 2, 3 (negative x too)", () => {
    expect(special.polygamma(1, R.xs)).toBeAllclose(R.polygammaRef.n1, { rtol: 1e-13 });
    expect(special.polygamma(2, R.xs)).toBeAllclose(R.polygammaRef.n2, { rtol: 1e-13 });
    expect(special.polygamma(3, R.xs.concat(R.negs))).toBeAllclose(R.polygammaRef.n3, { rtol: 1e-13 });
    expect(special.polygamma(0, R.xs)).toBeAllclose(special.digamma(R.xs), { rtol: 1e-15 });
  });
  it("polygamma broadcasts an array of orders", () => {
    expect(special.polygamma([1, 2], [[1], [2.5]])).toBeAllclose(
      [[R.polygammaRef.n1[2]!, R.polygammaRef.n2[2]!], [R.polygammaRef.n1[3]!, R.polygammaRef.n2[3]!]],
      { rtol: 1e-13 },
    );
    expect(special.polygamma(1.5, 2).item()).toBeNaN();
  });
  it("erfinv, erfcinv, ndtri, logit, logNdtr", () => {
    expect(special.erfinv([-0.999, -0.5, 0, 0.3, 0.9999999])).toBeAllclose(R.erfinvRef, { rtol: 1e-13 });
    expect(special.erfcinv([1e-300, 1e-10, 0.5, 1.7, 1.9999])).toBeAllclose(R.erfcinvRef, { rtol: 1e-13 });
    expect(special.ndtri(R.ps)).toBeAllclose(R.ndtriRef, { rtol: 1e-13 });
    expect(special.logit(R.ps)).toBeAllclose(R.logitRef, { rtol: 1e-13 });
    expect(special.logNdtr([-40, -10, -1, 0, 1, 5, 10, 40])).toBeAllclose(R.logNdtrRef, { rtol: 1e-13 });
  });
  it("multigammaln, beta, betaln", () => {
    expect(special.multigammaln([2.5, 4, 7], 3)).toBeAllclose(R.multigammalnRef, { rtol: 1e-13 });
    expect(special.beta([0.5, 2, -0.5, 3], [1.5, 3, 2, 7])).toBeAllclose(R.betaRef, { rtol: 1e-13 });
    expect(special.betaln([0.5, 2, 3], [1.5, 3, 7])).toBeAllclose(R.betalnRef, { rtol: 1e-13 });
  });
  it("gammainc, gammaincc, betainc", () => {
    expect(special.gammainc(R.igammaArgs.a, R.igammaArgs.x)).toBeAllclose(R.gammaincRef, { rtol: 1e-13 });
    expect(special.gammaincc(R.igammaArgs.a, R.igammaArgs.x)).toBeAllclose(R.gammainccRef, { rtol: 1e-13 });
    expect(special.betainc(R.betaincArgs.a, R.betaincArgs.b, R.betaincArgs.x)).toBeAllclose(R.betaincRef, { rtol: 1e-13 });
  });
  it("gammaincinv, gammainccinv, betaincinv (SciPy 1.17.1), and their edges", () => {
    expect(special.gammaincinv([0.5, 2.5, 7], [0.1, 0.5, 0.999])).toBeAllclose([0.00789538704671561, 2.175730095547763, 18.061636840199064], { rtol: 1e-13 });
    expect(special.gammainccinv([0.5, 2.5, 7], [0.1, 0.5, 1e-12])).toBeAllclose([1.35277172704771, 2.175730095547763, 43.88417289504629], { rtol: 1e-13 });
    expect(special.betaincinv([0.5, 2.5, 7], [1.5, 0.7, 3], [0.1, 0.5, 0.999])).toBeAllclose([0.0061812439384296685, 0.841502178841484, 0.9763364487347851], { rtol: 1e-13 });
    expect(special.gammaincinv(2, [0, 1]).toArray()).toEqual([0, Infinity]);
    expect(special.betaincinv(2, 3, [0, 1]).toArray()).toEqual([0, 1]);
  });
  it("integer-order Bessel functions jn, yn, iv", () => {
    const n = [0, 1, 2, 3, 4, 5];
    expect(n.map((k) => special.jn(k, 1.5).item())).toBeAllclose(R.jnRef, { rtol: 1e-13 });
    expect(n.map((k) => special.yn(k, 1.5).item())).toBeAllclose(R.ynRef, { rtol: 1e-13 });
    expect(n.map((k) => special.iv(k, 1.5).item())).toBeAllclose(R.ivRef, { rtol: 1e-13 });
    expect(special.jn(-3, 1.5)).toBeAllclose(-R.jnRef[3]!, { rtol: 1e-13 });
    expect(() => special.jn(1.5, 1)).toThrow(/order n must be an integer/);
  });
  it("edge values as SciPy: xlogy, xlog1py, entr, relEntr, klDiv, expit tails, gammasgn", () => {
    expect(special.xlogy([0, 0, 0, 2, 0.5], [0, -1, 5, 3, 0.1])).toBeAllclose([0, 0, 0, 2 * Math.log(3), 0.5 * Math.log(0.1)]);
    expect(special.xlogy(0, NaN).item()).toBeNaN();
    expect(special.xlog1py([0, 0, 2, 0.5], [-1, -2, 3, 1e-10])).toBeAllclose([0, 0, 2 * Math.log(4), 0.5 * Math.log1p(1e-10)]);
    expect(special.entr([0, 0.5, 1, 2, -1])).toBeAllclose([0, 0.5 * Math.LN2, 0, -2 * Math.LN2, -Infinity]);
    expect(special.relEntr([0, 0.5, 1, 2, -1, 0], [1, 0.25, 1, 3, 1, 0])).toBeAllclose([0, 0.5 * Math.LN2, 0, 2 * Math.log(2 / 3), Infinity, 0]);
    expect(special.klDiv([0, 0.5, 1, 2, -1], [1, 0.25, 1, 3, 1])).toBeAllclose([1, 0.5 * Math.LN2 - 0.25, 0, 2 * Math.log(2 / 3) + 1, Infinity]);
    // the tails of the sigmoid keep their relative accuracy (1/(1 + e⁴⁰) ≈ e⁻⁴⁰)
    expect(special.expit([-800, -40, 40, 800])).toBeAllclose([0, 4.248354255291589e-18, 1, 1], { rtol: 1e-15, atol: 0 });
    expect(special.gammasgn([-2, -1, 0, -0, -0.5, -1.5, 1])).toBeAllclose([NaN, NaN, 1, -1, -1, 1, 1]);
    expect(special.gammainc(0, 1).item()).toBe(1);
    expect(special.y0(0).item()).toBe(-Infinity);
  });
});

describe("identities and closed forms", () => {
  it("Γ(n) = (n−1)!, log Γ(n) = log (n−1)!, ψ(1) = −γ, ψ⁽¹⁾(1) = π²/6, ψ⁽ⁿ⁾(1) = (−1)ⁿ⁺¹ n! ζ(n+1)", () => {
    const n = [1, 2, 3, 4, 5, 10, 20];
    expect(special.gamma(n)).toBeAllclose(n.map((k) => factorial(k - 1)), { rtol: 1e-14 });
    expect(special.gammaln(n)).toBeAllclose(n.map((k) => Math.log(factorial(k - 1))), { rtol: 1e-14, atol: 1e-15 });
    expect(special.digamma(1)).toBeAllclose(-EULER, { rtol: 1e-15 });
    expect(special.polygamma(1, 1)).toBeAllclose(Math.PI ** 2 / 6, { rtol: 1e-15 });
    expect(special.polygamma(3, 1)).toBeAllclose(6 * (Math.PI ** 4 / 90), { rtol: 1e-14 });
  });
  it("Γ(x + 1) = x Γ(x), ψ(x + 1) = ψ(x) + 1/x, B(a, b) = B(b, a)", () => {
    const x = a([0.3, 1.7, 4.2, -0.6]);
    expect(special.gamma(x.add(1))).toBeAllclose(x.mul(special.gamma(x)), { rtol: 1e-14 });
    expect(special.digamma(x.add(1))).toBeAllclose(special.digamma(x).add(np.reciprocal(x)), { rtol: 1e-14 });
    expect(special.beta([0.5, 3], [2.5, 1.2])).toBeAllclose(special.beta([2.5, 1.2], [0.5, 3]), { rtol: 1e-15 });
  });
  it("erf(erfinv(y)) = y, erfc(erfcinv(y)) = y, expit(logit(p)) = p, ndtr(ndtri(p)) = p", () => {
    const y = a([-0.99, -0.3, 0, 0.42, 0.999]);
    expect(special.erf(special.erfinv(y))).toBeAllclose(y, { rtol: 1e-14, atol: 1e-16 });
    expect(special.erfc(special.erfcinv(y.add(1)))).toBeAllclose(y.add(1), { rtol: 1e-14 });
    expect(special.expit(special.logit(R.ps))).toBeAllclose(R.ps, { rtol: 1e-14 });
    expect(special.ndtr(special.ndtri(R.ps))).toBeAllclose(R.ps, { rtol: 1e-13 });
    expect(special.erf(R.zs).add(special.erfc(R.zs))).toBeAllclose(np.onesLike(a(R.zs)), { rtol: 1e-15 });
  });
  it("P + Q = 1, P(1, x) = 1 − e⁻ˣ, Iₓ(1, 1) = x, Iₓ(a, 1) = xᵃ, Iₓ(a, b) = 1 − I₁₋ₓ(b, a)", () => {
    const x = a([0.1, 1, 3.5, 20]);
    expect(special.gammainc(2.5, x).add(special.gammaincc(2.5, x))).toBeAllclose([1, 1, 1, 1], { rtol: 1e-15 });
    expect(special.gammainc(1, x)).toBeAllclose(np.subtract(1, np.exp(x.neg())), { rtol: 1e-14 });
    const u = a([0.05, 0.3, 0.77]);
    expect(special.betainc(1, 1, u)).toBeAllclose(u, { rtol: 1e-14 });
    expect(special.betainc(2.5, 1, u)).toBeAllclose(np.power(u, 2.5), { rtol: 1e-14 });
    expect(special.betainc(2, 3.5, u)).toBeAllclose(np.subtract(1, special.betainc(3.5, 2, np.subtract(1, u))), { rtol: 1e-14 });
  });
  it("logsumexp with weights b and returnSign, as SciPy 1.17.1", () => {
    expect(special.logsumexp([0, 0], { b: [2, -1] })).toBeAllclose(0, { atol: 1e-15 });
    expect(special.logsumexp([[1, 2], [3, 4]], { axis: 1, b: [[1, 0], [0.5, 2]] })).toBeAllclose([1, 4.78113046], { rtol: 1e-8 });
    expect(special.logsumexp([1, 2], { b: [1, -2] }).item()).toBeNaN();
    expect(special.logsumexp([Infinity, 1], { b: [0, 1] })).toBeAllclose(1, { rtol: 1e-15 });
    const [value, sgn] = special.logsumexp([0, Math.log(3)], { b: [1, -1], returnSign: true });
    expect(value).toBeAllclose(Math.log(2), { rtol: 1e-15 });
    expect(sgn.item()).toBe(-1);
    const [zero, zeroSign] = special.logsumexp([1, 2], { b: [0, 0], returnSign: true });
    expect([zero.item(), zeroSign.item()]).toEqual([-Infinity, 0]);
    expect(special.logsumexp([-Infinity, -Infinity]).item()).toBe(-Infinity);
    // d/da = b·exp(a − lse) (the weighted softmax); d/db = exp(a − lse), also for a negative sum
    const a0 = a([0.3, -1.2, 2]);
    const b0 = a([1.5, -0.4, 0.7]);
    const lse = special.logsumexp(a0, { b: b0 });
    expect(grad((v: np.NDArray) => special.logsumexp(v, { b: b0 }))(a0)).toBeAllclose(b0.mul(np.exp(a0.sub(lse))), { rtol: 1e-14 });
    expect(grad((w: np.NDArray) => special.logsumexp(a0, { b: w }))(b0)).toBeAllclose(np.exp(a0.sub(lse)), { rtol: 1e-14 });
    const neg = a([-1, 2, 0.5]);
    const signed = (v: np.NDArray, w: np.NDArray) => special.logsumexp(v, { b: w, returnSign: true })[0];
    checkGrads(signed, [a0, neg], { order: 2 });
    expect(vmap((row: np.NDArray) => special.logsumexp(row, { b: b0 }))(np.stack([a0, a0.mul(2)]))).toBeAllclose(
      [lse.item(), special.logsumexp(a0.mul(2), { b: b0 }).item()], { rtol: 1e-15 });
  });
  it("ive, i0e, i1e: exponentially scaled Iₙ, finite where Iₙ overflows (SciPy 1.17.1)", () => {
    const pts: [number, number][] = [[0, 800], [3, 700], [1, -2.5], [10, 50], [40, 1630]];
    const want = [0.014106945005869183, 0.014984586661719437, -0.2065846495312665, 0.020668428584210585, 0.0060484514644817385];
    pts.forEach(([n, x], i) => expect(special.ive(n, x)).toBeAllclose(want[i]!, { rtol: 1e-12 }));
    expect(special.i0e(-3)).toBeAllclose(0.24300035416182536, { rtol: 1e-14 });
    expect(special.i1e(1e4)).toBeAllclose(0.003989273195983662, { rtol: 1e-14 });
    expect(special.ive(2, [1.5, 3])).toBeAllclose(special.iv(2, [1.5, 3]).mul(np.exp(np.array([-1.5, -3]))), { rtol: 1e-14 });
    // d/dx [I₀(x)e^(−x)] = (I₁(x) − I₀(x))e^(−x) for x > 0, also at 800 where I₀ itself overflows
    expect(grad((x: number) => special.i0e(x))(800)).toBeAllclose(special.i1e(800).sub(special.i0e(800)), { rtol: 1e-12 });
    checkGrads((x: np.NDArray) => special.ive(2, x), [a([-3.2, 0.7, 40, 750])], { order: 2 });
  });
  it("rgamma, huber, pseudoHuber, boxcox family, exp2, exp10, cbrt (SciPy 1.17.1)", () => {
    expect(special.rgamma([4, 0, -1, 0.5, -1.5, -2.5, 7.3])).toBeAllclose(
      [1 / 6, 0, 0, 0.5641895835477563, 0.42314218766081724, -1.057855469152043, 0.0007865199084889295], { rtol: 1e-14, atol: 0 });
    expect(special.huber([1, 1, -1, 2], [0.5, 3, 1, -5]).toArray()).toEqual([0.125, 2.5, Infinity, 8]);
    expect(special.pseudoHuber([1, 1, 0, 2], [0, 1, 3, -5])).toBeAllclose([0, 0.41421356237309503, 0, 6.7703296142690075], { rtol: 1e-15 });
    expect(special.boxcox([1, 4, 2.5], [0.5, 0.5, 0])).toBeAllclose([0, 2, 0.9162907318741551], { rtol: 1e-15 });
    expect(special.boxcox1p([1e-10, 3], [0.25, -1])).toBeAllclose([9.999999999625e-11, 0.75], { rtol: 1e-15 });
    expect(special.invBoxcox([0, 2, 1], [0.5, 0.5, 0])).toBeAllclose([1, 4, Math.E], { rtol: 1e-15 });
    expect(special.invBoxcox1p([1e-10, 0.5], [0.25, -1])).toBeAllclose([1.0000000000375e-10, 1], { rtol: 1e-15 });
    expect(special.exp2([3, -1]).toArray()).toEqual([8, 0.5]);
    expect(special.exp10([2, -1]).toArray()).toEqual([100, 0.1]);
    expect(special.cbrt([27, -8, 0]).toArray()).toEqual([3, -2, 0]);
  });
  it("their derivatives, also where a formula switches: 1/Γ at its zeros, boxcox in λ at 0, pseudoHuber in δ at 0", () => {
    // d(1/Γ)/dx at −n is (−1)ⁿ n!
    expect(elementwiseGrad(special.rgamma)(a([0, -1, -2, -3]))).toBeAllclose([1, -1, 2, -6], { rtol: 1e-13 });
    checkGrads((x: np.NDArray) => special.rgamma(x), [a([-2.7, -0.4, 0.3, 2.2])], { order: 2 });
    // ∂/∂λ boxcox(x, λ) at λ = 0 is (log x)²/2, ∂² is (log x)³/3
    const lx = Math.log(2.5);
    expect(grad((l: number) => special.boxcox(2.5, l))(0)).toBeAllclose(lx ** 2 / 2, { rtol: 1e-14 });
    expect(grad(grad((l: number) => special.boxcox(2.5, l)))(0)).toBeAllclose(lx ** 3 / 3, { rtol: 1e-14 });
    expect(grad((l: number) => special.invBoxcox(1.5, l))(0)).toBeAllclose((-Math.exp(1.5) * 1.5 ** 2) / 2, { rtol: 1e-14 });
    expect(grad((d: number) => special.pseudoHuber(d, -3))(0)).toBeAllclose(3);
    checkGrads((x: np.NDArray, l: np.NDArray) => special.boxcox(x, l), [a([0.5, 2, 3.5]), a([0.3, -0.7, 1.2])], { order: 2 });
    checkGrads((x: np.NDArray, l: np.NDArray) => special.invBoxcox1p(x, l), [a([0.5, 2, 3.5]), a([0.3, -0.2, 1.2])], { order: 2 });
    checkGrads((d: np.NDArray, r: np.NDArray) => special.pseudoHuber(d, r), [a([0.5, 2]), a([-1.5, 0.7])], { order: 2 });
    checkGrads((r: np.NDArray) => special.huber(1.2, r), [a([-2, 0.4, 3])], { order: 2 });
    checkGrads((x: np.NDArray) => special.cbrt(x).add(special.exp2(x)).add(special.exp10(x)), [a([-2, 0.4, 3])], { order: 2 });
  });
  it("softmax sums to 1, logsumexp is stable, logSoftmax = log softmax", () => {
    const x = a([1000, 1001, 999]);
    expect(np.sum(special.softmax(x))).toBeAllclose(1);
    expect(special.logsumexp(x)).toBeAllclose(1001 + Math.log(1 + Math.exp(-1) + Math.exp(-2)), { rtol: 1e-15 });
    expect(special.logSoftmax(x)).toBeAllclose(np.log(special.softmax(x)), { rtol: 1e-14 });
    expect(special.logsumexp([[0, 0], [1, 1]], { axis: 1 })).toBeAllclose([Math.LN2, 1 + Math.LN2], { rtol: 1e-15 });
  });
});

describe("derivatives follow the family", () => {
  const x = a([0.3, 1.5, 4.2]);
  const d = (f: F1) => elementwiseGrad(f)(x) as np.NDArray;
  it("d gammaln = digamma, d digamma = polygamma(1), d polygamma(n) = polygamma(n+1), d gamma = gamma·digamma", () => {
    expect(d(special.gammaln)).toBeAllclose(special.digamma(x), { rtol: 1e-15 });
    expect(d(special.digamma)).toBeAllclose(special.polygamma(1, x), { rtol: 1e-15 });
    expect(d((v) => special.polygamma(2, v))).toBeAllclose(special.polygamma(3, x), { rtol: 1e-15 });
    expect(d(special.gamma)).toBeAllclose(special.gamma(x).mul(special.digamma(x)), { rtol: 1e-15 });
    // the third derivative of log Γ is ψ⁽²⁾
    expect(deriv(deriv(deriv((v: np.NDArray) => special.gammaln(v))))(2.5)).toBeAllclose(special.polygamma(2, 2.5), { rtol: 1e-15 });
  });
  it("d erf = 2/√π e^(−x²), d erfinv = √π/2 e^(erfinv²), d erfc = −d erf, d erfcinv(y) = −√π/2 e^(erfcinv²)", () => {
    const g = np.exp(x.mul(x).neg()).mul(2 / Math.sqrt(Math.PI));
    expect(d(special.erf)).toBeAllclose(g, { rtol: 1e-15 });
    expect(d(special.erfc)).toBeAllclose(g.neg(), { rtol: 1e-15 });
    const y = a([-0.5, 0.1, 0.9]);
    const ei = special.erfinv(y);
    expect(elementwiseGrad(special.erfinv)(y)).toBeAllclose(np.exp(ei.mul(ei)).mul(Math.sqrt(Math.PI) / 2), { rtol: 1e-15 });
    const eci = special.erfcinv(y.add(1));
    expect(elementwiseGrad(special.erfcinv)(y.add(1))).toBeAllclose(np.exp(eci.mul(eci)).mul(-Math.sqrt(Math.PI) / 2), { rtol: 1e-15 });
  });
  it("d i0 = i1, d i1 = i0 − i1/x, d j0 = −j1, d j1 = j0 − j1/x, d y0 = −y1, d y1 = y0 − y1/x", () => {
    expect(d(special.i0)).toBeAllclose(special.i1(x), { rtol: 1e-14 });
    expect(d(special.i1)).toBeAllclose(special.i0(x).sub(special.i1(x).div(x)), { rtol: 1e-13 });
    expect(d(special.j0)).toBeAllclose(special.j1(x).neg(), { rtol: 1e-14 });
    expect(d(special.j1)).toBeAllclose(special.j0(x).sub(special.j1(x).div(x)), { rtol: 1e-13, atol: 1e-15 });
    expect(d(special.y0)).toBeAllclose(special.y1(x).neg(), { rtol: 1e-14 });
    expect(d(special.y1)).toBeAllclose(special.y0(x).sub(special.y1(x).div(x)), { rtol: 1e-13, atol: 1e-15 });
    // I₁′(0) = 1/2 and J₁′(0) = 1/2, where the "− i1/x" form is 0/0; and J₁‴(0) = −3/8.
    expect(grad(special.i1)(0)).toBeAllclose(0.5);
    expect(grad(special.j1)(0)).toBeAllclose(0.5);
    expect(deriv(deriv(deriv((v: np.NDArray) => special.j1(v))))(0)).toBeAllclose(-3 / 8, { rtol: 1e-14 });
  });
  it("gammainc: ∂/∂x = x^(a−1)e^(−x)/Γ(a); ∂/∂a and ∂²/∂a² match mpmath", () => {
    const dx = grad((v: np.NDArray) => special.gammainc(2.5, v))(1.7) as number;
    expect(dx).toBeAllclose(Math.pow(1.7, 1.5) * Math.exp(-1.7) / special.gamma(2.5).item(), { rtol: 1e-14 });
    const [as, xs] = [R.igammaDaPoints.map((p) => p[0]!), R.igammaDaPoints.map((p) => p[1]!)];
    const da = elementwiseGrad((s: np.NDArray) => special.gammainc(s, xs))(a(as));
    expect(da).toBeAllclose(R.igammaDa1, { rtol: 1e-12 });
    const da2 = elementwiseGrad(elementwiseGrad((s: np.NDArray) => special.gammainc(s, xs)))(a(as));
    expect(da2).toBeAllclose(R.igammaDa2, { rtol: 1e-12 });
    // Q = 1 − P: the derivatives in a are negated, and accurate in Q's tail.
    expect(elementwiseGrad((s: np.NDArray) => special.gammaincc(s, xs))(a(as))).toBeAllclose(R.igammaDa1.map((v) => -v), { rtol: 1e-12 });
  });
  it("the inverses: ∂/∂y is 1/(∂F/∂x) and ∂/∂(shape) is −(∂F/∂shape)/(∂F/∂x) at the solution", () => {
    const y = a([0.05, 0.5, 0.93]);
    const x = special.gammaincinv(2.5, y);
    const dPdx = elementwiseGrad((v: np.NDArray) => special.gammainc(2.5, v))(x);
    expect(elementwiseGrad((v: np.NDArray) => special.gammaincinv(2.5, v))(y)).toBeAllclose(np.divide(1, dPdx), { rtol: 1e-12 });
    const dPda = elementwiseGrad((s: np.NDArray) => special.gammainc(s, x))(np.full([3], 2.5));
    expect(elementwiseGrad((s: np.NDArray) => special.gammaincinv(s, y))(np.full([3], 2.5))).toBeAllclose(dPda.neg().div(dPdx), { rtol: 1e-11 });
    const xb = special.betaincinv(2, 3.5, y);
    const dIdx = elementwiseGrad((v: np.NDArray) => special.betainc(2, 3.5, v))(xb);
    const dIdb = elementwiseGrad((s: np.NDArray) => special.betainc(2, s, xb))(np.full([3], 3.5));
    expect(elementwiseGrad((s: np.NDArray) => special.betaincinv(2, s, y))(np.full([3], 3.5))).toBeAllclose(dIdb.neg().div(dIdx), { rtol: 1e-11 });
    checkGrads((s: np.NDArray, v: np.NDArray) => special.gammainccinv(s, v), [a([0.7, 3]), a([0.2, 0.6])], { order: 2 });
    checkGrads((p: np.NDArray, q: np.NDArray, v: np.NDArray) => special.betaincinv(p, q, v), [a([0.7, 3]), a([1.2, 2]), a([0.2, 0.6])], { order: 2 });
  });
  it("betainc: ∂/∂a, ∂/∂b, ∂²/∂a∂b match mpmath; ∂/∂x is the beta density", () => {
    const pts = R.betaincDPoints;
    const [A, B, X] = [0, 1, 2].map((i) => a(pts.map((p) => p[i]!)));
    const f = (p: np.NDArray, q: np.NDArray) => special.betainc(p, q, X!);
    expect(elementwiseGrad(f, { argnums: 0 })(A!, B!)).toBeAllclose(R.betaincDa, { rtol: 1e-12 });
    expect(elementwiseGrad(f, { argnums: 1 })(A!, B!)).toBeAllclose(R.betaincDb, { rtol: 1e-12 });
    const dab = elementwiseGrad((p: np.NDArray, q: np.NDArray) => elementwiseGrad(f, { argnums: 0 })(p, q) as np.NDArray, { argnums: 1 })(A!, B!);
    expect(dab).toBeAllclose(R.betaincDab, { rtol: 1e-12 });
    const dx = elementwiseGrad((v: np.NDArray) => special.betainc(A!, B!, v))(X!);
    const dens = np.exp(special.xlogy(A!.sub(1), X!).add(special.xlog1py(B!.sub(1), X!.neg())).sub(special.betaln(A!, B!)));
    expect(dx).toBeAllclose(dens, { rtol: 1e-13 });
  });
  it("expit′ = expit(1 − expit) with no overflow in either tail; xlogy′ = (log y, x/y) as JAX", () => {
    const z = a([-800, -30, 0, 2, 800]);
    const s = special.expit(z);
    expect(elementwiseGrad(special.expit)(z)).toBeAllclose(s.mul(np.subtract(1, s)), { rtol: 1e-14, atol: 0 });
    const [gx, gy] = grad((p: np.NDArray, q: np.NDArray) => special.xlogy(p, q), { argnums: [0, 1] })(0, 2) as number[];
    expect([gx, gy]).toBeAllclose([Math.LN2, 0]);
    expect(grad((p: np.NDArray) => special.xlogy(p, 0))(0)).toBe(0);
  });
});

describe("checkGrads: forward and reverse mode to second order against finite differences", () => {
  const cases: [string, F1, number[]][] = [
    ["gamma", special.gamma, [0.6, 1.7, 3.2, -0.4]],
    ["gammaln", special.gammaln, [0.6, 1.7, 3.2, -2.4]],
    ["digamma", special.digamma, [0.6, 1.7, 3.2]],
    ["polygamma(2)", (x) => special.polygamma(2, x), [0.6, 1.7, 3.2]],
    ["multigammaln(·, 3)", (x) => special.multigammaln(x, 3), [1.6, 2.7]],
    ["erf", special.erf, [-1.2, 0.1, 0.8]],
    ["erfc", special.erfc, [-1.2, 0.1, 2.8]],
    ["erfcx", special.erfcx, [-1.2, 0.1, 2.8]],
    ["erfinv", special.erfinv, [-0.7, 0.1, 0.8]],
    ["erfcinv", special.erfcinv, [0.3, 1.1, 1.8]],
    ["ndtr", special.ndtr, [-2, 0.1, 1.8]],
    ["ndtri", special.ndtri, [0.05, 0.4, 0.9]],
    ["logNdtr", special.logNdtr, [-12, -2, 0.1, 1.8]],
    ["expit", special.expit, [-3, 0, 0.1, 2]],
    ["logit", special.logit, [0.05, 0.4, 0.9]],
    ["entr", special.entr, [0.05, 0.4, 2.5]],
    ["i0", special.i0, [-2, 0.1, 3]],
    ["i1", special.i1, [-2, 0.1, 3]],
    ["j0", special.j0, [-2, 0.1, 3]],
    ["j1", special.j1, [-2, 0.1, 3]],
    ["y0", special.y0, [0.5, 2, 7]],
    ["y1", special.y1, [0.5, 2, 7]],
    ["jn(3)", (x) => special.jn(3, x), [0.5, 2, 7]],
  ];
  for (const [name, f, pts] of cases) it(name, () => checkGrads(f, [a(pts)], { order: 2 }));

  it("functions of two and three arguments, in every argument", () => {
    const p = a([0.7, 2.2]);
    const q = a([1.3, 0.4]);
    checkGrads((u: np.NDArray, v: np.NDArray) => special.beta(u, v), [p, q], { order: 2 });
    checkGrads((u: np.NDArray, v: np.NDArray) => special.betaln(u, v), [p, q], { order: 2 });
    checkGrads((u: np.NDArray, v: np.NDArray) => special.xlogy(u, v), [p, q], { order: 2 });
    checkGrads((u: np.NDArray, v: np.NDArray) => special.xlog1py(u, v), [p, q], { order: 2 });
    checkGrads((u: np.NDArray, v: np.NDArray) => special.relEntr(u, v), [p, q], { order: 2 });
    checkGrads((u: np.NDArray, v: np.NDArray) => special.klDiv(u, v), [p, q], { order: 2 });
    checkGrads((u: np.NDArray, v: np.NDArray) => special.gammainc(u, v), [p, q], { order: 2 });
    checkGrads((u: np.NDArray, v: np.NDArray) => special.gammaincc(u, v), [p, q], { order: 2 });
    checkGrads((u: np.NDArray, v: np.NDArray, w: np.NDArray) => special.betainc(u, v, w), [p, q, a([0.3, 0.8])], { order: 2 });
  });
  it("third order where the chain goes deepest (gammainc in a, betainc in a and b, j1)", () => {
    checkGrads((u: np.NDArray) => special.gammainc(u, 1.3), [a([0.8, 2.5])], { order: 3 });
    checkGrads((u: np.NDArray, v: np.NDArray) => special.betainc(u, v, 0.4), [a([1.5]), a([2.5])], { order: 3, modes: ["rev"] });
    checkGrads(special.j1, [a([0.4, 3])], { order: 3 });
  });
  it("logsumexp, softmax, logSoftmax", () => {
    const x = np.array([[0.3, -1.2, 2], [0.1, 0.5, -0.4]]);
    checkGrads((v: np.NDArray) => special.logsumexp(v, { axis: 1 }), [x], { order: 2 });
    checkGrads((v: np.NDArray) => special.softmax(v), [x], { order: 2 });
    checkGrads((v: np.NDArray) => special.logSoftmax(v, { axis: 0 }), [x], { order: 2 });
  });
});

describe("vmap against a loop", () => {
  const xs = a([0.4, 1.3, 2.9]);
  const unary: [string, F1][] = [
    ["gammaln", special.gammaln], ["digamma", special.digamma], ["erf", special.erf], ["erfinv", (x) => special.erfinv(x.div(4))],
    ["i1", special.i1], ["j0", special.j0], ["y1", special.y1], ["expit", special.expit],
  ];
  for (const [name, f] of unary) {
    it(`${name} and its gradient`, () => {
      const loop = [0, 1, 2].map((i) => f(xs.get(i)).item());
      expect(vmap(f)(xs)).toBeAllclose(loop, { rtol: 1e-15 });
      const g = grad((x: np.NDArray) => np.sum(f(x)));
      expect(vmap(g)(xs)).toBeAllclose([0, 1, 2].map((i) => g(xs.get(i)) as np.NDArray), { rtol: 1e-14 });
    });
  }
  it("two-argument primitives with one side unbatched, and the shape derivatives under vmap", () => {
    const as = a([0.5, 2, 4.5]);
    const loop = [0, 1, 2].map((i) => special.gammainc(as.get(i), 1.7).item());
    expect(vmap((s: np.NDArray) => special.gammainc(s, 1.7))(as)).toBeAllclose(loop, { rtol: 1e-15 });
    const ga = grad((s: np.NDArray) => special.gammainc(s, 1.7));
    expect(vmap(ga)(as)).toBeAllclose([0, 1, 2].map((i) => ga(as.get(i)) as np.NDArray), { rtol: 1e-14 });
    const gb = grad((s: np.NDArray, x: np.NDArray) => special.betainc(s, 2, x), { argnums: 0 });
    const bs = vmap(gb, { inAxes: [0, null] })(as, np.array(0.4));
    expect(bs).toBeAllclose([0, 1, 2].map((i) => gb(as.get(i), np.array(0.4)) as np.NDArray), { rtol: 1e-14 });
    const pg = vmap((n: np.NDArray) => special.polygamma(n, 2.5))(np.array([0, 1, 2]));
    expect(pg).toBeAllclose([special.digamma(2.5).item(), R.polygammaRef.n1[3]!, R.polygammaRef.n2[3]!], { rtol: 1e-14 });
  });
  it("hessian of a composition and jvp agree with a loop", () => {
    const f = (v: np.NDArray) => np.sum(special.gammaln(v).mul(special.erf(v)));
    const h = hessian(f)(xs) as np.NDArray;
    const diag = [0, 1, 2].map((i) => deriv(deriv((t: np.NDArray) => special.gammaln(t).mul(special.erf(t))))(xs.get(i).item()));
    expect(np.diagonal(h)).toBeAllclose(diag, { rtol: 1e-12 });
    const [, t] = jvp(special.j1, [xs], [np.onesLike(xs)]);
    expect(t).toBeAllclose(elementwiseGrad(special.j1)(xs), { rtol: 1e-15 });
  });
});

describe("argument errors", () => {
  it("name the function and the argument", () => {
    expect(() => special.multigammaln(2, 0)).toThrow(/multigammaln: d must be a positive integer/);
    expect(() => special.gammaln("x" as never)).toThrow(TypeError);
    expect(() => special.gammainc([1, 2], [1, 2, 3])).toThrow(/gammainc/);
  });
});
