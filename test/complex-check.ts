/**
 * @file Derivative checks for functions of one (real or complex) matrix argument, used by the eig
 * and complex linear-algebra tests: JVP against central differences along a real and along an
 * imaginary direction (∂/∂x and ∂/∂y), VJP against JVP under the non-conjugating pairing
 * ⟨u, v⟩ = Re Σ uₖ·vₖ (JAX's), the JVP of the JVP against differences of JVPs (second order), and
 * vmap against a loop.
 */
import { expect } from "vitest";
import * as np from "autograd-ts/numpy";
import { ConcreteArray, NDArray, jvp, vjp, vmap } from "autograd-ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";

export type MatFn = (a: NDArray) => NDArray | NDArray[];

const outs = (y: NDArray | NDArray[]): NDArray[] => (Array.isArray(y) ? y : [y]);

/** The storage of `x` as float64 slots (complex: interleaved re, im). */
export function slots(x: NDArray): Float64Array {
  return Float64Array.from((x as ConcreteArray).data);
}

/** A random array shaped and typed like `like` (standard-ish uniform entries), from `seed`. */
export function randomLike(like: NDArray, seed: number, part: "both" | "re" | "im" = "both"): NDArray {
  const r = mulberry32(seed);
  const cplx = like.dtype === "complex128" || like.dtype === "complex64";
  if (!cplx) return np.array(Float64Array.from({ length: like.size }, () => 2 * r() - 1)).reshape(like.shape);
  const re = np.array(Float64Array.from({ length: like.size }, () => (part === "im" ? 0 : 2 * r() - 1))).reshape(like.shape);
  const im = np.array(Float64Array.from({ length: like.size }, () => (part === "re" ? 0 : 2 * r() - 1))).reshape(like.shape);
  return np.complex(re, im);
}

/** Re Σ u·v (no conjugation) over interleaved or real storage of equal dtype. */
export function pairing(u: NDArray, v: NDArray): number {
  const a = slots(u);
  const b = slots(v);
  expect(a.length).toBe(b.length);
  const cplx = u.dtype === "complex128" || u.dtype === "complex64";
  let s = 0;
  if (!cplx) for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  else for (let i = 0; i < a.length; i += 2) s += a[i]! * b[i]! - a[i + 1]! * b[i + 1]!;
  return s;
}

function expectClose(got: NDArray, want: Float64Array, tol: number, what: string): void {
  const g = slots(got);
  expect(g.length, what).toBe(want.length);
  let scale = 1;
  for (const x of want) scale = Math.max(scale, Math.abs(x));
  let err = 0;
  for (let i = 0; i < g.length; i++) err = Math.max(err, Math.abs(g[i]! - want[i]!));
  expect(err / scale, `${what}: max error ${err} (scale ${scale})`).toBeLessThan(tol);
}

/** (f(a + h·t) − f(a − h·t)) / 2h for each output, as float64 slots. */
function centralDifference(f: MatFn, a: NDArray, t: NDArray, h: number): Float64Array[] {
  const plus = outs(f(np.add(a, np.multiply(t, h)))).map(slots);
  const minus = outs(f(np.subtract(a, np.multiply(t, h)))).map(slots);
  return plus.map((p, k) => p.map((x, i) => (x - minus[k]![i]!) / (2 * h)));
}

export interface CheckOptions {
  /** Relative tolerance of the finite-difference comparisons (default 1e-6). */
  readonly tol?: number;
  /** Step of the central differences (default 1e-6). */
  readonly h?: number;
  /** Also check second order (JVP of the JVP; default true). */
  readonly second?: boolean;
  /** Maps each direction into the function's domain (e.g. Hermitian tangents for a Hermitian input). */
  readonly project?: (t: NDArray) => NDArray;
}

/**
 * Checks f's JVP (along a real and an imaginary direction when `a` is complex), VJP and, unless
 * switched off, the second-order JVP at `a`. `seed` varies the directions and cotangents.
 */
export function checkDerivatives(f: MatFn, a: NDArray, seed: number, opts: CheckOptions = {}): void {
  const tol = opts.tol ?? 1e-6;
  const h = opts.h ?? 1e-6;
  const cplx = a.dtype === "complex128";
  const project = opts.project ?? ((t: NDArray) => t);
  const directions = (cplx ? [randomLike(a, seed, "re"), randomLike(a, seed + 1, "im"), randomLike(a, seed + 2)] : [randomLike(a, seed)]).map(project);
  for (const [d, t] of directions.entries()) {
    const [, tangents] = jvp((x: NDArray) => outs(f(x)), [a], [t]);
    const fd = centralDifference(f, a, t, h);
    (tangents as NDArray[]).forEach((tan, k) => expectClose(tan, fd[k]!, tol, `JVP of output ${k} vs central differences, direction ${d}`));
  }
  // VJP vs JVP: Re Σ u·(J t) = Re Σ (Jᵀu)·t.
  const t = directions[directions.length - 1]!;
  const [ys, pull] = vjp((x: NDArray) => outs(f(x)), a);
  const us = (ys as NDArray[]).map((y, k) => randomLike(y, seed + 10 + k));
  const [ta] = pull(us) as [NDArray];
  const [, jt] = jvp((x: NDArray) => outs(f(x)), [a], [t]);
  const lhs = (jt as NDArray[]).reduce((acc, y, k) => acc + pairing(us[k]!, y), 0);
  const rhs = pairing(ta, t);
  expect(Math.abs(lhs - rhs), `VJP vs JVP: ${lhs} vs ${rhs}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(lhs)));
  if (opts.second === false) return;
  // Second order: d/ds [J(a + s·t2)·t] against central differences of the JVP.
  const t2 = project(randomLike(a, seed + 20));
  const firstOrder: MatFn = (x) => (jvp((y: NDArray) => outs(f(y)), [x], [t])[1] as NDArray[]);
  const [, second] = jvp((x: NDArray) => outs(firstOrder(x)), [a], [t2]);
  const fd2 = centralDifference(firstOrder, a, t2, 1e-5);
  (second as NDArray[]).forEach((s, k) => expectClose(s, fd2[k]!, 100 * tol, `second-order JVP of output ${k}`));
}

/** vmap(f) over a stack equals f applied to each member. */
export function checkVmap(f: MatFn, stack: NDArray): void {
  const batched = outs(vmap((x: NDArray) => outs(f(x)))(stack) as NDArray | NDArray[]);
  for (let b = 0; b < stack.shape[0]!; b++) {
    const one = outs(f(stack.get(b)));
    one.forEach((y, k) => expectClose(batched[k]!.get(b), slots(y), 1e-12, `vmap output ${k}, member ${b}`));
  }
}
