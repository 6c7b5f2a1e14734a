/**
 * @file User-defined derivative rules, JAX-style: `customJvp`, `customVjp`, and `checkpoint`
 * (rematerialization, with JAX's saving policies). Each stages the function once per call into a
 * closed jaxpr carried by a higher-order primitive; with no transformation active the function
 * simply runs.
 */
import { isComplex } from "../core/dtype.ts";
import type { Aval, NDArray } from "../core/ndarray.ts";
import { currentLevel, bind } from "../core/trace.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { stageFlat } from "../interpreters/staging.ts";
import { customJvpCallP, customVjpCallP } from "../higher-order/custom.ts";
import { checkpointP, nothingSaveable, type CheckpointPolicy } from "../higher-order/checkpoint.ts";
import { flatten, unflatten, structureKey, type Tree, type TreeDef } from "../tree/index.ts";
import { leafToArray } from "./common.ts";
import type { ArrayTree, Fn, LeafLike, Ret } from "./types.ts";

type AnyFn = Fn;

/** What a rule receives for `f`'s arguments: the same trees, with arrays (possibly traced) at the leaves. */
export type ArgArrays<F extends Fn> = ArrayTree<Parameters<F>>;

const fnName = (f: AnyFn): string => f.name || "fn";

/** What staging the user's function gives: its jaxpr, captured values, and the output's structure. */
interface StagedFn {
  jaxpr: ReturnType<typeof stageFlat>["jaxpr"];
  hoisted: NDArray[];
  outDef: TreeDef;
}

/** Flattens the arguments of a call. */
function flatArgs(args: readonly Tree[], op: string): [NDArray[], TreeDef] {
  const [leaves, inDef] = flatten(args as Tree, `${op}: argument `);
  return [leaves.map((x, i) => leafToArray(x, op, `argument leaf ${i}`)), inDef];
}

/** Stages `f` at the arguments' shapes and dtypes. */
function stageUser(f: AnyFn, arrays: readonly NDArray[], inDef: TreeDef, op: string): StagedFn {
  let outDef: TreeDef | null = null;
  const { jaxpr, hoisted } = stageFlat(
    (xs) => {
      const out = (f as unknown as (...a: Tree[]) => Tree)(...unflatten<Tree[]>(inDef, xs));
      const [ol, od] = flatten(out, `${op}: output `);
      outDef = od;
      return ol.map((o, i) => leafToArray(o, op, `output leaf ${i}`));
    },
    arrays,
    op,
  );
  return { jaxpr, hoisted, outDef: outDef! };
}

/**
 * Checks a rule's result (a tree) against what it must match: the same structure, and per leaf the
 * same shape and dtype. The error names the rule, the leaf, and both shapes.
 */
function checkLike(what: string, got: Tree, wantDef: TreeDef, want: readonly Aval[], whose: string): NDArray[] {
  const [leaves, def] = flatten(got, `${what}: `);
  if (structureKey(def) !== structureKey(wantDef)) {
    throw new TypeError(`${what} returned a tree of structure ${structureKey(def)}, but ${whose} has structure ${structureKey(wantDef)}`);
  }
  return leaves.map((l, i) => {
    const a = leafToArray(l, what, `leaf ${i}`);
    const w = want[i]!;
    if (a.shape.length !== w.shape.length || a.shape.some((d, j) => d !== w.shape[j])) {
      throw new ShapeError(`${what}: leaf ${i} has shape ${fmtShape(a.shape)}, but ${whose} leaf ${i} has shape ${fmtShape(w.shape)}`);
    }
    if (a.dtype !== w.dtype) {
      throw new TypeError(`${what}: leaf ${i} has dtype ${a.dtype} (shape ${fmtShape(a.shape)}), but ${whose} leaf ${i} has dtype ${w.dtype}`);
    }
    return a;
  });
}

/** The abstract value of a tangent or cotangent for a value of `a` (floats and complex values keep their dtype). */
const tangentOf = (a: Aval): Aval => ({ shape: a.shape, dtype: a.dtype === "float32" || isComplex(a.dtype) ? a.dtype : "float64" });

/**
 * `customJvp(f, rule)`: `f` whose forward-mode derivative is `rule(primals, tangents)`, which
 * returns `[out, tangentOut]` (trees like `f`'s output, same shapes and dtypes: checked). Reverse
 * mode transposes the rule, so it must be linear in the tangents. The rule is staged when `f` is
 * first differentiated; `f` itself is staged once per call (under a transformation).
 * @example
 * const safeLog = customJvp((x: NDArray) => np.log(x), ([x], [t]) => [np.log(x), t.div(x)]);
 * grad(safeLog)(2); // 0.5
 */
export function customJvp<F extends AnyFn>(
  f: F,
  rule: (primals: ArgArrays<F>, tangents: ArgArrays<F>) => readonly [LeafLike<Ret<F>>, LeafLike<Ret<F>>],
): F {
  const name = fnName(f);
  const ruleName = `customJvp rule of ${name}${rule.name ? ` (${rule.name})` : ""}`;
  return ((...args: Tree[]) => {
    if (currentLevel() === 0) return (f as unknown as (...a: Tree[]) => unknown)(...args);
    const [arrays, inDef] = flatArgs(args, "customJvp");
    const { jaxpr, hoisted, outDef } = stageUser(f, arrays, inDef, "customJvp");
    const outAvals = jaxpr.outAvals;
    const n = arrays.length;
    const jvpRule = (xs: NDArray[]): NDArray[] => {
      const result: unknown = rule(unflatten(inDef, xs.slice(0, n)), unflatten(inDef, xs.slice(n)));
      if (!Array.isArray(result) || result.length !== 2) throw new TypeError(`${ruleName} must return [out, tangentOut]`);
      checkLike(`${ruleName} (primal output)`, result[0] as Tree, outDef, outAvals, "the function's output");
      return checkLike(`${ruleName} (tangent output)`, result[1] as Tree, outDef, outAvals.map(tangentOf), "the function's output");
    };
    const outs = bind(customJvpCallP, [...hoisted, ...arrays], { name, funJaxpr: jaxpr, numHoisted: hoisted.length, jvpRule });
    return unflatten(outDef, outs);
  }) as unknown as F;
}

/**
 * `customVjp(f, fwd, bwd)`: `f` whose reverse-mode derivative is given by `fwd(...args)` →
 * `[out, residuals]` and `bwd(residuals, ct)` → one cotangent per argument (a JS array); `fwd`'s
 * output and `bwd`'s cotangents are checked against `f`'s output and arguments (structure, shapes,
 * dtypes). Forward mode is an error, as in JAX.
 * @example
 * const clipGrad = customVjp((x: NDArray) => x, (x: NDArray) => [x, null], (_: null, ct: NDArray) => [np.clip(ct, -1, 1)]);
 * grad((x: NDArray) => clipGrad(x).mul(5))(1); // 1
 */
export function customVjp<F extends AnyFn, R>(
  f: F,
  fwd: (...args: ArgArrays<F>) => readonly [LeafLike<Ret<F>>, R],
  bwd: (res: ArrayTree<R>, ct: ArrayTree<Ret<F>>) => LeafLike<Parameters<F>> | readonly LeafLike<Parameters<F>[number]>[],
): F {
  const name = fnName(f);
  const fwdName = `customVjp fwd of ${name}`;
  const bwdName = `customVjp bwd of ${name}`;
  return ((...args: Tree[]) => {
    if (currentLevel() === 0) return (f as unknown as (...a: Tree[]) => unknown)(...args);
    const [arrays, inDef] = flatArgs(args, "customVjp");
    const { jaxpr, hoisted, outDef } = stageUser(f, arrays, inDef, "customVjp");
    const outAvals = jaxpr.outAvals;
    const inAvals = arrays.map((a) => ({ shape: a.shape, dtype: a.dtype }));
    let resDef: TreeDef | null = null;
    // fwd and bwd are staged now, at the arguments' avals and at the residuals' and cotangents'.
    const fwdStaged = stageFlat(
      (xs) => {
        const result: unknown = fwd(...unflatten<ArgArrays<F>>(inDef, xs));
        if (!Array.isArray(result) || result.length !== 2) throw new TypeError(`${fwdName} must return [out, residuals]`);
        checkLike(fwdName, result[0] as Tree, outDef, outAvals, "the function's output");
        const [rl, rd] = flatten(result[1] as Tree, `${fwdName}: residual `);
        resDef = rd;
        return rl.map((r, i) => leafToArray(r, fwdName, `residual leaf ${i}`));
      },
      arrays,
      fwdName,
    );
    const resAvals = fwdStaged.jaxpr.outAvals;
    const bwdStaged = stageFlat(
      (xs) => {
        const nRes = resAvals.length;
        const grads: unknown = bwd(unflatten(resDef!, xs.slice(0, nRes)), unflatten(outDef, xs.slice(nRes)));
        if (!Array.isArray(grads)) throw new TypeError(`${bwdName} must return a JS array with one cotangent per argument`);
        return checkLike(bwdName, grads as Tree, inDef, inAvals.map(tangentOf), "the arguments'");
      },
      [...resAvals, ...outAvals.map(tangentOf)],
      bwdName,
    );
    const outs = bind(customVjpCallP, [...hoisted, ...fwdStaged.hoisted, ...bwdStaged.hoisted, ...arrays], {
      name,
      funJaxpr: jaxpr,
      fwdJaxpr: fwdStaged.jaxpr,
      bwdJaxpr: bwdStaged.jaxpr,
      numHoisted: [hoisted.length, fwdStaged.hoisted.length, bwdStaged.hoisted.length],
    });
    return unflatten(outDef, outs);
  }) as unknown as F;
}

/** Options of `checkpoint`. */
export interface CheckpointOptions {
  /** Which intermediate values reverse mode may keep (the rest are recomputed); default `nothingSaveable`. */
  policy?: CheckpointPolicy;
}

/**
 * `checkpoint(f, {policy})`: the same function, but reverse mode keeps only its inputs (and what
 * `policy` allows: `checkpointPolicies.dotsSaveable`, `saveOnlyTheseNames("a")` with
 * `checkpointName(x, "a")`…) and recomputes the rest of `f`'s forward pass during the backward
 * pass, trading compute for memory. Forward mode works as usual.
 * @example
 * const block = checkpoint((x: NDArray) => np.sin(np.sin(x)));
 * grad((x: NDArray) => np.sum(block(x)))(np.zeros([2])); // [1, 1]
 */
export function checkpoint<F extends AnyFn>(f: F, opts: CheckpointOptions = {}): F {
  const name = fnName(f);
  for (const k of Object.keys(opts)) if (k !== "policy") throw new TypeError(`checkpoint: unknown option "${k}" (known: policy)`);
  const policy = opts.policy ?? nothingSaveable;
  return ((...args: Tree[]) => {
    if (currentLevel() === 0) return (f as unknown as (...a: Tree[]) => unknown)(...args);
    const [arrays, inDef] = flatArgs(args, "checkpoint");
    const { jaxpr, hoisted, outDef } = stageUser(f, arrays, inDef, "checkpoint");
    const outs = bind(checkpointP, [...hoisted, ...arrays], { name, jaxpr, policy });
    return unflatten(outDef, outs);
  }) as unknown as F;
}
