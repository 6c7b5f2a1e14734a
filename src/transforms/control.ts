/**
 * @file Structured control flow (JAX's `lax.cond`, `switch`, `whileLoop`, `foriLoop`, `scan`)
 * for code that runs under `vmap`, where a JS `if` or `while` cannot read a batched predicate.
 *
 * Values are concrete everywhere except under `vmap`, so these need no primitives of their own:
 * when the predicate (or index) is the same for every batch member, they simply run the chosen
 * branch or loop in JavaScript, and `grad`, `jvp` and `vmap` see ordinary operations, which makes
 * `whileLoop` differentiable in reverse mode too (JAX's is forward-only). When it differs between
 * members, they do what JAX's batching rules do: `cond`/`switch` run every branch and pick each
 * member's result with `np.where`; `whileLoop` runs until no member's predicate holds, and members
 * that are done keep their state. So under `vmap` an untaken branch still runs on every member.
 */
import type { NDArray } from "../core/ndarray.ts";
import { asarray } from "../numpy/creation.ts";
import { where, equal, less, clip } from "../numpy/math.ts";
import { stack } from "../numpy/shape.ts";
import { concreteBeneath } from "../core/trace.ts";
import { flatten, unflatten, sameStructure, type Tree } from "../tree/index.ts";
import { ShapeError, TracerConversionError, fmtShape } from "../core/errors.ts";

/** A scalar predicate or index, read once: the same JS number for every batch member, or the array itself when members differ. */
function read(x: unknown, op: string, what: string): number | NDArray {
  const a = asarray(x as NDArray, undefined, op, what);
  if (a.size !== 1 || a.ndim > 1) throw new ShapeError(`${op}: ${what} must be a scalar, got shape ${fmtShape(a.shape)}`);
  try {
    return a.item();
  } catch (e) {
    if (e instanceof TracerConversionError) return a;
    throw e;
  }
}

/** Whether any batch member of a (batched) value is nonzero: looks through every level down to the data. */
const anyMember = (x: NDArray): boolean => concreteBeneath(x, "lax.whileLoop").data.some((d) => d !== 0);

/** Per-member choice between two trees of one structure: `onTrue` where `pred` holds. */
function select(pred: NDArray, onTrue: Tree, onFalse: Tree, op: string): Tree {
  const [a, def] = flatten(onTrue, `${op}: a branch's output`);
  const [b, defB] = flatten(onFalse, `${op}: a branch's output`);
  if (!sameStructure(def, defB)) throw new TypeError(`${op}: the branches return trees of different structures`);
  return unflatten(def, a.map((x, i) => where(pred, x, b[i]!)));
}

/**
 * `lax.cond(pred, trueFun, falseFun, ...operands)`: `trueFun(...operands)` if `pred` holds, else
 * `falseFun(...operands)`. Under `vmap` with a batched predicate both run and each member takes its
 * own result.
 * @example
 * lax.cond(np.array(2).gt(1), (x: number) => x * 10, (x: number) => x, 3); // 30
 * vmap((x: NDArray) => lax.cond(x.gt(0), (v: NDArray) => v.mul(2), (v: NDArray) => v.neg(), x))(np.array([-1, 3])); // [1, 6]
 */
export function cond<A extends unknown[], R>(pred: unknown, trueFun: (...args: A) => R, falseFun: (...args: A) => R, ...operands: A): R {
  const p = read(pred, "lax.cond", "the predicate");
  if (typeof p === "number") return p !== 0 ? trueFun(...operands) : falseFun(...operands);
  return select(p, trueFun(...operands) as Tree, falseFun(...operands) as Tree, "lax.cond") as R;
}

/**
 * `lax.switch(index, branches, ...operands)`: `branches[index](...operands)`, the index clamped to
 * the valid range as in JAX. Under `vmap` with a batched index every branch runs.
 * @example
 * lax.switch(1, [() => 10, () => 20, () => 30]); // 20
 */
export function switchCase<A extends unknown[], R>(index: unknown, branches: readonly ((...args: A) => R)[], ...operands: A): R {
  if (branches.length === 0) throw new TypeError("lax.switch: no branches given");
  const i = read(index, "lax.switch", "the index");
  const clamp = (k: number) => Math.min(Math.max(Math.trunc(k), 0), branches.length - 1);
  if (typeof i === "number") return branches[clamp(i)]!(...operands);
  const outs = branches.map((b) => b(...operands) as Tree);
  // As the JS path: truncate and clamp, then pick branch k where index = k.
  const idx = clip(i.astype("int32"), 0, branches.length - 1);
  let out: Tree = outs[branches.length - 1];
  for (let k = branches.length - 2; k >= 0; k--) out = select(equal(idx, k), outs[k], out, "lax.switch");
  return out as R;
}
export { switchCase as switch };

/**
 * `lax.whileLoop(condFun, bodyFun, initVal)`: `val = bodyFun(val)` while `condFun(val)` holds.
 * Differentiable forward and reverse (the loop runs in JavaScript and its steps are recorded).
 * Under `vmap` with a batched predicate it runs until no member's predicate holds; members that
 * are done keep their value.
 * @example
 * lax.whileLoop((x: number) => x < 100, (x: number) => x * 3, 1); // 243
 */
export function whileLoop<T>(condFun: (val: T) => unknown, bodyFun: (val: T) => T, initVal: T): T {
  let val = initVal;
  for (;;) {
    const c = read(condFun(val), "lax.whileLoop", "condFun's result");
    if (typeof c === "number") {
      if (c === 0) return val;
      val = bodyFun(val);
    } else {
      if (!anyMember(c)) return val;
      val = select(c, bodyFun(val) as Tree, val as Tree, "lax.whileLoop") as T;
    }
  }
}

/**
 * `lax.foriLoop(lower, upper, bodyFun, initVal)`: `val = bodyFun(i, val)` for i = lower … upper − 1.
 * With bounds that differ between batch members it becomes a `whileLoop`.
 * @example
 * lax.foriLoop(0, 5, (i: number, acc: number) => acc + i, 0); // 10
 */
export function foriLoop<T>(lower: unknown, upper: unknown, bodyFun: (i: number | NDArray, val: T) => T, initVal: T): T {
  const lo = read(lower, "lax.foriLoop", "lower");
  const hi = read(upper, "lax.foriLoop", "upper");
  if (typeof lo === "number" && typeof hi === "number") {
    let val = initVal;
    for (let i = lo; i < hi; i++) val = bodyFun(i, val);
    return val;
  }
  const [, out] = whileLoop(
    ([i]: [NDArray, T]) => less(i, hi),
    ([i, val]: [NDArray, T]) => [i.add(1), bodyFun(i, val)] as [NDArray, T],
    [asarray(lo as NDArray), initVal] as [NDArray, T],
  );
  return out;
}

/**
 * `lax.scan(f, init, xs, {length, reverse})`: carries `c` through `[c, y] = f(c, x)` for each `x`
 * along the leading axis of `xs` (a tree of arrays, or `null` with `length`), and returns the final
 * carry and the `y`s stacked along a new leading axis.
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
  const [leaves, def] = flatten(xs as Tree, "lax.scan: xs");
  const lengths = leaves.map((l) => asarray(l).shape[0]);
  if (leaves.some((l) => asarray(l).ndim === 0)) throw new ShapeError("lax.scan: every array in xs needs a leading axis to scan over");
  const n = opts.length ?? lengths[0];
  if (n === undefined) throw new TypeError("lax.scan: give xs or a length");
  if (lengths.some((l) => l !== n)) throw new ShapeError(`lax.scan: xs and length disagree on the number of steps: ${[...new Set([...lengths, n])].join(", ")}`);
  let carry = init;
  const ys: Tree[] = [];
  for (let k = 0; k < n; k++) {
    const t = opts.reverse ? n - 1 - k : k;
    const x = unflatten<X>(def, leaves.map((l) => asarray(l).get(t)));
    const [c, y] = f(carry, x);
    carry = c;
    ys.push(y as Tree);
  }
  if (opts.reverse) ys.reverse();
  if (ys.length === 0) return [carry, null as Y];
  const [first, yDef] = flatten(ys[0]!, "lax.scan: f's output y");
  const columns = first.map((_, j) => stack(ys.map((y) => flatten(y, "lax.scan: f's output y")[0][j]!)));
  return [carry, unflatten<Y>(yDef, columns)];
}
