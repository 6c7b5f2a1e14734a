/**
 * @file `scipy.optimize`: minimize's five methods against SciPy's results on its own test problems
 * (fixture), rootScalar/newton against closed forms, derivatives through the optimum (implicit
 * function theorem) against closed forms and finite differences of the whole solve, errors.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, grad, jit, jvp, vjp, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { optimize } from "autograd-ts/scipy";
// Produced by test/fixtures/optimize-scipy.py (SciPy 1.17.1, NumPy in a venv outside the repo):
// scipy.optimize.minimize(f, x0, method=m, jac=exact gradient) (Nelder-Mead without jac; Newton-CG with
// exact hessp where the script has one, else SciPy differences the gradient and x agrees to Newton-CG's xtol).
import fixture from "./fixtures/optimize-scipy.json" with { type: "json" };

type A = np.NDArray;
const rosen = (x: A) => {
  const head = x.get(":-1");
  const tail = x.get("1:");
  return np.sum(np.square(tail.sub(np.square(head))).mul(100).add(np.square(head.sub(1))));
};
const Q = np.array([[3, 1, 0], [1, 4, 1], [0, 1, 2]]);
const qb = np.array([1, -2, 3]);
const quadratic = (x: A) => np.matmul(x, np.matmul(Q, x)).mul(0.5).sub(np.sum(qb.mul(x)));
const beale = (x: A) => {
  const [a, c] = [x.get(0), x.get(1)];
  const term = (k: number, p: number) => np.square(a.mul(np.power(c, p)).sub(a).add(k));
  return term(1.5, 1).add(term(2.25, 2)).add(term(2.625, 3));
};
const booth = (x: A) => np.square(x.get(0).add(x.get(1).mul(2)).sub(7)).add(np.square(x.get(0).mul(2).add(x.get(1)).sub(5)));
const problems: Record<string, (x: A) => A> = { rosen2: rosen, rosen5: rosen, rosen10: rosen, quadratic, beale, booth };

interface Run {
  problem: string;
  method: optimize.Method;
  x0: number[];
  x: number[];
  fun: number;
  nit: number;
  nfev: number;
  njev: number;
  status: number;
  options?: Record<string, number>;
  exactHessp: boolean;
}

/** How far x may be from SciPy's: the method's own tolerance scale (Newton-CG with SciPy's differenced Hessian: its n·1e-5 step). */
const xTol: Record<string, number> = { BFGS: 1e-6, CG: 1e-5, "L-BFGS-B": 1e-5, "Nelder-Mead": 1e-6, "Newton-CG": 1e-4 };

describe("scipy.optimize.minimize against SciPy", () => {
  for (const run of (fixture as { runs: Run[] }).runs) {
    it(`${run.method} on ${run.problem}`, () => {
      const r = optimize.minimize(problems[run.problem]!, np.array(run.x0), { method: run.method, ...(run.options ? { options: run.options } : {}) });
      expect(r.success).toBe(true);
      expect(r.x).toBeAllclose(run.x, { atol: run.exactHessp ? 1e-8 : xTol[run.method]!, rtol: 0 });
      expect(Math.abs(r.fun.item() - run.fun)).toBeLessThan(1e-7 * Math.max(1, Math.abs(run.fun)));
      // Same algorithms, line searches and stopping rules: SciPy's iteration and evaluation counts.
      expect(r.nit).toBe(run.nit);
      expect(r.nfev).toBe(run.nfev);
      // (Newton-CG without an exact hessp: SciPy's njev also counts the gradients it differences for Hessian products.)
      if (run.method !== "Newton-CG" || run.exactHessp) expect(r.njev).toBe(run.njev);
    });
  }

  it("L-BFGS-B on a bounded Rosenbrock (an active bound)", () => {
    const b = (fixture as unknown as { bounded: { x0: number[]; bounds: [number, number][]; x: number[]; fun: number } }).bounded;
    const r = optimize.minimize(rosen, np.array(b.x0), { method: "L-BFGS-B", bounds: b.bounds });
    expect(r.success).toBe(true);
    expect(r.x).toBeAllclose(b.x, { atol: 1e-12, rtol: 0 });
    expect(r.fun).toBeAllclose(b.fun, { rtol: 1e-12 });
    expect([r.nit, r.nfev]).toEqual([12, 13]);
  });

  type BoundedRun = { problem: string; x0: number[]; bounds: [number, number][]; x: number[]; fun: number; nit: number; nfev: number; xTight: number[]; funTight: number };
  for (const run of (fixture as unknown as { boundedRuns: BoundedRun[] }).boundedRuns) {
    it(`L-BFGS-B on ${run.problem} with bounds: SciPy's iterates and counts`, () => {
      const r = optimize.minimize(problems[run.problem]!, np.array(run.x0), { method: "L-BFGS-B", bounds: run.bounds });
      expect(r.success).toBe(true);
      expect(r.x).toBeAllclose(run.x, { atol: 1e-12, rtol: 0 });
      expect(r.nit).toBe(run.nit);
      // Bounded Beale: SciPy's cached K goes stale in iteration 6 and it restarts (src/scipy/optimize/lbfgsb-formk.ts); so do we.
      expect(r.nfev).toBe(run.nfev);
      const t = optimize.minimize(problems[run.problem]!, np.array(run.x0), { method: "L-BFGS-B", bounds: run.bounds, options: { ftol: 0, gtol: 1e-10, maxiter: 100000 } });
      expect(t.x).toBeAllclose(run.xTight, { atol: 1e-8, rtol: 0 });
      expect(t.fun).toBeAllclose(run.funTight, { rtol: 1e-12 });
    });
  }

  it("jac: true (one pass) and a jac function give SciPy's result; hessp for Newton-CG", () => {
    const vg = (x: A) => [rosen(x), grad(rosen)(x)];
    const a = optimize.minimize(vg, np.array([-1.2, 1]), { jac: true });
    const b = optimize.minimize(rosen, np.array([-1.2, 1]), { jac: (x: A) => grad(rosen)(x) });
    expect(a.x).toBeAllclose([1, 1], { atol: 1e-6 });
    expect(b.x).toBeAllclose(a.x.toArray() as number[], { rtol: 1e-14 });
    expect(a.nit).toBe(32);
    const hp = optimize.minimize(rosen, np.array([-1.2, 1]), { method: "Newton-CG", hessp: (x: A, p: A) => jvp(grad(rosen), [x], [p])[1] as A });
    expect(hp.x).toBeAllclose([1, 1], { atol: 1e-4 });
    expect(hp.nhev).toBeGreaterThan(0);
    expect(a.hessInv!.shape).toEqual([2, 2]);
  });

  it("jac: true calls fun once per evaluation; args reach fun and are differentiated", () => {
    let calls = 0;
    const vg = (x: A) => {
      calls++;
      return [rosen(x), grad(rosen)(x)];
    };
    const r = optimize.minimize(vg, np.array([-1.2, 1]), { jac: true });
    expect(calls).toBe(r.nfev);
    const shifted = (x: A, c: A) => np.sum(np.square(x.sub(c)));
    const xOf = (c: A) => optimize.minimize(shifted, np.zeros([2]), { args: [c] }).x;
    expect(xOf(np.array([1, -3]))).toBeAllclose([1, -3], { atol: 1e-8 });
    expect(grad((c: A) => np.sum(xOf(c).mul(np.array([2, 5]))))(np.array([1, -3]))).toBeAllclose([2, 5], { rtol: 1e-10 });
    expect(() => optimize.minimize(rosen, np.zeros([2]), { jac: true })).toThrow(/minimize: with jac: true, fun must return \[value, gradient\]/);
  });

  it("x0 as a number: fun sees a 0-d array, x comes back a number", () => {
    const r = optimize.minimize((x: A) => np.square(x.sub(3)), 0);
    expect(typeof r.x).toBe("number");
    expect(r.x).toBeCloseTo(3, 7);
  });

  it("x0 as a tree: x comes back as the same tree", () => {
    const r = optimize.minimize((p: { u: A; v: A }) => np.sum(np.square(p.u.sub(1))).add(np.square(p.v.add(2))), { u: np.zeros([2]), v: np.array(0) });
    expect(r.x.u).toBeAllclose([1, 1], { atol: 1e-7 });
    expect(r.x.v).toBeAllclose(-2, { atol: 1e-7 });
  });
});

describe("derivatives through the optimum", () => {
  // f(x, a) = Σ cosh(xᵢ) − aᵢ xᵢ + ½ Σ (xᵢ − xᵢ₊₁)²: ∇ₓf = sinh x − a + Lx.
  const L = np.array([[1, -1, 0], [-1, 2, -1], [0, -1, 1]]);
  const f = (x: A, a: A) => np.sum(np.cosh(x).sub(a.mul(x))).add(np.matmul(x, np.matmul(L, x)).mul(0.5));
  const tight: Record<string, Record<string, number>> = { BFGS: { gtol: 1e-12 }, CG: { gtol: 1e-12 }, "L-BFGS-B": { gtol: 1e-12, ftol: 0 }, "Newton-CG": { xtol: 1e-14 }, "Nelder-Mead": { xatol: 1e-12, fatol: 1e-14, maxiter: 20000, maxfev: 20000 } };
  const a0 = np.array([0.3, -0.5, 1.1]);
  for (const method of ["BFGS", "CG", "L-BFGS-B", "Newton-CG"] as const) {
    it(`${method}: dx*/da = (diag cosh x* + L)⁻¹ (closed form)`, () => {
      const xStar = (a: A) => optimize.minimize((x: A) => f(x, a), np.zeros([3]), { method, options: tight[method]! }).x;
      const x = xStar(a0);
      const H = np.diag(np.cosh(x)).add(L);
      const J = np.stack([0, 1, 2].map((i) => grad((a: A) => xStar(a).get(i))(a0)));
      expect(J).toBeAllclose(np.linalg.inv(H), { rtol: 1e-8, atol: 1e-10 });
      // Finite differences of the whole solve are as accurate as the solve: BFGS and Newton-CG reach
      // machine precision here; CG and L-BFGS-B stop earlier (precision loss / ftol) and are checked above.
      if (method === "BFGS" || method === "Newton-CG") checkGrads((a: A) => np.sum(xStar(a).mul(np.array([1, -2, 0.5]))), [a0], { order: 2, eps: 1e-4, rtol: 1e-5, atol: 1e-7 });
    });
  }

  it("Nelder-Mead: first derivatives from the implicit function theorem (the optimum to its xatol)", () => {
    const xStar = (a: A) => optimize.minimize((x: A) => f(x, a), np.zeros([3]), { method: "Nelder-Mead", options: tight["Nelder-Mead"]! }).x;
    const x = xStar(a0);
    expect(grad((a: A) => xStar(a).get(0))(a0)).toBeAllclose(np.linalg.inv(np.diag(np.cosh(x)).add(L)).get(0), { rtol: 1e-8 });
  });

  it("jvp and vjp agree; fun and jac at the optimum are differentiable (envelope theorem)", () => {
    const xStar = (a: A) => optimize.minimize((x: A) => f(x, a), np.zeros([3]), { options: { gtol: 1e-12 } }).x;
    const v = np.array([1, 2, -1]);
    const u = np.array([0.5, -1, 2]);
    const [, jv] = jvp(xStar, [a0], [v]);
    const [, pull] = vjp(xStar, a0);
    expect(np.sum(jv.mul(u))).toBeAllclose(np.sum((pull(u)[0] as A).mul(v)), { rtol: 1e-10 });
    const value = (a: A) => optimize.minimize((x: A) => f(x, a), np.zeros([3]), { options: { gtol: 1e-12 } }).fun;
    expect(grad(value)(a0)).toBeAllclose(xStar(a0).neg(), { rtol: 1e-9 });
  });

  it("L-BFGS-B with an active bound: the held component does not move", () => {
    const xStar = (a: A) => optimize.minimize((x: A) => f(x, a), np.zeros([3]), { method: "L-BFGS-B", bounds: [[null, null], [0.2, 1], [null, null]], options: { gtol: 1e-12, ftol: 0 } }).x;
    const x = xStar(a0);
    expect(x.get(1)).toBeAllclose(0.2);
    const J = np.stack([0, 2].map((i) => grad((a: A) => xStar(a).get(i))(a0)));
    // On the free variables (0, 2): the inverse of the Hessian restricted to them, zero on a[1].
    const H = np.diag(np.cosh(x)).add(L);
    const Hf = np.array([[H.get(0, 0).item(), H.get(0, 2).item()], [H.get(2, 0).item(), H.get(2, 2).item()]]);
    const inv = np.linalg.inv(Hf);
    expect(J).toBeAllclose([[inv.get(0, 0).item(), 0, inv.get(0, 1).item()], [inv.get(1, 0).item(), 0, inv.get(1, 1).item()]], { rtol: 1e-8, atol: 1e-10 });
  });

  it("vmap of a gradient through minimize equals a loop (every method: one run per member)", () => {
    const as = np.array([[0.3, -0.5, 1.1], [0.1, 0.2, 0.3], [-0.4, 0.0, 0.6]]);
    for (const method of ["BFGS", "CG", "Newton-CG", "L-BFGS-B", "Nelder-Mead"] as const) {
      const g = grad((a: A) => np.sum(optimize.minimize((x: A) => f(x, a), np.zeros([3]), { method }).x.mul(np.array([1, -2, 0.5]))));
      expect(vmap(g)(as)).toBeAllclose(np.stack([0, 1, 2].map((i) => g(as.get(i)))), { rtol: 1e-12, atol: 1e-14 });
    }
  });

  it("vmap over x0 (multi-start) runs each member from its own start; the optimum does not depend on x0", () => {
    const fromStart = (x0: A) => optimize.minimize(rosen, x0).x;
    const starts = np.array([[-1.2, 1], [2, 2], [0.5, -0.3]]);
    const batched = vmap(fromStart)(starts);
    expect(batched).toBeAllclose(np.stack([0, 1, 2].map((i) => fromStart(starts.get(i)))), { rtol: 0, atol: 0 });
    expect(grad((x0: A) => np.sum(fromStart(x0)))(np.array([-1.2, 1]))).toBeAllclose([0, 0], { atol: 0 });
  });

  it("nested vmap through minimize equals a double loop (the root primitive runs each member on its own problem)", () => {
    const xs = (a: A) => optimize.minimize((x: A) => f(x, a), np.zeros([3])).x;
    const as = np.array([[[0.3, -0.5, 1.1], [0.1, 0.2, 0.3]], [[-0.4, 0.0, 0.6], [1, 1, -1]]]);
    const loop = np.stack([0, 1].map((i) => np.stack([0, 1].map((j) => xs(as.get(i, j))))));
    expect(vmap(vmap(xs))(as)).toBeAllclose(loop, { rtol: 0, atol: 0 });
  });

  it("under jit the search runs when the staged program runs: x and its gradient equal the eager ones; the counts are a clear error", () => {
    const xs = (a: A) => optimize.minimize((x: A) => f(x, a), np.zeros([3]), { options: { gtol: 1e-12 } }).x;
    const g = grad((a: A) => np.sum(xs(a).mul(np.array([1, -2, 0.5]))));
    expect(jit(xs)(a0)).toBeAllclose(xs(a0), { rtol: 0, atol: 0 });
    expect(jit(g)(a0)).toBeAllclose(g(a0), { rtol: 1e-12, atol: 1e-14 });
    expect(() => jit((a: A) => np.array(optimize.minimize((x: A) => f(x, a), np.zeros([3])).nit))(a0)).toThrow(/minimize: under jit the search runs only when the staged program runs, so nit is not known/);
    const bounded = (a: A) => optimize.minimize((x: A) => f(x, a), np.zeros([3]), { method: "L-BFGS-B", bounds: [[null, null], [0.2, 1], [null, null]] }).x;
    expect(() => jit(grad((a: A) => np.sum(bounded(a))))(a0)).toThrow(/minimize: under jit, which bounds hold is known only once the search has run/);
  });
});

describe("rootScalar and newton", () => {
  const f = (x: A) => x.mul(x).mul(x).sub(x.mul(2)).sub(5);
  const fp = (x: A) => x.mul(x).mul(3).sub(2);
  const fpp = (x: A) => x.mul(6);
  // The real root of x³ − 2x − 5 (Wallis's example), from SciPy: brentq(f, 2, 3, xtol=1e-15).
  const root = 2.0945514815423265;
  for (const [method, o] of [
    ["brentq", { bracket: [2, 3] }],
    ["bisect", { bracket: [2, 3] }],
    ["newton", { x0: 2, fprime: fp }],
    ["secant", { x0: 2 }],
    ["halley", { x0: 2, fprime: fp, fprime2: fpp }],
  ] as const) {
    it(`${method} finds the root and differentiates through it`, () => {
      const r = optimize.rootScalar(f, { method, ...o } as optimize.RootScalarOptions);
      expect(r.root).toBeAllclose(root, { rtol: 1e-8 });
      expect(r.converged).toBe(true);
      expect(r.method).toBe(method);
      // x³ − 2x − c = 0: dx/dc = 1/(3x² − 2).
      const rootOf = (c: A) => optimize.rootScalar((x: A) => x.mul(x).mul(x).sub(x.mul(2)).sub(c), { method, ...o, ...(method === "newton" || method === "halley" ? {} : {}) } as optimize.RootScalarOptions).root;
      expect(grad(rootOf)(np.array(5))).toBeAllclose(1 / (3 * root * root - 2), { rtol: 1e-6 });
    });
  }

  it("newton: Halley with fprime2, elementwise on arrays, derivatives of order 2 and vmap", () => {
    const cbrt = (a: A) => optimize.newton((x: A) => x.mul(x).mul(x).sub(a), np.onesLike(a), { fprime: (x: A) => x.mul(x).mul(3), fprime2: (x: A) => x.mul(6), tol: 1e-14 });
    const a = np.array([2, 5, 27]);
    expect(cbrt(a)).toBeAllclose([2 ** (1 / 3), 5 ** (1 / 3), 3], { rtol: 1e-13 });
    expect(grad((v: A) => np.sum(cbrt(v)))(a)).toBeAllclose([2, 5, 27].map((v) => (1 / 3) * v ** (-2 / 3)), { rtol: 1e-10 });
    checkGrads((v: A) => cbrt(v), [np.array([2, 5])], { order: 2 });
    const g = grad((v: A) => np.sum(cbrt(v)));
    expect(vmap(g)(np.array([[2, 5], [8, 1]]))).toBeAllclose(np.stack([g(np.array([2, 5])), g(np.array([8, 1]))]), { rtol: 1e-12 });
  });

  it("brentq under vmap: one search per member, equal to a loop", () => {
    const rootOf = (c: A) => optimize.rootScalar((x: A) => x.mul(x).mul(x).sub(x.mul(2)).sub(c), { bracket: [0, 4] }).root;
    const cs = np.array([1, 5, 9]);
    expect(vmap(rootOf)(cs)).toBeAllclose([0, 1, 2].map((i) => rootOf(cs.get(i)).item()), { rtol: 1e-15 });
    expect(vmap(grad(rootOf))(cs)).toBeAllclose([0, 1, 2].map((i) => grad(rootOf)(cs.get(i)).item()), { rtol: 1e-12 });
  });

  it("errors name the function and the argument", () => {
    expect(() => optimize.rootScalar(f, { bracket: [3, 4] })).toThrow(/rootScalar: f\(a\) and f\(b\) must have different signs/);
    expect(() => optimize.rootScalar(f, { method: "ridder" as never, bracket: [2, 3] })).toThrow(/rootScalar: unknown method "ridder"/);
    expect(() => optimize.rootScalar(f, { method: "newton", x0: 2 })).toThrow(/rootScalar: method newton needs fprime/);
    expect(() => optimize.newton(f, 2, { maxIter: 3 } as never)).toThrow(/newton: unknown option "maxIter"/);
    expect(() => optimize.newton(f, "2" as never)).toThrow(/newton: x0 must be a number or an NDArray/);
  });
});

describe("minimize errors", () => {
  it("name minimize and the argument", () => {
    expect(() => optimize.minimize(rosen, np.zeros([2]), { method: "Powell" as never })).toThrow(/minimize: unknown method "Powell"/);
    expect(() => optimize.minimize(rosen, np.zeros([2]), { bounds: [[0, 1]] })).toThrow(/minimize: bounds must hold one \[lower, upper\] pair per variable: x0 has 2, bounds has 1/);
    expect(() => optimize.minimize((x: A) => x, np.zeros([2]))).toThrow(/minimize: fun's value must be a scalar, got shape \(2,\)/);
    expect(() => optimize.minimize(rosen, "x" as never)).toThrow(/minimize: x0 must be a number, an NDArray or a tree/);
    expect(() => optimize.minimize(rosen, np.zeros([2]), { options: { maxiters: 3 } })).toThrow(/minimize \(method BFGS\): unknown option "maxiters"/);
    expect(() => optimize.minimize(rosen, np.zeros([2]), { jacobian: true } as never)).toThrow(/minimize: unknown option "jacobian"/);
    expect(() => optimize.minimize(rosen, np.zeros([2]), { method: "BFGS", bounds: [[0, 1], [0, 1]] })).toThrow(/minimize: bounds are supported by method L-BFGS-B only/);
  });
});

describe("autograd's examples/negative_binomial_maxlike.py (newton with fprime and fprime2 from grad)", () => {
  it("fits r and p as autograd does", async () => {
    const { special } = await import("autograd-ts/scipy");
    const ref = (await import("./fixtures/negbin-autograd.json", { with: { type: "json" } })).default as { data: number[]; r: number; p: number };
    const x = np.array(ref.data);
    const negbinLoglike = (r: A, p: A) =>
      special.gammaln(x.add(r)).sub(special.gammaln(r)).sub(special.gammaln(x.add(1))).add(x.mul(np.log(p))).add(r.mul(np.log(np.array(1).sub(p))));
    const loglike = (r: A, p: A) => np.sum(negbinLoglike(r, p));
    const pOf = (r: A) => np.sum(x).div(np.sum(x.add(r)));
    const rprime = (r: A) => grad(loglike)(r, pOf(r)) as A;
    const r = optimize.newton(rprime, 1, { fprime: grad(rprime), fprime2: grad(grad(rprime)) });
    expect(r).toBeAllclose(ref.r, { rtol: 1e-12 });
    expect(pOf(r)).toBeAllclose(ref.p, { rtol: 1e-12 });
  });
});

describe("minimize's callback", () => {
  it("is called once per iteration (as SciPy) with the iterate shaped like x0, the last one being the result (every method)", () => {
    for (const method of ["BFGS", "CG", "Newton-CG", "L-BFGS-B", "Nelder-Mead"] as const) {
      const seen: A[] = [];
      const r = optimize.minimize(rosen, np.array([-1.2, 1]), { method, callback: (xk: A) => seen.push(xk) });
      // SciPy 1.17.1 on this problem: 31, 29, 36 calls = nit; Nelder-Mead counts from 1, so 84 calls for nit 85.
      expect(seen.length, method).toBe(method === "Nelder-Mead" ? r.nit - 1 : r.nit);
      expect(seen[0]!.shape).toEqual([2]);
      expect(seen[seen.length - 1]!).toBeAllclose(r.x.toArray() as number[], { rtol: 0, atol: 0 });
    }
    const tree: { a: A; b: A }[] = [];
    optimize.minimize((p: { a: A; b: A }) => np.sum(np.square(p.a.sub(1))).add(np.square(p.b)), { a: np.zeros([2]), b: np.array(3) }, { callback: (p: { a: A; b: A }) => tree.push(p) });
    expect(tree[0]!.a.shape).toEqual([2]);
    expect(() => optimize.minimize(rosen, np.array([0, 0]), { callback: 3 as never })).toThrow(/scipy.optimize.minimize: callback must be a function, got number/);
  });
});
