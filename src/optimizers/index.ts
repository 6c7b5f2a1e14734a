/**
 * @file Gradient-based optimizers over trees of parameters — `sgd` with momentum, `rmsprop`, `adam` —
 * with autograd's calling convention: `adam(gradFn, params, { numIters, stepSize, callback })`.
 *
 * As in autograd's `misc/optimizers.py`, each optimizer is written once over a flat 1-D vector, and
 * `unflattenOptimizer` lifts it to trees: the parameters are flattened into one vector, `gradFn`
 * sees (and returns) trees of the same structure, and the result is rebuilt as a tree.
 */
import "../numpy/methods.ts";
import * as np from "../numpy/index.ts";
import type { NDArray } from "../core/ndarray.ts";
import { flatten } from "../transforms/flatten.ts";
import * as tree from "../tree/index.ts";
import type { Tree, TreeDef } from "../tree/index.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import * as P from "../core/parse.ts";

// Hyperparameters may be (traced) arrays: differentiating through the optimizer with respect to
// its step size or momentum (autograd's hyperparameter-optimization example) keeps working.
const hyper = P.numOrArray;
const commonSchema = { numIters: P.nonNegInt, stepSize: hyper, callback: P.func } as const;
/** Each optimizer's options, parsed before anything runs (a misspelt `stepsize` is a TypeError, not the default). */
const optimizerOpts: Record<string, (opts: unknown) => object> = {
  sgd: P.options("sgd", { ...commonSchema, mass: hyper }),
  rmsprop: P.options("rmsprop", { ...commonSchema, gamma: hyper, eps: hyper }),
  adam: P.options("adam", { ...commonSchema, b1: hyper, b2: hyper, eps: hyper }),
};

/** Options every optimizer takes. */
export interface OptimizerOptions<T> {
  /** Number of steps (autograd's default: 200 for `sgd`, 100 for `rmsprop` and `adam`). */
  numIters?: number;
  /** Step size (learning rate): 0.1 for `sgd` and `rmsprop`, 0.001 for `adam` by default. */
  stepSize?: number;
  /** Called at every iteration, before the step, with the current parameters, the iteration and the gradient. */
  callback?: (params: T, iter: number, grad: T) => void;
}

/** The options of {@link sgd} besides {@link OptimizerOptions}: autograd's `mass`. */
export interface SgdOptions {
  /** Momentum: the velocity keeps `mass` of itself each step (default 0.9; 0 is plain gradient descent). */
  mass?: number;
}

/** The options of {@link rmsprop} besides {@link OptimizerOptions}: autograd's `gamma` and `eps`. */
export interface RmspropOptions {
  /** Decay of the running average of squared gradients (default 0.9). */
  gamma?: number;
  /** Added to the root mean square to avoid dividing by zero (default 1e-8). */
  eps?: number;
}

/** The options of {@link adam} besides {@link OptimizerOptions}: autograd's `b1`, `b2` and `eps`. */
export interface AdamOptions {
  /** Decay of the first-moment (mean) estimate (default 0.9). */
  b1?: number;
  /** Decay of the second-moment (uncentred variance) estimate (default 0.999). */
  b2?: number;
  /** Added to the root of the second moment to avoid dividing by zero (default 1e-8). */
  eps?: number;
}

/**
 * A gradient function of the parameters (a tree) and the iteration number, as in autograd; it
 * returns a tree of the same structure. Parameter types are not constrained to `Tree` at compile
 * time, so interfaces work too (TypeScript gives interfaces no index signature); the structure is
 * checked when the tree is flattened.
 */
export type GradFn<T> = (params: T, iter: number) => unknown;

type FlatGrad = (x: NDArray, iter: number) => NDArray;
type FlatCallback = ((x: NDArray, iter: number, g: NDArray) => void) | undefined;

/** An optimizer over trees: returns the parameters after `numIters` steps, in the structure given. */
export type Optimizer<O extends object> = <T>(
  gradFn: GradFn<T>,
  params: T,
  opts?: O & OptimizerOptions<T>,
) => T;

/** The path of every leaf of a structure (`.W`, `[0].b`, …), in `flatten`'s order. */
function leafPaths(def: TreeDef): string[] {
  const out: string[] = [];
  const go = (d: TreeDef, path: string): void => {
    if (d.kind === "leaf") out.push(path || "(the root)");
    else if (d.kind === "array") d.children.forEach((c, i) => go(c, `${path}[${i}]`));
    else if (d.kind === "object") d.children.forEach((c, i) => go(c, `${path}.${d.keys[i]}`));
    else if (d.kind === "node") d.children.forEach((c, i) => go(c, `${path}<${i}>`));
  };
  go(def, "");
  return out;
}

const shapeOf = (x: tree.Leaf): readonly number[] => (typeof x === "object" ? x.shape : []);

/** The gradient must have the parameters' structure and each leaf its parameter's shape (else a step would scramble them). */
function checkGradient(name: string, g: Tree, def: TreeDef, params: readonly tree.Leaf[], paths: readonly string[], iter: number): void {
  const [leaves, gDef] = tree.flatten(g, `${name}: gradFn's result`);
  if (!tree.sameStructure(def, gDef)) {
    const clip = (k: string) => (k.length > 120 ? `${k.slice(0, 120)}…` : k);
    throw new TypeError(
      `${name}: gradFn returned a tree of structure ${clip(tree.structureKey(gDef))} at iteration ${iter}, ` +
        `but the parameters have structure ${clip(tree.structureKey(def))}; it must return a tree of the same structure as the parameters`,
    );
  }
  for (let i = 0; i < leaves.length; i++) {
    const gs = shapeOf(leaves[i]!);
    const ps = shapeOf(params[i]!);
    if (gs.length !== ps.length || gs.some((d, k) => d !== ps[k])) {
      throw new ShapeError(
        `${name}: the gradient at ${paths[i]} has shape ${fmtShape(gs)} but the parameter has shape ${fmtShape(ps)} (iteration ${iter})`,
      );
    }
  }
}

/** Lifts an optimizer over a flat vector to one over trees (autograd's `unflatten_optimizer`). */
function unflattenOptimizer<O extends object>(
  name: string,
  optimize: (grad: FlatGrad, x: NDArray, callback: FlatCallback, opts: O & OptimizerOptions<unknown>) => NDArray,
): Optimizer<O> {
  return <T>(gradFn: GradFn<T>, params: T, opts: O & OptimizerOptions<T> = {} as O & OptimizerOptions<T>): T => {
    opts = optimizerOpts[name]!(opts) as O & OptimizerOptions<T>;
    const [x0, unflatten] = flatten(params as Tree);
    const [paramLeaves, paramDef] = tree.flatten(params as Tree, `${name}: params`);
    const paths = leafPaths(paramDef);
    const flatGrad: FlatGrad = (x, iter) => {
      const g = gradFn(unflatten(x) as T, iter) as Tree;
      checkGradient(name, g, paramDef, paramLeaves, paths, iter);
      return flatten(g)[0];
    };
    const callback = opts.callback;
    const flatCallback: FlatCallback =
      callback === undefined ? undefined : (x, iter, g) => callback(unflatten(x) as T, iter, unflatten(g) as T);
    return unflatten(optimize(flatGrad, x0, flatCallback, { ...opts, callback: undefined })) as T;
  };
}

/**
 * Stochastic gradient descent with momentum: v ← mass·v − (1 − mass)·g, x ← x + stepSize·v.
 *
 * @example
 * // The gradient of ½‖a − 2‖² is a − 2; with the default step and momentum the error shrinks by
 * // ≈ 0.95 per step, so 800 steps reach the minimiser to rounding.
 * const p = sgd((params) => ({ a: params.a.sub(2) }), { a: np.zeros([3]) }, { numIters: 800 });
 * p.a; // [2, 2, 2]
 */
export const sgd = unflattenOptimizer<SgdOptions>("sgd", (grad, x, callback, opts) => {
  const { numIters = 200, stepSize = 0.1, mass = 0.9 } = opts;
  let velocity = np.zeros([x.size]);
  for (let i = 0; i < numIters; i++) {
    const g = grad(x, i);
    callback?.(x, i, g);
    velocity = velocity.mul(mass).sub(g.mul(1 - mass));
    x = x.add(velocity.mul(stepSize));
  }
  return x;
});

/**
 * RMSProp: divides the gradient by a running root mean square of recent gradients,
 * s ← γ·s + (1 − γ)·g², x ← x − stepSize·g / (√s + eps). As in autograd, s starts at ones.
 *
 * @example
 * const p = rmsprop((params) => ({ a: params.a.sub(2) }), { a: np.zeros([3]) }, { numIters: 300 });
 * Math.abs(p.a.get(0).item() - 2) < 1e-6; // true
 */
export const rmsprop = unflattenOptimizer<RmspropOptions>("rmsprop", (grad, x, callback, opts) => {
  const { numIters = 100, stepSize = 0.1, gamma = 0.9, eps = 1e-8 } = opts;
  let avgSqGrad = np.ones([x.size]);
  for (let i = 0; i < numIters; i++) {
    const g = grad(x, i);
    callback?.(x, i, g);
    avgSqGrad = avgSqGrad.mul(gamma).add(np.square(g).mul(1 - gamma));
    x = x.sub(g.mul(stepSize).div(np.sqrt(avgSqGrad).add(eps)));
  }
  return x;
});

/**
 * Adam (Kingma & Ba, 2015): running estimates of the gradient's first and second moments, with
 * their bias from the zero start corrected,
 * m ← b1·m + (1 − b1)·g, v ← b2·v + (1 − b2)·g², x ← x − stepSize·m̂ / (√v̂ + eps),
 * m̂ = m / (1 − b1^(i+1)), v̂ = v / (1 − b2^(i+1)).
 *
 * @example
 * const p = adam((params) => ({ a: params.a.sub(2) }), { a: np.zeros([3]) }, { numIters: 1000, stepSize: 0.1 });
 * Math.abs(p.a.get(0).item() - 2) < 1e-6; // true
 */
export const adam = unflattenOptimizer<AdamOptions>("adam", (grad, x, callback, opts) => {
  const { numIters = 100, stepSize = 0.001, b1 = 0.9, b2 = 0.999, eps = 1e-8 } = opts;
  let m = np.zeros([x.size]);
  let v = np.zeros([x.size]);
  for (let i = 0; i < numIters; i++) {
    const g = grad(x, i);
    callback?.(x, i, g);
    m = g.mul(1 - b1).add(m.mul(b1));
    v = np.square(g).mul(1 - b2).add(v.mul(b2));
    const mHat = m.div(1 - b1 ** (i + 1));
    const vHat = v.div(1 - b2 ** (i + 1));
    x = x.sub(mHat.mul(stepSize).div(np.sqrt(vHat).add(eps)));
  }
  return x;
});
