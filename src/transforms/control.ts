/**
 * @file Structured control flow (JAX's `lax.cond`, `switch`, `whileLoop`, `foriLoop`, `scan`).
 *
 * With no transformation active they are plain JavaScript branches and loops (the eager fast
 * path). `cond`/`switch` whose index is known at every level (under `grad`/`jvp`, or `vmap` with
 * one predicate for all members) call the taken branch directly, as eagerly. Otherwise, under any
 * transformation (`grad`, `vmap`, `jit`, `makeJaxpr`…) they stage their functions
 * into closed jaxprs and bind one higher-order primitive (`cond`, `while`, `scan`, see
 * `higher-order/control.ts` and `loops.ts`) whose own rules differentiate, batch and stage it: a
 * staged loop is one equation whatever its length, and `whileLoop` is differentiable in reverse mode
 * too (JAX's is forward-only). Under `vmap`, a predicate that differs between members makes `cond`
 * run every branch and pick each member's result, and `whileLoop` run until no member's predicate
 * holds, members that are done keeping their state.
 */
import * as O from "fp-ts/lib/Option.js";
import { pipe } from "fp-ts/lib/function.js";
import type { Aval, NDArray } from "../core/ndarray.ts";
import { currentLevel, bind, dataBeneath, isTracer } from "../core/trace.ts";
import { ClosedJaxpr, Jaxpr, JaxprVar } from "../core/jaxpr.ts";
import { stageFlat } from "../interpreters/staging.ts";
import { condP } from "../higher-order/control.ts";
import { scanP, whileP } from "../higher-order/loops.ts";
import { asarray, zeros } from "../numpy/creation.ts";
import { less, notEqual, clip } from "../numpy/logic.ts";
import { stack } from "../numpy/shape.ts";
import { flatten, unflatten, sameStructure, structureKey, type Tree, type TreeDef } from "../tree/index.ts";
import { ShapeError, fmtShape } from "../core/errors.ts";
import { leafToArray } from "./common.ts";

const avalOf = (x: NDArray): Aval => ({ shape: x.shape, dtype: x.dtype });
const describeAval = (a: Aval): string => `${a.dtype}${fmtShape(a.shape)}`;
const describeValue = (x: unknown): string =>
  Array.isArray(x) ? `a list of ${x.length}` : x === null || x === undefined ? String(x) : typeof x === "object" ? "an object" : typeof x;

/** A tree's leaves as arrays, with its structure. */
function flatArrays(t: unknown, op: string, what: string): [NDArray[], TreeDef] {
  const [leaves, def] = flatten(t as Tree, `${op}: ${what}`);
  return [leaves.map((l, i) => leafToArray(l, op, `${what} leaf ${i}`)), def];
}

/** A scalar predicate or index, as one JS number (eager use: no transformation is active). */
function scalar(x: unknown, op: string, what: string): number {
  const a = asarray(x as NDArray, undefined, op, what);
  if (a.size !== 1 || a.ndim > 1) throw new ShapeError(`${op}: ${what} must be a scalar, got shape ${fmtShape(a.shape)}`);
  return a.item();
}

/** The scalar predicate or index as an array (staged use). */
function scalarArray(x: unknown, op: string, what: string): NDArray {
  const a = asarray(x as NDArray, undefined, op, what);
  if (a.size !== 1 || a.ndim > 1) throw new ShapeError(`${op}: ${what} must be a scalar, got shape ${fmtShape(a.shape)}`);
  return a.ndim === 0 ? a : a.reshape([]);
}

/** A scalar as a bool array: nonzero is true. */
const truth = (x: NDArray): NDArray => (x.dtype === "bool" ? x : notEqual(x, 0));

/** A JS number when `x` is concrete (a number or an array outside every transformation), none for a traced value. */
const concreteNumber = (x: unknown, op: string, what: string): O.Option<number> =>
  isTracer(x) ? O.none : O.some(scalar(x, op, what));

/**
 * The index as a JS number when every level beneath holds one value for it (under grad/jvp, or a
 * vmap whose predicate is the same for all members); none when it is staged (jit, makeJaxpr, the
 * body of a staged loop) or differs between batch members. With a known index `cond`/`switch` call
 * the taken branch directly under the active transformations, as they do eagerly: the same values
 * and derivatives as binding `cond`, without staging and differentiating every branch on each call.
 */
function knownIndex(x: NDArray): O.Option<number> {
  const v = dataBeneath(x);
  return v !== null && v.size === 1 ? O.some(v.data[0]!) : O.none;
}

/**
 * Checks that a function's output has the structure, shapes and dtypes of what it must match
 * (the other branch, or the carry it came from), as JAX checks when it traces.
 */
function checkMatches(op: string, what: string, want: [readonly Aval[], TreeDef], got: [readonly Aval[], TreeDef], weakNumbers: readonly boolean[] = []): void {
  if (!sameStructure(want[1], got[1])) {
    throw new TypeError(`${op}: ${what}: the tree structures differ: ${structureKey(want[1])} vs ${structureKey(got[1])}`);
  }
  want[0].forEach((w, i) => {
    const g = got[0][i]!;
    const shapeOk = w.shape.length === g.shape.length && w.shape.every((d, j) => d === g.shape[j]);
    const dtypeOk = w.dtype === g.dtype || (weakNumbers[i] === true && w.shape.length === 0);
    if (!shapeOk || !dtypeOk) {
      throw new ShapeError(`${op}: ${what}: leaf ${i} is ${describeAval(w)} in one and ${describeAval(g)} in the other; they must have the same shape and dtype`);
    }
  });
}

/** A function staged on tree-structured inputs: its closed jaxpr, captured tracers, and output structure. */
interface StagedFn {
  readonly jaxpr: ClosedJaxpr;
  readonly hoisted: NDArray[];
  /** The output avals and structure. */
  readonly out: [Aval[], TreeDef];
}

function stageFn(op: string, what: string, f: (xs: NDArray[]) => unknown, inAvals: readonly Aval[]): StagedFn {
  let out: [NDArray[], TreeDef] | null = null;
  const { jaxpr, hoisted } = stageFlat(
    (xs) => {
      out = flatArrays(f(xs), op, `${what}'s output`);
      return out[0];
    },
    inAvals,
    op,
  );
  return { jaxpr, hoisted, out: [jaxpr.outAvals, out![1]] };
}

/** `closed` (whose leading inputs are its own captured values `own`) as a jaxpr taking all of `all` first. */
function withLeadingInputs(closed: ClosedJaxpr, own: readonly NDArray[], all: readonly NDArray[]): ClosedJaxpr {
  const j = closed.jaxpr;
  let next = j.numVars;
  const lead = all.map((h) => {
    const k = own.indexOf(h);
    return k >= 0 ? j.invars[k]! : new JaxprVar(avalOf(h), next++);
  });
  return new ClosedJaxpr(new Jaxpr(j.constvars, [...lead, ...j.invars.slice(own.length)], j.eqns, j.outvars, next), closed.consts);
}

/** Stages each branch on the operands and binds `cond`: one equation whatever the branch taken. */
function stagedCond<A extends unknown[], R>(op: string, index: NDArray, fns: readonly ((...args: A) => R)[], names: readonly string[], operands: A): R {
  const [ops, inDef] = flatArrays(operands, op, "operands");
  const avals = ops.map(avalOf);
  const staged = fns.map((fn, k) => stageFn(op, names[k]!, (xs) => fn(...(unflatten(inDef, xs) as A)), avals));
  for (let k = 1; k < staged.length; k++) checkMatches(op, `${names[0]} and ${names[k]} return different outputs`, staged[0]!.out, staged[k]!.out);
  const all = [...new Set(staged.flatMap((s) => s.hoisted))];
  const branches = staged.map((s) => withLeadingInputs(s.jaxpr, s.hoisted, all));
  return unflatten<R>(staged[0]!.out[1], bind(condP, [index, ...all, ...ops], { branches }));
}

/**
 * Output signatures of branches staged only to check them against a taken branch, per function
 * and input avals (a few per function). A branch whose output structure follows a value it closes
 * over could meet a stale signature here: that can only raise or miss the agreement error, never
 * change a value, since the taken branch always runs afresh.
 */
const checkedBranches = new WeakMap<object, Map<string, [Aval[], TreeDef]>>();

/** The staged output signature of a branch not taken (from `checkedBranches` when known). */
function branchSignature(op: string, what: string, fn: (...args: never[]) => unknown, inDef: TreeDef, avals: readonly Aval[]): [Aval[], TreeDef] {
  const key = `${structureKey(inDef)}:${avals.map(describeAval).join(",")}`;
  let byAvals = checkedBranches.get(fn);
  const hit = byAvals?.get(key);
  if (hit) return hit;
  const sig = stageFn(op, what, (xs) => fn(...(unflatten(inDef, xs) as never[])), avals).out;
  if (!byAvals) checkedBranches.set(fn, (byAvals = new Map()));
  if (byAvals.size >= 8) byAvals.clear();
  byAvals.set(key, sig);
  return sig;
}

/**
 * `cond`/`switch` with an index known at every level: the taken branch runs directly under the
 * active transformations (the values and derivatives of binding `cond`, without staging every
 * branch and differentiating the staged program on each call); the others are checked to agree
 * with it, from their staged signatures.
 */
function takenBranch<A extends unknown[], R>(op: string, k: number, fns: readonly ((...args: A) => R)[], names: readonly string[], operands: A): R {
  const [ops, inDef] = flatArrays(operands, op, "operands");
  const avals = ops.map(avalOf);
  const result = fns[k]!(...operands);
  const [outs, outDef] = flatArrays(result, op, `${names[k]}'s output`);
  const sigs = fns.map((fn, j): [readonly Aval[], TreeDef] => (j === k ? [outs.map(avalOf), outDef] : branchSignature(op, names[j]!, fn, inDef, avals)));
  for (let j = 1; j < fns.length; j++) checkMatches(op, `${names[0]} and ${names[j]} return different outputs`, sigs[0]!, sigs[j]!);
  return result;
}

/**
 * `lax.cond(pred, trueFun, falseFun, ...operands)`: `trueFun(...operands)` if `pred` holds, else
 * `falseFun(...operands)`. Where the predicate is staged (`jit`, `makeJaxpr`) or batched (`vmap`)
 * both branches are staged (and must return the same structure, shapes and dtypes); under `vmap`
 * with a batched predicate both run and each member takes its own result. Where its value is known
 * (under `grad`/`jvp`, or one predicate for all members of a `vmap`) the taken branch runs
 * directly, and the other is checked against it from its staged signature (cached per function).
 * @example
 * lax.cond(np.array(2).gt(1), (x: number) => x * 10, (x: number) => x, 3); // 30
 * vmap((x: NDArray) => lax.cond(x.gt(0), (v: NDArray) => v.mul(2), (v: NDArray) => v.neg(), x))(np.array([-1, 3])); // [1, 6]
 */
export function cond<A extends unknown[], R>(pred: unknown, trueFun: (...args: A) => R, falseFun: (...args: A) => R, ...operands: A): R {
  if (currentLevel() === 0) return scalar(pred, "lax.cond", "the predicate") !== 0 ? trueFun(...operands) : falseFun(...operands);
  const index = truth(scalarArray(pred, "lax.cond", "the predicate")).astype("int32");
  const known = knownIndex(index);
  if (O.isSome(known)) return takenBranch("lax.cond", known.value, [falseFun, trueFun], ["falseFun", "trueFun"], operands);
  return stagedCond("lax.cond", index, [falseFun, trueFun], ["falseFun", "trueFun"], operands);
}

/**
 * `lax.switch(index, branches, ...operands)`: `branches[index](...operands)`, the index truncated
 * and clamped to the valid range as in JAX. Under `vmap` with a batched index every branch runs.
 * @example
 * lax.switch(1, [() => 10, () => 20, () => 30]); // 20
 */
export function switchCase<A extends unknown[], R>(index: unknown, branches: readonly ((...args: A) => R)[], ...operands: A): R {
  if (branches.length === 0) throw new TypeError("lax.switch: no branches given");
  const clamp = (k: number) => Math.min(Math.max(Math.trunc(k), 0), branches.length - 1);
  if (currentLevel() === 0) return branches[clamp(scalar(index, "lax.switch", "the index"))]!(...operands);
  const idx = clip(scalarArray(index, "lax.switch", "the index").astype("int32"), 0, branches.length - 1);
  const known = knownIndex(idx);
  if (O.isSome(known)) return takenBranch("lax.switch", known.value, branches, branches.map((_, k) => `branch ${k}`), operands);
  return stagedCond("lax.switch", idx, branches, branches.map((_, k) => `branch ${k}`), operands);
}
export { switchCase as switch };

/**
 * `lax.whileLoop(condFun, bodyFun, initVal)`: `val = bodyFun(val)` while `condFun(val)` holds;
 * `bodyFun` must keep the structure, shapes and dtypes of `initVal`. Differentiable forward and
 * reverse (JAX's is forward-only): reverse mode stacks each step's residuals. Under `vmap` with a
 * batched predicate it runs until no member's predicate holds; members that are done keep their value.
 * @example
 * lax.whileLoop((x: number) => x < 100, (x: number) => x * 3, 1); // 243
 */
export function whileLoop<T>(condFun: (val: T) => unknown, bodyFun: (val: T) => T, initVal: T): T {
  const op = "lax.whileLoop";
  if (currentLevel() === 0) {
    let val = initVal;
    let checked = false;
    while (scalar(condFun(val), op, "condFun's result") !== 0) {
      const next = bodyFun(val);
      if (!checked) {
        checkCarry(op, "bodyFun's output and initVal", val, next);
        checked = true;
      }
      val = next;
    }
    return val;
  }
  const [init, def] = flatArrays(initVal, op, "initVal");
  const avals = init.map(avalOf);
  const condStaged = stageFn(op, "condFun", (xs) => truth(scalarArray(condFun(unflatten<T>(def, xs)), op, "condFun's result")), avals);
  const bodyStaged = stageFn(op, "bodyFun", (xs) => bodyFun(unflatten<T>(def, xs)), avals);
  checkMatches(op, "bodyFun's output and initVal differ", [init, def], bodyStaged.out);
  const outs = bind(whileP, [...condStaged.hoisted, ...bodyStaged.hoisted, ...init], {
    condJaxpr: condStaged.jaxpr,
    bodyJaxpr: bodyStaged.jaxpr,
    condNConsts: condStaged.hoisted.length,
    bodyNConsts: bodyStaged.hoisted.length,
    numStacked: 0,
    numFlags: 0,
  });
  return unflatten<T>(def, outs);
}

/** Eager check of a loop's carry: the new value keeps the old one's structure, shapes and dtypes (JS numbers are weakly typed). */
function checkCarry(op: string, what: string, before: unknown, after: unknown): void {
  const [bl, bd] = flatten(before as Tree, `${op}: carry`);
  const [al, ad] = flatten(after as Tree, `${op}: carry`);
  const weak = bl.map((l, i) => typeof l === "number" || typeof al[i] === "number");
  checkMatches(op, what, [bl.map((l, i) => leafToArray(l, op, `leaf ${i}`)), bd], [al.map((l, i) => leafToArray(l, op, `leaf ${i}`)), ad], weak);
}

/**
 * `lax.foriLoop(lower, upper, bodyFun, initVal)`: `val = bodyFun(i, val)` for i = lower … upper − 1.
 * Under a transformation, number bounds make it a `scan` (`i` an int32 array), traced bounds a
 * `whileLoop` (bounds that differ between batch members included).
 * @example
 * lax.foriLoop(0, 5, (i: number, acc: number) => acc + i, 0); // 10
 */
export function foriLoop<T>(lower: unknown, upper: unknown, bodyFun: (i: number | NDArray, val: T) => T, initVal: T): T {
  const op = "lax.foriLoop";
  const lo = concreteNumber(lower, op, "lower");
  const hi = concreteNumber(upper, op, "upper");
  for (const [b, name] of [[lo, "lower"], [hi, "upper"]] as const) {
    if (O.isSome(b) && Number.isNaN(b.value)) throw new RangeError(`${op}: the ${name} bound is NaN`);
  }
  if (O.isSome(lo) && O.isSome(hi)) {
    if (currentLevel() === 0) {
      let val = initVal;
      for (let i = lo.value; i < hi.value; i++) val = bodyFun(i, val);
      return val;
    }
    const n = Math.max(0, Math.ceil(hi.value - lo.value));
    const i0 = asarray(lo.value, Number.isInteger(lo.value) ? "int32" : "float64");
    const [[, out]] = scan(([i, val]: [NDArray, T]) => [[i.add(1), bodyFun(i, val)] as [NDArray, T], null], [i0, initVal] as [NDArray, T], null, { length: n });
    return out;
  }
  const start = pipe(
    lo,
    O.match(
      () => asarray(lower as NDArray),
      (v) => asarray(v, Number.isInteger(v) ? "int32" : "float64"),
    ),
  );
  const [, out] = whileLoop(
    ([i]: [NDArray, T]) => less(i, upper as NDArray),
    ([i, val]: [NDArray, T]) => [i.add(1), bodyFun(i, val)] as [NDArray, T],
    [start, initVal] as [NDArray, T],
  );
  return out;
}

/**
 * `lax.scan(f, init, xs, {length, reverse})`: carries `c` through `[c, y] = f(c, x)` for each `x`
 * along the leading axis of `xs` (a tree of arrays, or `null` with `length`), and returns the final
 * carry and the `y`s stacked along a new leading axis (shape `[0, …]` for no steps). Under a
 * transformation the body is staged once: a scan of any length is one equation.
 * @example
 * const [total, running] = lax.scan((c: NDArray, x: NDArray) => [c.add(x), c.add(x)], np.array(0), np.array([1, 2, 3]));
 * total; // 6
 * running; // [1, 3, 6]
 */
export function scan<C, X, Y>(
  f: (carry: C, x: X) => [C, Y],
  init: C,
  xs: X | null,
  opts: { length?: number; reverse?: boolean } = {},
): [C, Y] {
  const op = "lax.scan";
  const [xLeaves, xDef] = flatArrays(xs, op, "xs");
  if (xLeaves.some((l) => l.ndim === 0)) throw new ShapeError("lax.scan: every array in xs needs a leading axis to scan over");
  const lengths = xLeaves.map((l) => l.shape[0]!);
  const n = opts.length ?? lengths[0];
  if (n === undefined) throw new TypeError("lax.scan: give xs or a length");
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`lax.scan: length must be a non-negative integer, got ${n}`);
  if (lengths.some((l) => l !== n)) throw new ShapeError(`lax.scan: xs and length disagree on the number of steps: ${[...new Set([...lengths, n])].join(", ")}`);
  const reverse = opts.reverse ?? false;
  if (currentLevel() === 0 && n > 0) {
    let carry = init;
    const ys: Tree[] = new Array(n);
    for (let k = 0; k < n; k++) {
      const t = reverse ? n - 1 - k : k;
      const out = f(carry, unflatten<X>(xDef, xLeaves.map((l) => l.get(t))));
      if (!Array.isArray(out) || out.length !== 2) throw new TypeError(`${op}: f must return [carry, y], got ${describeValue(out)}`);
      const [c, y] = out;
      if (k === 0) checkCarry(op, "f's carry output and init", carry, c);
      carry = c;
      ys[t] = y as Tree;
    }
    const [first, yDef] = flatten(ys[0]!, "lax.scan: f's output y");
    const columns = first.map((_, j) => stack(ys.map((y) => flatten(y, "lax.scan: f's output y")[0][j]!)));
    return [carry, unflatten<Y>(yDef, columns)];
  }
  const [carry, cDef] = flatArrays(init, op, "init");
  const nK = carry.length;
  let yDef: TreeDef | null = null;
  let cOut: [NDArray[], TreeDef] | null = null;
  const { jaxpr, hoisted } = stageFlat(
    (ins) => {
      const out = f(unflatten<C>(cDef, ins.slice(0, nK)), unflatten<X>(xDef, ins.slice(nK)));
      if (!Array.isArray(out) || out.length !== 2) throw new TypeError(`${op}: f must return [carry, y], got ${describeValue(out)}`);
      cOut = flatArrays(out[0], op, "f's carry output");
      const [yl, yd] = flatArrays(out[1], op, "f's output y");
      yDef = yd;
      return [...cOut[0], ...yl];
    },
    [...carry.map(avalOf), ...xLeaves.map((l) => ({ shape: l.shape.slice(1), dtype: l.dtype }))],
    op,
  );
  checkMatches(op, "f's carry output and init differ", [carry, cDef], [jaxpr.outAvals.slice(0, nK), cOut![1]]);
  if (currentLevel() === 0) {
    // No steps, eagerly: the carry as given and empty stacks shaped like the ys.
    return [init, unflatten<Y>(yDef!, jaxpr.outAvals.slice(nK).map((a) => zeros([0, ...a.shape], { dtype: a.dtype })))];
  }
  const outs = bind(scanP, [...hoisted, ...carry, ...xLeaves], { jaxpr, length: n, reverse, numConsts: hoisted.length, numCarry: nK });
  return [unflatten<C>(cDef, outs.slice(0, nK)), unflatten<Y>(yDef!, outs.slice(nK))];
}
export { dotGeneral, convGeneralDilated, reduceWindow } from "./lax-conv.ts";
export { customRoot, customLinearSolve } from "./implicit.ts";
