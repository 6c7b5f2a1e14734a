/**
 * @file `checkGrads`: derivatives of every order up to `order`, in forward and reverse mode,
 * against central finite differences along random directions (autograd's `check_grads`). Complex
 * values get complex directions, paired as Re Σ aᵢ·bᵢ (unconjugated: JAX's and autograd's convention,
 * under which reverse mode is the transpose of forward mode).
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { flatten, unflatten, type Tree } from "../tree/index.ts";
import { leafToArray } from "./common.ts";
import { jvp } from "./jvp.ts";
import { vjp } from "./vjp.ts";
import { mulberry32 } from "../kernels/mulberry32.ts";
import { checkGradsOpts } from "./options.ts";
import { isComplex } from "../core/dtype.ts";

/** Options of `checkGrads`: the highest order, the modes, the finite-difference step, tolerances, and the seed of the random directions. */
export interface CheckGradsOptions {
  /** Highest derivative order to check (default 2). */
  order?: number;
  /** Which modes to check (default both). */
  modes?: readonly ("fwd" | "rev")[];
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  rtol?: number;
  atol?: number;
  /** Seed of the random directions. */
  seed?: number;
}

/** Deterministic directions, centred on 0. */
const rng = (seed: number): (() => number) => {
  const u = mulberry32(seed);
  return () => u() - 0.5;
};

/** Each leaf's storage as float64, and whether it is complex (interleaved re, im). */
const floats = (t: Tree): [Float64Array, boolean][] =>
  flatten(t)[0].map((x) => {
    const a = leafToArray(x, "checkGrads", "value") as ConcreteArray;
    return [Float64Array.from(a.data), isComplex(a.dtype)];
  });

/** A random tree shaped like `t` (float leaves; complex128 leaves where `t` has complex ones). */
function randomLike(t: Tree, rand: () => number): Tree {
  const [ls, def] = flatten(t);
  return unflatten(
    def,
    ls.map((x) => {
      const a = leafToArray(x, "checkGrads", "value");
      const complex = isComplex(a.dtype);
      const data = new Float64Array(a.size * (complex ? 2 : 1)).map(() => rand());
      return typeof x === "number" ? data[0]! : new ConcreteArray(data, a.shape, complex ? "complex128" : "float64");
    }),
  );
}

/** `a + s·b` leafwise. */
function axpy(a: Tree, s: number, b: Tree): Tree {
  const [al, def] = flatten(a);
  const [bl] = flatten(b);
  return unflatten(
    def,
    al.map((x, i) => {
      const y = bl[i]!;
      if (typeof x === "number") return x + s * (y as number);
      return (x as NDArray).add((leafToArray(y, "checkGrads", "") as NDArray).mul(s));
    }),
  );
}

/** Σ ⟨aᵢ, bᵢ⟩ over the leaves: Re Σ a·b for complex leaves (re·re − im·im). */
const inner = (a: Tree, b: Tree): number => {
  const fa = floats(a);
  const fb = floats(b);
  let s = 0;
  fa.forEach(([x, complex], i) => {
    const y = fb[i]![0];
    if (complex) for (let j = 0; j < x.length; j += 2) s += x[j]! * y[j]! - x[j + 1]! * y[j + 1]!;
    else x.forEach((v, j) => (s += v * y[j]!));
  });
  return s;
};

function close(what: string, numeric: number, analytic: number, rtol: number, atol: number): void {
  if (!(Math.abs(numeric - analytic) <= atol + rtol * Math.abs(numeric))) {
    throw new Error(
      `checkGrads: ${what} does not match finite differences:\n  analytic ${analytic}\n  numeric  ${numeric}\n  |diff|   ${Math.abs(numeric - analytic)} (tolerance ${atol} + ${rtol}·|numeric|)`,
    );
  }
}

/**
 * Checks `f`'s derivatives at `args` up to `order` in the chosen modes; throws a report on mismatch.
 * @example
 * checkGrads((x: NDArray) => np.sum(np.tanh(x)), [np.array([0.1, 0.5])], { order: 2 });
 */
export function checkGrads(f: (...args: never[]) => Tree, args: readonly Tree[], opts: CheckGradsOptions = {}): void {
  opts = checkGradsOpts(opts);
  const order = opts.order ?? 2;
  const modes = opts.modes ?? ["fwd", "rev"];
  const eps = opts.eps ?? 1e-6;
  const rtol = opts.rtol ?? 1e-5;
  const atol = opts.atol ?? 1e-6;
  const rand = rng(opts.seed ?? 0);
  const g = f as (...a: Tree[]) => Tree;
  const check = (fn: (...a: Tree[]) => Tree, xs: Tree[], k: number): void => {
    const v = randomLike(xs as Tree, rand) as Tree[];
    const out = fn(...xs);
    const u = randomLike(out, rand);
    // ⟨u, (f(x + εv) − f(x − εv)) / 2ε⟩
    const numeric = (inner(u, fn(...(axpy(xs, eps, v) as Tree[]))) - inner(u, fn(...(axpy(xs, -eps, v) as Tree[])))) / (2 * eps);
    if (modes.includes("fwd")) {
      const [, tOut] = jvp(fn, xs, v);
      close(`order-${k} forward mode (JVP)`, numeric, inner(u, tOut), rtol, atol);
    }
    if (modes.includes("rev")) {
      const [, back] = vjp(fn, ...xs);
      close(`order-${k} reverse mode (VJP)`, numeric, inner(back(u), v), rtol, atol);
    }
    if (k < order) {
      if (modes.includes("fwd")) check((...a: Tree[]) => jvp(fn, a, v)[1], xs, k + 1);
      if (modes.includes("rev")) check((...a: Tree[]) => vjp(fn, ...a)[1](u), xs, k + 1);
    }
  };
  check(g, args.slice(), 1);
}
