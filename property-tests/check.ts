/**
 * @file The checks every property runs, on any function of arrays: JVP against central
 * differences, VJP against JVP, `vmap` against a loop, and a transpose rule against its primitive;
 * each throws an error with the numbers when it fails.
 *
 * Complex values (complex128) go through the same checks with the pairing JAX's convention makes
 * transposes adjoint for: ⟨a, b⟩ = Re Σ aᵢ·bᵢ, unconjugated (docs/complex-internals.md). Directions
 * and cotangents of a complex value are complex, so every real direction of it is exercised.
 */
import { jvp, linearize, vjp, vmap } from "autograd-ts";
import { ConcreteArray, type NDArray, type Aval } from "../src/core/ndarray.ts";
import { allocate, isComplex, slotsPerElement } from "../src/core/dtype.ts";
import { fmtShape } from "../src/core/errors.ts";
import { mulberry32 } from "../src/kernels/mulberry32.ts";

/** A function of arrays to arrays: what every check takes. */
export type Fn = (...xs: NDArray[]) => NDArray[];

// ---------------------------------------------------------------- tolerances

/** Unit roundoff of float64. */
const DELTA = 2 ** -53;

/**
 * Central differences g'(x)·v ≈ (g(x + εv) − g(x − εv)) / 2ε, with g(x) = ⟨u, F(x)⟩ and
 * ε = 1e-6·max(1, ‖x‖∞), have two errors:
 * - rounding: each g is computed to about c·δ·Σ|uᵢFᵢ| (δ = 2⁻⁵³, c a few ulps per kernel plus the
 *   summation), divided by 2ε: ≈ c·5e-11·Σ|uᵢFᵢ|. We allow c = 100 (`FD_ROUNDING`);
 * - truncation: ε²/6·|g'''|. The arbitraries draw values of unit scale kept ≥ 0.1 from poles,
 *   kinks and jumps, where third derivatives stay below ~1e4 per output element: we allow
 *   ε²/6·1e4·Σ|uᵢ| (`FD_THIRD`, ≈ 1.7e-9·Σ|uᵢ|), and 1e-6·Σ|uᵢ(Jv)ᵢ| (`FD_RTOL`) for functions
 *   of larger scale, whose third derivatives grow with their first (exp, cosh, Γ).
 * Both stay far below the O(|Jv|) error of a wrong rule.
 */
const FD_STEP = 1e-6;
const FD_RTOL = 1e-6;
const FD_ROUNDING = 100;
const FD_THIRD = 1e4 / 6;

/**
 * ⟨u, Jv⟩ from forward mode and ⟨Jᵀu, v⟩ from reverse mode are the same sum of products taken in
 * different orders, so they agree to rounding: a few δ per operation of the rules times the size of
 * the terms, Σ|uᵢ(Jv)ᵢ| + Σ|(Jᵀu)ⱼvⱼ|. Contractions and cancellations inside (Jv)ᵢ can add a factor
 * of the contraction size; 1e-9 (≈ 4.5e6 δ) leaves room for that and nothing for a wrong rule.
 * When unit-size terms inside the rules cancel (J ≈ 0 at a stationary point), those terms set the
 * rounding instead: with the arbitraries' unit-scale Jacobian entries they are ~Σ|uᵢ|·‖v‖∞, and we
 * allow 1e-12 of that (`ADJOINT_ATOL`, ≈ 4500 δ).
 * The same bounds serve `linearize` and the transpose identity ⟨ct, L(x)⟩ = ⟨Lᵀ(ct), x⟩.
 */
const ADJOINT_RTOL = 1e-9;
const ADJOINT_ATOL = 1e-12;

/**
 * `vmap` against a loop, a kernel against a reference: the same arithmetic, at most summed in
 * another order, so elements agree to a few δ per term of the largest value (`CLOSE_RTOL` of
 * |bᵢ| + ‖b‖∞: room for ~1e5 terms; `CLOSE_ATOL` for outputs that cancel to ~0); integer and bool
 * outputs agree exactly.
 */
const CLOSE_RTOL = 1e-10;
const CLOSE_ATOL = 1e-13;

// ---------------------------------------------------------------- small helpers on concrete arrays

/** A seeded generator (mulberry32) for directions, cotangents and batch axes. */
export class Rng {
  /** Uniforms in [0, 1). */
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** An integer in `[0, n)`. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /**
   * A random array shaped like `aval`, values (both parts of complex ones) in [-1, 1]: complex128
   * for a complex `aval`, float64 for any other.
   */
  like(aval: Aval): ConcreteArray {
    const n = aval.shape.reduce((a, b) => a * b, 1);
    const dtype = isComplex(aval.dtype) ? "complex128" : "float64";
    const data = new Float64Array(n * slotsPerElement(dtype));
    for (let i = 0; i < data.length; i++) data[i] = 2 * this.next() - 1;
    return new ConcreteArray(data, aval.shape, dtype);
  }
}

const values = (x: NDArray): ArrayLike<number> => {
  if (!(x instanceof ConcreteArray)) throw new TypeError(`expected a concrete array, got ${String(x)}`);
  return x.data;
};

/**
 * Σ ⟨aₖ, bₖ⟩ over lists of arrays of equal shapes; for complex arrays Re Σ aᵢ·bᵢ (unconjugated:
 * re·re − im·im), the pairing under which JAX-convention transposes are adjoints.
 */
export function inner(a: readonly NDArray[], b: readonly NDArray[]): number {
  let s = 0;
  a.forEach((x, k) => {
    const xv = values(x);
    const yv = values(b[k]!);
    if (isComplex(x.dtype) !== isComplex(b[k]!.dtype)) throw new Error(`inner: pairing ${x.dtype} with ${b[k]!.dtype}`);
    if (isComplex(x.dtype)) for (let i = 0; i < xv.length; i += 2) s += xv[i]! * yv[i]! - xv[i + 1]! * yv[i + 1]!;
    else for (let i = 0; i < xv.length; i++) s += xv[i]! * yv[i]!;
  });
  return s;
}

/** Σ ⟨|aₖ|, |bₖ|⟩: the size of the terms of `inner`, for tolerances. */
export function innerAbs(a: readonly NDArray[], b: readonly NDArray[]): number {
  let s = 0;
  a.forEach((x, k) => {
    const xv = values(x);
    const yv = values(b[k]!);
    for (let i = 0; i < xv.length; i++) s += Math.abs(xv[i]! * yv[i]!);
  });
  return s;
}

/** Σ |aᵢ| over a list of arrays. */
const sumAbs = (xs: readonly NDArray[]): number => {
  let s = 0;
  for (const x of xs) for (const v of Array.from(values(x))) s += Math.abs(v);
  return s;
};

const maxAbs = (xs: readonly NDArray[]): number => {
  let m = 0;
  for (const x of xs) for (const v of Array.from(values(x))) m = Math.max(m, Math.abs(v));
  return m;
};

/** `x + s·v`, elementwise over lists. */
function axpy(xs: readonly NDArray[], s: number, vs: readonly NDArray[]): ConcreteArray[] {
  return xs.map((x, k) => {
    const xv = values(x);
    const vv = values(vs[k]!);
    const data = new Float64Array(xv.length);
    for (let i = 0; i < data.length; i++) data[i] = xv[i]! + s * vv[i]!;
    return new ConcreteArray(data, x.shape, isComplex(x.dtype) ? "complex128" : "float64");
  });
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** Checks that `got[k]` has the shape of `want[k]` and dtype float64 (complex128 where `want[k]` is complex). */
function checkAvals(what: string, got: readonly NDArray[], want: readonly Aval[]): void {
  if (got.length !== want.length) throw new Error(`${what}: ${got.length} values, expected ${want.length}`);
  got.forEach((g, k) => {
    if (!sameShape(g.shape, want[k]!.shape)) {
      throw new Error(`${what} ${k}: shape ${fmtShape(g.shape)}, expected ${fmtShape(want[k]!.shape)}`);
    }
    const dtype = isComplex(want[k]!.dtype) ? "complex128" : "float64";
    if (g.dtype !== dtype) throw new Error(`${what} ${k}: dtype ${g.dtype}, expected ${dtype}`);
  });
}

const fmt = (x: number) => x.toExponential(6);

// ---------------------------------------------------------------- the checks

/** ⟨u, J v⟩ by `jvp` against central differences of x ↦ ⟨u, F(x)⟩ along v. */
export function checkJvpVsFd(F: Fn, xs: readonly NDArray[], vs: readonly NDArray[], us: readonly NDArray[]): void {
  const [outs, tans] = jvp(F, xs, vs) as [NDArray[], NDArray[]];
  checkAvals("jvp tangent", tans, outs);
  const analytic = inner(us, tans);
  const eps = FD_STEP * Math.max(1, maxAbs(xs));
  const fd = (inner(us, F(...axpy(xs, eps, vs))) - inner(us, F(...axpy(xs, -eps, vs)))) / (2 * eps);
  const tol = FD_RTOL * innerAbs(us, tans) + FD_ROUNDING * (DELTA / eps) * innerAbs(us, outs) + FD_THIRD * eps * eps * sumAbs(us);
  if (!(Math.abs(fd - analytic) <= tol)) {
    throw new Error(
      `⟨u, J v⟩: jvp gives ${fmt(analytic)}, central differences ${fmt(fd)} (|diff| ${fmt(Math.abs(fd - analytic))} > tol ${fmt(tol)}, ε ${fmt(eps)})`,
    );
  }
}

/** ⟨Jᵀu, v⟩ by `vjp` against central differences of x ↦ ⟨u, F(x)⟩ along v (for reverse-only functions). */
export function checkVjpVsFd(F: Fn, xs: readonly NDArray[], vs: readonly NDArray[], us: readonly NDArray[]): void {
  const [outs, back] = vjp(F, ...xs) as [NDArray[], (ct: NDArray[]) => NDArray[]];
  const cts = back([...us]);
  checkAvals("vjp cotangent", cts, xs);
  const analytic = inner(cts, vs);
  const eps = FD_STEP * Math.max(1, maxAbs(xs));
  const fd = (inner(us, F(...axpy(xs, eps, vs))) - inner(us, F(...axpy(xs, -eps, vs)))) / (2 * eps);
  const tol = FD_RTOL * innerAbs(cts, vs) + FD_ROUNDING * (DELTA / eps) * innerAbs(us, outs) + FD_THIRD * eps * eps * sumAbs(us);
  if (!(Math.abs(fd - analytic) <= tol)) {
    throw new Error(
      `⟨Jᵀu, v⟩: vjp gives ${fmt(analytic)}, central differences ${fmt(fd)} (|diff| ${fmt(Math.abs(fd - analytic))} > tol ${fmt(tol)}, ε ${fmt(eps)})`,
    );
  }
}

/** For a reverse-only function: forward mode raises (rather than giving a wrong tangent). */
export function checkNoForwardMode(F: Fn, xs: readonly NDArray[], vs: readonly NDArray[]): void {
  let threw = false;
  try {
    jvp(F, xs, vs);
  } catch {
    threw = true;
  }
  if (!threw) throw new Error("a reverse-only primitive gave a forward-mode tangent instead of raising");
}

/** ⟨u, J v⟩ by `jvp` against ⟨Jᵀ u, v⟩ by `vjp`. */
export function checkVjpVsJvp(F: Fn, xs: readonly NDArray[], vs: readonly NDArray[], us: readonly NDArray[]): void {
  const [, tans] = jvp(F, xs, vs) as [NDArray[], NDArray[]];
  const [outs, back] = vjp(F, ...xs) as [NDArray[], (ct: NDArray[]) => NDArray[]];
  checkAvals("vjp output", outs, tans);
  const cts = back([...us]);
  checkAvals("vjp cotangent", cts, xs);
  const a = inner(us, tans);
  const b = inner(cts, vs);
  const tol = ADJOINT_RTOL * (innerAbs(us, tans) + innerAbs(cts, vs)) + ADJOINT_ATOL * sumAbs(us) * maxAbs(vs);
  if (!(Math.abs(a - b) <= tol)) {
    throw new Error(`⟨u, J v⟩ by jvp ${fmt(a)} ≠ ⟨Jᵀu, v⟩ by vjp ${fmt(b)} (|diff| ${fmt(Math.abs(a - b))} > tol ${fmt(tol)})`);
  }
}

/** `linearize(F, x)` replayed on v (the recorded linear program run forward) against `jvp`. */
export function checkLinearizeVsJvp(F: Fn, xs: readonly NDArray[], vs: readonly NDArray[], us: readonly NDArray[]): void {
  const [, tans] = jvp(F, xs, vs) as [NDArray[], NDArray[]];
  const [, jvpFn] = linearize(F, ...xs) as [NDArray[], (...ts: NDArray[]) => NDArray[]];
  const lin = jvpFn(...vs);
  checkAvals("linearize tangent", lin, tans);
  const a = inner(us, tans);
  const b = inner(us, lin);
  const tol = ADJOINT_RTOL * (innerAbs(us, tans) + innerAbs(us, lin)) + ADJOINT_ATOL * sumAbs(us) * maxAbs(vs);
  if (!(Math.abs(a - b) <= tol)) {
    throw new Error(`⟨u, J v⟩ by jvp ${fmt(a)} ≠ by linearize ${fmt(b)} (|diff| ${fmt(Math.abs(a - b))} > tol ${fmt(tol)})`);
  }
}

/** For a function whose derivative is defined to be zero: `jvp` and `vjp` give zeros. */
export function checkZeroDerivative(F: Fn, xs: readonly NDArray[], vs: readonly NDArray[], us: readonly NDArray[]): void {
  const [outs, tans] = jvp(F, xs, vs) as [NDArray[], NDArray[]];
  checkAvals("jvp tangent", tans, outs);
  const cts = (vjp(F, ...xs)[1] as (ct: NDArray[]) => NDArray[])([...us]);
  checkAvals("vjp cotangent", cts, xs);
  const m = maxAbs([...tans, ...cts]);
  if (m !== 0) throw new Error(`derivative defined as zero, but jvp/vjp give values up to ${fmt(m)}`);
}

/** ⟨ct, L(x)⟩ = ⟨Lᵀ(ct), x⟩ for the transpose rule, where `L(x) = F(x)` is linear. */
export function checkTranspose(
  L: Fn,
  transpose: (cts: NDArray[]) => (NDArray | null)[],
  xs: readonly NDArray[],
  cts: readonly NDArray[],
): void {
  const outs = L(...xs);
  const back = transpose([...cts]);
  if (back.length !== xs.length) throw new Error(`transpose returned ${back.length} cotangents for ${xs.length} linear inputs`);
  const bs = back.map((b, k) => {
    if (b === null) return new ConcreteArray(allocate(xs[k]!.dtype, xs[k]!.size), xs[k]!.shape, xs[k]!.dtype);
    if (!sameShape(b.shape, xs[k]!.shape)) {
      throw new Error(`transpose cotangent ${k}: shape ${fmtShape(b.shape)}, expected ${fmtShape(xs[k]!.shape)}`);
    }
    if (b.dtype !== xs[k]!.dtype) throw new Error(`transpose cotangent ${k}: dtype ${b.dtype}, expected ${xs[k]!.dtype}`);
    return b;
  });
  const a = inner(cts, outs);
  const b = inner(bs, xs);
  const tol = ADJOINT_RTOL * (innerAbs(cts, outs) + innerAbs(bs, xs)) + ADJOINT_ATOL * sumAbs(cts) * maxAbs(xs);
  if (!(Math.abs(a - b) <= tol)) {
    throw new Error(`⟨ct, L(x)⟩ ${fmt(a)} ≠ ⟨Lᵀ(ct), x⟩ ${fmt(b)} (|diff| ${fmt(Math.abs(a - b))} > tol ${fmt(tol)})`);
  }
}

/** A batch axis for each argument: `null` a third of the time (if `allowNull`), at least one batched. */
export function randomInAxes(args: readonly NDArray[], rng: Rng, allowNull = true): (number | null)[] {
  const axes = args.map((a): number | null => (allowNull && rng.next() < 1 / 3 ? null : rng.int(a.ndim + 1)));
  if (!axes.some((a) => a !== null)) {
    const i = rng.int(args.length);
    axes[i] = rng.int(args[i]!.ndim + 1);
  }
  return axes;
}

/**
 * `vmap(F)` over a batch made of `examples` (one argument list each) against calling `F` on each
 * example and stacking: argument `i` is batched along `inAxes[i]` (`null`: not batched, every
 * example then uses example 0's value), output `k` along a random axis.
 */
export function checkVmap(F: Fn, examples: readonly (readonly NDArray[])[], inAxes: readonly (number | null)[], rng: Rng): void {
  const argsOf = (e: readonly NDArray[]) => e.map((x, i) => (inAxes[i] === null ? examples[0]![i]! : x));
  const perExample = examples.map((e) => F(...argsOf(e)));
  const outAxes = perExample[0]!.map((o) => rng.int(o.ndim + 1));
  const batched = inAxes.map((a, i) => (a === null ? examples[0]![i]! : stack(examples.map((e) => e[i]!), a)));
  const got = (vmap(F, { inAxes: [...inAxes], outAxes }) as Fn)(...batched);
  if (got.length !== outAxes.length) throw new Error(`vmap gave ${got.length} outputs, the loop ${outAxes.length}`);
  got.forEach((g, k) => {
    const want = stack(perExample.map((o) => o[k]!), outAxes[k]!);
    checkClose(`vmap output ${k} (out axis ${outAxes[k]})`, g, want, "the loop");
  });
}

/**
 * Elementwise closeness of two computations of the same values, in different orders (see
 * `CLOSE_RTOL`); exact for int/bool. `oracle` names where `want` comes from.
 */
export function checkClose(what: string, got: NDArray, want: ConcreteArray, oracle: string): void {
  if (!sameShape(got.shape, want.shape)) throw new Error(`${what}: shape ${fmtShape(got.shape)}, ${oracle} gives ${fmtShape(want.shape)}`);
  if (got.dtype !== want.dtype) throw new Error(`${what}: dtype ${got.dtype}, ${oracle} gives ${want.dtype}`);
  const g = values(got);
  const w = want.data;
  const float = want.dtype === "float64" || want.dtype === "float32" || isComplex(want.dtype);
  const scale = float ? maxAbs([want]) : 0;
  for (let i = 0; i < w.length; i++) {
    const a = g[i]!;
    const b = w[i]!;
    const ok = float ? (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= CLOSE_RTOL * (Math.abs(b) + scale) + CLOSE_ATOL : a === b;
    if (!ok) throw new Error(`${what} of shape ${fmtShape(want.shape)}: element ${i} is ${a}, ${oracle} gives ${b}`);
  }
}

/** Concrete `stack` along `axis` (an independent implementation, the oracle for `vmap`). */
export function stack(xs: readonly NDArray[], axis: number): ConcreteArray {
  const first = xs[0]!;
  const shape = first.shape.slice();
  shape.splice(axis, 0, xs.length);
  // Counted in storage slots: two per complex element.
  const inner = first.shape.slice(axis).reduce((a, b) => a * b, 1) * slotsPerElement(first.dtype);
  const outer = first.shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const out = new ConcreteArray(allocate(first.dtype, (outer * xs.length * inner) / slotsPerElement(first.dtype)), shape, first.dtype);
  xs.forEach((x, b) => {
    const src = values(x);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) out.data[(o * xs.length + b) * inner + j] = src[o * inner + j]!;
    }
  });
  return out;
}
