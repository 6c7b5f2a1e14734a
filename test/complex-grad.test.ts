/**
 * @file Derivatives of complex functions with JAX's and autograd's convention: for real-valued f of
 * z = x + iy, grad(f)(z) = ∂f/∂x − i·∂f/∂y; holomorphicGrad gives f′(z); jvp/vjp/linearize take
 * complex tangents and cotangents; vmap, jit and makeJaxpr carry complex values. Expected values
 * are closed forms.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, checkpoint, customJvp, customVjp, elementwiseGrad, flatten, grad, holomorphicGrad, jacfwd, jacrev, jit, jvp, lax, linearize, makeJaxpr, valueAndGrad, vjp, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import type { NDArray } from "autograd-ts/numpy";

const c = (re: number, im: number) => ({ re, im });
const z = np.array([c(1, 2), c(-0.5, 0.25), c(3, -1)]);
const abs2 = (w: NDArray) => np.sum(np.real(w.mul(np.conj(w))));

/** ∂f/∂x − i·∂f/∂y by central differences, for a real-valued f of a complex array. */
function fdGrad(f: (w: NDArray) => NDArray, w: NDArray, eps = 1e-6): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < w.size; k++) {
    const shift = (dre: number, dim: number) => {
      const e = np.zeros([w.size], { dtype: "complex128" }).at(k).set(c(dre, dim));
      return f(w.add(e)).item();
    };
    const dx = (shift(eps, 0) - shift(-eps, 0)) / (2 * eps);
    const dy = (shift(0, eps) - shift(0, -eps)) / (2 * eps);
    out.push([dx, -dy]);
  }
  return out;
}

describe("grad of real-valued functions of complex arguments", () => {
  it("grad(|z|²) = 2·conj(z); grad(Re z) = 1; grad(Im z) = −i", () => {
    expect(grad(abs2)(z)).toBeAllclose(np.conj(z).mul(2), { rtol: 1e-15 });
    expect(grad((w: NDArray) => np.sum(np.real(w)))(z)).toBeAllclose([[1, 0], [1, 0], [1, 0]], { rtol: 0 });
    expect(grad((w: NDArray) => np.sum(np.imag(w)))(z)).toBeAllclose([[0, -1], [0, -1], [0, -1]], { rtol: 0 });
  });

  it("agrees with ∂f/∂x − i·∂f/∂y by central differences: |z|, angle, |Az − b|², |z³ + z|", () => {
    const A = np.array([[c(1, 1), c(0, 2), c(-1, 0)], [c(2, -1), c(1, 0), c(0, 1)]]);
    const b = np.array([c(0.5, 0), c(-1, 1)]);
    const fs: [string, (w: NDArray) => NDArray][] = [
      ["sum |z|", (w) => np.sum(np.abs(w))],
      ["sum angle(z)", (w) => np.sum(np.angle(w))],
      ["|Az − b|²", (w) => abs2(np.matmul(A, w).sub(b))],
      ["sum |z³ + z|", (w) => np.sum(np.abs(w.mul(w).mul(w).add(w)))],
      ["Re Σ z/(1 + z²)", (w) => np.sum(np.real(w.div(w.mul(w).add(1))))],
    ];
    for (const [name, f] of fs) expect(grad(f)(z), name).toBeAllclose(fdGrad(f, z), { rtol: 1e-7, atol: 1e-8 });
  });

  it("|Az − b|² has the closed-form gradient 2·Aᵀ·conj(Az − b)", () => {
    const A = np.array([[c(1, 1), c(0, 2), c(-1, 0)], [c(2, -1), c(1, 0), c(0, 1)]]);
    const b = np.array([c(0.5, 0), c(-1, 1)]);
    const r = np.matmul(A, z).sub(b);
    expect(grad((w: NDArray) => abs2(np.matmul(A, w).sub(b)))(z)).toBeAllclose(np.matmul(A.T, np.conj(r)).mul(2), { rtol: 1e-14 });
  });

  it("valueAndGrad and second order: the Hessian-vector product of |z|² is 2·conj(v)", () => {
    const [v, g] = valueAndGrad(abs2)(z);
    expect(v).toBeAllclose(1 + 4 + 0.25 + 0.0625 + 9 + 1, { rtol: 1e-15 });
    expect(g).toBeAllclose(np.conj(z).mul(2), { rtol: 1e-15 });
    const dir = np.array([c(1, -1), c(0, 2), c(0.5, 0)]);
    const [, hv] = jvp(grad(abs2), [z], [dir]);
    expect(hv).toBeAllclose(np.conj(dir).mul(2), { rtol: 1e-15 });
  });
});

describe("holomorphicGrad and complex jvp/vjp/linearize", () => {
  it("holomorphicGrad(z³) = 3z², of z·e… polynomials f′(z), and of a holomorphic matmul", () => {
    const z0 = np.complex(1, 2);
    expect(holomorphicGrad((w: NDArray) => w.mul(w).mul(w))(z0)).toBeAllclose([-9, 12], { rtol: 1e-15 });
    expect(grad((w: NDArray) => w.mul(w).mul(w), { holomorphic: true })(z0)).toBeAllclose([-9, 12], { rtol: 1e-15 });
    // f(w) = (w² + 1)/(w − 2): f′ = (w² − 4w − 1)/(w − 2)².
    const f = (w: NDArray) => w.mul(w).add(1).div(w.sub(2));
    const w0 = np.complex(0.5, -1.5);
    const want = w0.mul(w0).sub(w0.mul(4)).sub(1).div(w0.sub(2).mul(w0.sub(2)));
    expect(holomorphicGrad(f)(w0)).toBeAllclose(want, { rtol: 1e-14 });
    // f(w) = Σ (M w)ₖ with complex M: f′ = Σₖ Mₖⱼ.
    const M = np.array([[c(1, 1), c(0, 2)], [c(2, -1), c(1, 0)]]);
    const w = np.array([c(1, 0), c(0, 1)]);
    expect(holomorphicGrad((x: NDArray) => np.sum(np.matmul(M, x)))(w)).toBeAllclose(np.sum(M, { axis: 0 }), { rtol: 1e-15 });
  });

  it("jvp with complex tangents is the complex derivative times the tangent; vjp is its (unconjugated) transpose", () => {
    const f = (w: NDArray) => w.mul(w).mul(w);
    const t = np.array([c(0, 1), c(1, 1), c(-2, 0.5)]);
    const [y, ty] = jvp(f, [z], [t]);
    expect(y).toBeAllclose(z.mul(z).mul(z), { rtol: 1e-15 });
    expect(ty).toBeAllclose(z.mul(z).mul(3).mul(t), { rtol: 1e-14 });
    const [, back] = vjp(f, z);
    const u = np.array([c(1, -1), c(0.5, 2), c(0, 1)]);
    expect(back(u)[0]).toBeAllclose(z.mul(z).mul(3).mul(u), { rtol: 1e-14 });
    const [, push] = linearize(f, z);
    expect(push(t)).toBeAllclose(ty, { rtol: 1e-14 });
    // A real cotangent (or tangent) of a complex value is taken as re + 0i.
    expect(back(np.array([1, 2, 3]))[0]).toBeAllclose(z.mul(z).mul(3).mul(np.array([1, 2, 3])), { rtol: 1e-14 });
    expect(jvp(f, [z], [np.array([1, 0, 1])])[1]).toBeAllclose(z.mul(z).mul(3).mul(np.array([1, 0, 1])), { rtol: 1e-14 });
  });

  it("vjp of a complex → real function pairs with jvp as Re Σ u·Jv = Re Σ vjp(u)·v", () => {
    const f = (w: NDArray) => np.abs(w.mul(w).add(w));
    const v = np.array([c(0.3, -0.7), c(1, 0.2), c(-0.4, 0.9)]);
    const u = np.array([0.5, -1, 2]);
    const [, jv] = jvp(f, [z], [v]);
    const [, back] = vjp(f, z);
    const g = back(u)[0] as NDArray;
    const lhs = np.sum(u.mul(jv)).item();
    const rhs = np.sum(np.real(g.mul(v))).item();
    expect(lhs).toBeAllclose(rhs, { rtol: 1e-13 });
  });
});

describe("checkGrads, elementwiseGrad and flatten with complex values", () => {
  it("checkGrads passes complex functions to second order and catches a conjugated rule", () => {
    checkGrads((w: NDArray) => np.sum(np.abs(w.mul(w).add(w))), [z], { order: 2 });
    checkGrads((w: NDArray) => w.mul(w).div(w.add(c(3, 0))), [z], { order: 2 });
    checkGrads((w: NDArray, x: NDArray) => np.matmul(w.reshape(1, 3), np.complex(x, x).reshape(3, 1)), [z, np.array([0.5, -1, 2])], { order: 2 });
    // d(z²) = 2z·dz; a rule giving 2·conj(z)·dz is wrong along the imaginary directions.
    const wrong = customJvp(
      (w: NDArray) => w.mul(w),
      ([w], [t]) => [(w as NDArray).mul(w as NDArray), np.conj(w as NDArray).mul(2).mul(t as NDArray)],
    );
    expect(() => checkGrads(wrong, [z], { order: 1, modes: ["fwd"] })).toThrow(/forward mode/);
  });

  it("customJvp and customVjp take complex tangents and cotangents", () => {
    const sq = customJvp(
      (w: NDArray) => w.mul(w),
      ([w], [t]) => [(w as NDArray).mul(w as NDArray), (w as NDArray).mul(2).mul(t as NDArray)],
    );
    checkGrads(sq, [z], { order: 2 });
    const sqV = customVjp(
      (w: NDArray) => w.mul(w),
      (w: NDArray) => [w.mul(w), w],
      (w: NDArray, ct: NDArray) => [w.mul(2).mul(ct)],
    );
    checkGrads(sqV, [z], { order: 1, modes: ["rev"] });
    expect(holomorphicGrad((w: NDArray) => np.sum(sqV(w)))(z)).toBeAllclose(z.mul(2), { rtol: 1e-15 });
  });

  it("elementwiseGrad of an elementwise holomorphic f is f′(z); flatten keeps complex leaves", () => {
    expect(elementwiseGrad((w: NDArray) => w.mul(w).mul(w))(z)).toBeAllclose(z.mul(z).mul(3), { rtol: 1e-15 });
    const [v, unflatten] = flatten({ a: z, b: np.array([1, 2]) });
    expect(v.dtype).toBe("complex128");
    const back = unflatten(v) as { a: NDArray; b: NDArray };
    expect(back.a).toBeAllclose(z, { rtol: 0 });
    expect(back.b.dtype).toBe("float64");
    expect(back.b.toArray()).toEqual([1, 2]);
  });
});

describe("Jacobians of complex functions", () => {
  it("holomorphic jacfwd and jacrev give ∂fᵢ/∂zⱼ: diag(3z²) for z³, M for M·z", () => {
    const cube = (w: NDArray) => w.mul(w).mul(w);
    const want = np.diag(z.mul(z).mul(3));
    expect(jacfwd(cube, { holomorphic: true })(z)).toBeAllclose(want, { rtol: 1e-14 });
    expect(jacrev(cube, { holomorphic: true })(z)).toBeAllclose(want, { rtol: 1e-14 });
    const M = np.array([[c(1, 1), c(0, 2), c(-1, 0)], [c(2, -1), c(1, 0), c(0, 1)]]);
    expect(jacrev((w: NDArray) => np.matmul(M, w), { holomorphic: true })(z)).toBeAllclose(M, { rtol: 0 });
  });

  it("jacrev of a real-valued function of complex inputs has the gradients (∂/∂x − i∂/∂y) as rows", () => {
    const f = (w: NDArray) => np.stack([np.sum(np.abs(w)), abs2(w)]);
    const J = jacrev(f)(z);
    expect(J.get(0)).toBeAllclose(grad((w: NDArray) => np.sum(np.abs(w)))(z), { rtol: 1e-15 });
    expect(J.get(1)).toBeAllclose(np.conj(z).mul(2), { rtol: 1e-15 });
  });
});

describe("complex values under vmap, jit and makeJaxpr", () => {
  it("vmap of grad agrees with a loop", () => {
    const zs = np.array([[c(1, 2), c(0, 1)], [c(-1, 0.5), c(2, 2)]]);
    const f = (w: NDArray) => np.sum(np.abs(w.mul(w).sub(1)));
    const batched = vmap(grad(f))(zs);
    for (let b = 0; b < 2; b++) expect(batched.get(b)).toBeAllclose(grad(f)(zs.get(b)), { rtol: 1e-15 });
  });

  it("jit gives the eager results (complex programs run through the kernels), also for grad", () => {
    const f = (w: NDArray) => np.sum(np.abs(np.matmul(w.reshape(1, 3), np.conj(w).reshape(3, 1)).add(w.get(0))));
    expect(jit(f)(z)).toBeAllclose(f(z), { rtol: 0 });
    expect(jit(grad(f))(z)).toBeAllclose(grad(f)(z), { rtol: 0 });
    const h = jit((w: NDArray) => w.mul(w).add(c(0, 1)));
    expect(h(z)).toBeAllclose(z.mul(z).add(c(0, 1)), { rtol: 0 });
    expect(h(z)).toBeAllclose(z.mul(z).add(c(0, 1)), { rtol: 0 }); // the cached program
  });

  it("control flow carries complex values: scan, foriLoop, whileLoop, cond, checkpoint (derivatives checked to second order)", () => {
    const xs = np.complex([0.5, 1, 2], [0, 1, -1]);
    const scanned = (w: NDArray) => {
      const [carry, ys] = lax.scan((cr: NDArray, x: NDArray) => [cr.mul(x).add(w), cr], w, xs);
      return np.sum(np.abs(carry)).add(np.sum(np.real(ys)));
    };
    checkGrads(scanned, [z], { order: 2 });
    const loop = (w: NDArray) => lax.foriLoop(0, 3, (_i: unknown, a: NDArray) => a.mul(w), np.complex(1, 0));
    expect(holomorphicGrad(loop)(np.complex(1, 2))).toBeAllclose([-9, 12], { rtol: 1e-15 }); // 3w²
    checkGrads((w: NDArray) => np.sum(lax.whileLoop((s: NDArray[]) => s[1]!.lt(3), (s: NDArray[]) => [s[0]!.mul(s[0]!), s[1]!.add(1)], [w, np.array(0)])[0]!), [z.mul(0.5)], { order: 2, modes: ["fwd"] });
    checkGrads((w: NDArray) => lax.cond(np.array(true), (a: NDArray) => a.mul(a), (a: NDArray) => a, w), [z], { order: 2 });
    checkGrads((w: NDArray) => checkpoint((a: NDArray) => a.mul(a).div(a.add(3)))(w), [z], { order: 2 });
    const batched = vmap(scanned)(np.stack([z, z.mul(2)]));
    expect(batched.get(1)).toBeAllclose(scanned(z.mul(2)), { rtol: 1e-15 });
  });

  it("makeJaxpr prints complex avals", () => {
    const text = String(makeJaxpr((w: NDArray) => np.sum(np.abs(w.mul(w))))(z));
    expect(text).toContain("a:c128[3]");
    expect(text).toContain("f64[3] = abs");
  });
});
