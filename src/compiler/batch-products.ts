/**
 * @file Independent matrix products batched into one larger product: a sum of products with the
 * same dimension numbers and shapes becomes a product over operands concatenated along a contracted
 * axis, and products sharing an operand, whose other operands depend on none of them, become one
 * product over the others concatenated along a free axis, sliced back.
 */
import { ConcreteArray } from "../core/ndarray.ts";
import type { ClosedJaxpr, JaxprEqn, JaxprVar } from "../core/jaxpr.ts";
import { addP } from "../primitives/binary.ts";
import { dotGeneralP, freeAxes, type DotParams } from "../primitives/contraction.ts";
import { concatenateP, sliceP, type SliceParams } from "../primitives/structural.ts";
import { paramsKey, recurse, Rewriter } from "./rewrite.ts";

/**
 * Products of at least this many multiply-adds (m·k·n) are left alone: the kernel already runs them
 * on every thread near its peak (`threadMinWork` in src/kernels/matmul-wasm.ts), so batching them
 * would only add the copies.
 */
export const BATCH_MAX_WORK = 128 * 128 * 128;

/**
 * Products of fewer multiply-adds than this are left alone. Measured with and without the pass
 * alternated in one process (16 steps, batch 32, hidden H; two cores busy with other work): the
 * gradient of an RNN (sums of hᵀ·dz, 32·H² multiply-adds each) took 1.3× to 3× longer batched for
 * H = 4 to 24 and the same at H = 32; shared-weight products ([32, H]·[H, H]) ranged from 0.77× to
 * 1.27× with no trend. The concatenations and slices, and the buffers they keep alive, cost about
 * what the saved calls and additions do, and the kernel runs each product near its single-thread peak.
 */
export const BATCH_MIN_WORK = 32 * 32 * 32;

/**
 * Rows and columns (m and n) of a product below this are left alone: such products are
 * matrix-vector-like, memory-bound, and concatenating their operands copies as much as the product
 * reads (the WebAssembly kernel also needs 4 × 4 tiles).
 */
export const BATCH_MIN_DIM = 4;

/**
 * The contracted length of a batched sum stays at most this: beyond it (`SPLIT_K` in
 * src/kernels/matmul.ts) the kernel cuts the inner dimension into blocks added pairwise, with
 * scratch allocations, which measured slower than separate products of this depth added.
 */
export const BATCH_MAX_DEPTH = 1024;

/** Concatenations of constants up to this many elements are made at compile time (as `layout` copies constants). */
const FOLD_CONCAT_MAX = 1 << 20;

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
const isDot = (e: JaxprEqn): boolean => e.prim === (dotGeneralP as unknown);
const isAdd = (e: JaxprEqn): boolean => e.prim === (addP as unknown);

/** The sizes m, k, n of a product as the kernel sees it (batch axes aside). */
function dims(e: JaxprEqn): { m: number; k: number; n: number } {
  const [l, r] = e.inputs as [JaxprVar, JaxprVar];
  const p = e.params as DotParams;
  const lf = freeAxes(l.aval.shape.length, p.lhsContract, p.lhsBatch);
  const rf = freeAxes(r.aval.shape.length, p.rhsContract, p.rhsBatch);
  return {
    m: prod(lf.map((a) => l.aval.shape[a]!)),
    k: prod(p.lhsContract.map((a) => l.aval.shape[a]!)),
    n: prod(rf.map((a) => r.aval.shape[a]!)),
  };
}

/** Whether a product may be batched at all: float64, small enough to gain, wide enough not to lose. */
function batchable(e: JaxprEqn): boolean {
  if (!isDot(e) || e.inputs[0]!.aval.dtype !== "float64" || e.inputs[1]!.aval.dtype !== "float64") return false;
  const { m, k, n } = dims(e);
  const batch = prod((e.params as DotParams).lhsBatch.map((a) => e.inputs[0]!.aval.shape[a]!));
  const work = batch * m * k * n;
  return m >= BATCH_MIN_DIM && n >= BATCH_MIN_DIM && work >= BATCH_MIN_WORK && work < BATCH_MAX_WORK;
}

/** How many times each variable is read: by equations (once per operand position) and as an output. */
function countUses(closed: ClosedJaxpr): Map<JaxprVar, number> {
  const uses = new Map<JaxprVar, number>();
  const use = (v: JaxprVar) => uses.set(v, (uses.get(v) ?? 0) + 1);
  for (const e of closed.jaxpr.eqns) e.inputs.forEach(use);
  closed.jaxpr.outvars.forEach(use);
  return uses;
}

/** `xs` (float64 constants) concatenated along `axis`, copied element for element (−0 stays −0). */
function concatConstants(xs: readonly ConcreteArray[], axis: number): ConcreteArray {
  const shape = [...xs[0]!.shape];
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis]!, 0);
  const outer = prod(shape.slice(0, axis));
  const inner = prod(shape.slice(axis + 1));
  const out = new Float64Array(prod(shape));
  let at = 0;
  for (const x of xs) {
    const block = x.shape[axis]! * inner;
    for (let o = 0; o < outer; o++) out.set(x.data.subarray(o * block, (o + 1) * block), o * shape[axis]! * inner + at);
    at += block;
  }
  return new ConcreteArray(out, shape, "float64");
}

/**
 * Concatenations for one rewrite: of constants, made once at compile time (and once per list of
 * constants, so two products reading the same list share it); of other values, an equation.
 */
class Concatenator {
  private readonly values = new Map<JaxprVar, ConcreteArray>();
  private readonly made = new Map<string, JaxprVar>();
  constructor(private readonly rw: Rewriter) {
    rw.constvars.forEach((v, i) => {
      const c = rw.consts[i];
      if (c instanceof ConcreteArray && c.dtype === "float64") this.values.set(v, c);
    });
  }
  of(vars: readonly JaxprVar[], axis: number): JaxprVar {
    const consts = vars.map((v) => this.values.get(v));
    const shape = [...vars[0]!.aval.shape];
    shape[axis] = vars.reduce((s, v) => s + v.aval.shape[axis]!, 0);
    if (consts.every((c) => c !== undefined) && prod(shape) <= FOLD_CONCAT_MAX) {
      const key = `${axis}:${vars.map((v) => v.id).join(",")}`;
      let k = this.made.get(key);
      if (k === undefined) this.made.set(key, (k = this.rw.constant(concatConstants(consts as ConcreteArray[], axis))));
      return k;
    }
    return this.rw.emit(concatenateP as JaxprEqn["prim"], vars, { axis }, [{ shape, dtype: vars[0]!.aval.dtype }])[0]!;
  }
}

/**
 * Batches independent matrix products, in the program and in every sub-jaxpr (each on its own):
 * first sums of products, then products sharing an operand. Float64 products only, each under
 * `BATCH_MAX_WORK` multiply-adds with m, n ≥ `BATCH_MIN_DIM`. Results equal the unbatched program's to
 * rounding: the terms of each sum are added in another order (see `batchSums`, `batchShared`).
 */
export function batchProducts(closed: ClosedJaxpr): ClosedJaxpr {
  const inner = recurse(closed, batchProducts);
  return batchShared(batchSums(inner));
}

/** The leaves of the sum rooted at `root` (an add), descending through adds nothing else reads. */
function sumLeaves(root: JaxprEqn, producer: ReadonlyMap<JaxprVar, JaxprEqn>, uses: ReadonlyMap<JaxprVar, number>, inner: Set<JaxprEqn>): JaxprVar[] {
  const leaves: JaxprVar[] = [];
  const stack = [...root.inputs].reverse();
  while (stack.length > 0) {
    const v = stack.pop()!;
    const e = producer.get(v);
    if (e !== undefined && isAdd(e) && uses.get(v) === 1) {
      inner.add(e);
      stack.push(...[...e.inputs].reverse());
    } else leaves.push(v);
  }
  return leaves;
}

/** Consecutive runs of `items`, as even as possible, each at most `most` long. */
function chunks<T>(items: readonly T[], most: number): T[][] {
  const count = Math.ceil(items.length / most);
  const out: T[][] = [];
  for (let g = 0, at = 0; g < count; g++) {
    const size = Math.ceil((items.length - at) / (count - g));
    out.push(items.slice(at, at + size));
    at += size;
  }
  return out;
}

/**
 * Sums of products: in a tree of `add`s whose inner sums nothing else reads, products read only by
 * the tree, with the same dimension numbers, operand shapes and dtypes, become one product over
 * their operands concatenated along the first contracted axis: Σᵢ Aᵢ·Bᵢ = [A₁ … Aₙ]·[B₁; …; Bₙ]
 * (in runs whose contracted length stays within `BATCH_MAX_DEPTH`, the runs' products then added).
 * The new product sits where the sum's root was, after every operand. The kernel sums the
 * concatenated terms in its own order: each element is a sum of the same N terms as before (N the
 * total contracted length), so both agree with the exact sum within N·ε·Σ|terms|.
 */
export function batchSums(closed: ClosedJaxpr): ClosedJaxpr {
  const { eqns } = closed.jaxpr;
  const uses = countUses(closed);
  const producer = new Map<JaxprVar, JaxprEqn>();
  for (const e of eqns) for (const o of e.outs) producer.set(o, e);
  // An add whose output only another add reads is inside a larger sum; the others are roots.
  const readByAdd = new Set<JaxprVar>();
  for (const e of eqns) if (isAdd(e)) for (const v of e.inputs) readByAdd.add(v);
  const dropped = new Set<JaxprEqn>();
  const plans = new Map<JaxprEqn, { groups: JaxprEqn[][]; rest: JaxprVar[] }>();
  for (const root of eqns) {
    if (!isAdd(root) || (uses.get(root.outs[0]!) === 1 && readByAdd.has(root.outs[0]!))) continue;
    const inner = new Set<JaxprEqn>();
    const leaves = sumLeaves(root, producer, uses, inner);
    const buckets = new Map<string, JaxprEqn[]>();
    const rest: JaxprVar[] = [];
    for (const v of leaves) {
      const e = producer.get(v);
      if (e === undefined || uses.get(v) !== 1 || !batchable(e) || (e.params as DotParams).lhsContract.length === 0) {
        rest.push(v);
        continue;
      }
      const key = `${paramsKey(e.params)}|${e.inputs.map((x) => x.aval.shape.join(",")).join("|")}`;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(e);
      else buckets.set(key, [e]);
    }
    const groups: JaxprEqn[][] = [];
    for (const bucket of buckets.values()) {
      const perRun = Math.floor(BATCH_MAX_DEPTH / dims(bucket[0]!).k);
      for (const run of perRun >= 2 ? chunks(bucket, perRun) : bucket.map((e) => [e])) {
        if (run.length >= 2) groups.push(run);
        else rest.push(...run.map((e) => e.outs[0]!));
      }
    }
    if (groups.length === 0) continue;
    for (const e of inner) dropped.add(e);
    for (const g of groups) for (const e of g) dropped.add(e);
    plans.set(root, { groups, rest });
  }
  if (plans.size === 0) return closed;
  const rw = new Rewriter(closed);
  const concat = new Concatenator(rw);
  for (const e of eqns) {
    const plan = plans.get(e);
    if (plan !== undefined) {
      rw.replace(e.outs[0]!, emitSum(rw, concat, plan.groups, plan.rest, e.params));
      continue;
    }
    if (!dropped.has(e)) rw.keep(e);
  }
  return rw.finish();
}

/** The batched products of `groups` and the other terms `rest`, added left to right. */
function emitSum(rw: Rewriter, concat: Concatenator, groups: readonly JaxprEqn[][], rest: readonly JaxprVar[], addParams: unknown): JaxprVar {
  const terms: JaxprVar[] = groups.map((g) => {
    const p = g[0]!.params as DotParams;
    const lhs = concat.of(g.map((e) => rw.get(e.inputs[0]!)), p.lhsContract[0]!);
    const rhs = concat.of(g.map((e) => rw.get(e.inputs[1]!)), p.rhsContract[0]!);
    return rw.emit(g[0]!.prim, [lhs, rhs], p, [g[0]!.outs[0]!.aval])[0]!;
  });
  terms.push(...rest.map((v) => rw.get(v)));
  const aval = groups[0]![0]!.outs[0]!.aval;
  return terms.reduce((s, t) => rw.emit(addP as JaxprEqn["prim"], [s, t], addParams, [aval])[0]!);
}

/** A group of products sharing one operand, to be computed at equation `at` (before it). */
interface SharedGroup {
  readonly members: JaxprEqn[];
  /** Which side the shared operand is on. */
  readonly side: 0 | 1;
  /** The earliest equation before which every operand exists, and the first that reads an output. */
  lo: number;
  hi: number;
  /** The groups whose outputs it reads (filled in by `settle`). */
  needs: SharedGroup[];
}

/**
 * Products sharing an operand: products with the same dimension numbers, the same variable on one
 * side and operands of one shape on the other become one product over the other operands
 * concatenated along their first free axis (`[X₁; …; Xₙ]·W`, or `W·[Y₁ … Yₙ]`), whose slices
 * replace them. Legal when the new product can sit after every operand's definition and before
 * every read of any of the products: then no operand depends on one of the products, directly or
 * through other equations (a read of that product would come before the operand). Each output
 * element is the same sum of k terms as before, which the kernel may add in another order (its
 * blocking depends on the shape): equal within k·ε·Σ|terms|.
 */
export function batchShared(closed: ClosedJaxpr): ClosedJaxpr {
  const { eqns, outvars } = closed.jaxpr;
  const defAt = new Map<JaxprVar, number>();
  eqns.forEach((e, i) => e.outs.forEach((o) => defAt.set(o, i)));
  const firstRead = new Map<JaxprVar, number>();
  eqns.forEach((e, i) => e.inputs.forEach((v) => firstRead.has(v) || firstRead.set(v, i)));
  for (const v of outvars) if (!firstRead.has(v)) firstRead.set(v, eqns.length);
  // Inputs and constants exist before the first equation.
  const after = (v: JaxprVar): number => (defAt.get(v) ?? -1) + 1;
  const candidates = eqns.filter((e) => batchable(e) && e.outs.length === 1);
  const grouped = new Set<JaxprEqn>();
  const groups: SharedGroup[] = [];
  // Weights usually sit on the right (x·W), so the right side is tried first.
  for (const side of [1, 0] as const) {
    const buckets = new Map<string, JaxprEqn[]>();
    for (const e of candidates) {
      if (grouped.has(e)) continue;
      const other = e.inputs[1 - side]!;
      const p = e.params as DotParams;
      if (freeAxes(other.aval.shape.length, side === 1 ? p.lhsContract : p.rhsContract, side === 1 ? p.lhsBatch : p.rhsBatch).length === 0) continue;
      const key = `${e.inputs[side]!.id}|${paramsKey(p)}|${other.aval.shape.join(",")}`;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(e);
      else buckets.set(key, [e]);
    }
    for (const bucket of buckets.values()) {
      let open: SharedGroup | undefined;
      const close = () => {
        if (open !== undefined && open.members.length >= 2) {
          groups.push(open);
          open.members.forEach((e) => grouped.add(e));
        }
      };
      for (const e of bucket) {
        const lo = Math.max(after(e.inputs[0]!), after(e.inputs[1]!));
        const hi = firstRead.get(e.outs[0]!) ?? eqns.length;
        // A member reading another's output directly is a dependence the window does not see (the read is the member itself).
        const readsMember = open !== undefined && open.members.some((m) => e.inputs.includes(m.outs[0]!));
        if (open !== undefined && !readsMember && Math.max(open.lo, lo) <= Math.min(open.hi, hi)) {
          open.members.push(e);
          open.lo = Math.max(open.lo, lo);
          open.hi = Math.min(open.hi, hi);
        } else {
          close();
          open = { members: [e], side, lo, hi, needs: [] };
        }
      }
      close();
    }
  }
  const live = settle(groups, eqns);
  if (live.length === 0) return closed;
  const taken = new Set(live.flatMap((g) => g.members));
  const at = new Map<number, SharedGroup[]>();
  for (const g of live) at.set(g.lo, [...(at.get(g.lo) ?? []), g]);
  const rw = new Rewriter(closed);
  const concat = new Concatenator(rw);
  const emitted = new Set<SharedGroup>();
  const emitAt = (i: number) => {
    // Groups due at one place, each after the groups whose outputs it reads.
    let pending = at.get(i) ?? [];
    while (pending.length > 0) {
      const ready = pending.filter((g) => g.needs.every((d) => emitted.has(d) || !pending.includes(d)));
      // Data flows one way, so some group is always ready.
      if (ready.length === 0) throw new Error("batchShared: groups reading each other");
      for (const g of ready) {
        emitShared(rw, concat, g);
        emitted.add(g);
      }
      pending = pending.filter((g) => !emitted.has(g));
    }
  };
  eqns.forEach((e, i) => {
    emitAt(i);
    if (!taken.has(e)) rw.keep(e);
  });
  emitAt(eqns.length);
  return rw.finish();
}

/**
 * Moves each group after the groups whose outputs it reads (a member's output exists once its
 * group is computed, at its `lo`), dropping groups that then no longer fit before their first read,
 * until nothing moves; returns the groups kept, each with the groups it reads in `needs`.
 */
function settle(groups: readonly SharedGroup[], eqns: readonly JaxprEqn[]): SharedGroup[] {
  const producer = new Map<JaxprVar, JaxprEqn>();
  for (const e of eqns) for (const o of e.outs) producer.set(o, e);
  const groupOf = new Map<JaxprEqn, SharedGroup>();
  for (const g of groups) for (const e of g.members) groupOf.set(e, g);
  const reads = (g: SharedGroup): SharedGroup[] => {
    const out = new Set<SharedGroup>();
    for (const e of g.members) for (const v of e.inputs) {
      const d = groupOf.get(producer.get(v)!);
      if (d !== undefined && d !== g) out.add(d);
    }
    return [...out];
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const g of groups) {
      if (groupOf.get(g.members[0]!) !== g) continue;
      for (const d of reads(g)) g.lo = Math.max(g.lo, d.lo);
      if (g.lo > g.hi) {
        for (const e of g.members) groupOf.delete(e);
        changed = true;
      }
    }
  }
  const live = groups.filter((g) => groupOf.get(g.members[0]!) === g);
  for (const g of live) g.needs = reads(g);
  return live;
}

/** The batched product of a group and the slices standing for its members' outputs. */
function emitShared(rw: Rewriter, concat: Concatenator, g: SharedGroup): void {
  const first = g.members[0]!;
  const p = first.params as DotParams;
  const otherSide = 1 - g.side;
  const others = g.members.map((e) => rw.get(e.inputs[otherSide]!));
  const ndim = others[0]!.aval.shape.length;
  const lf = freeAxes(first.inputs[0]!.aval.shape.length, p.lhsContract, p.lhsBatch);
  const axis = otherSide === 0 ? lf[0]! : freeAxes(ndim, p.rhsContract, p.rhsBatch)[0]!;
  // The output's axes: batch, then the left operand's free axes, then the right one's.
  const outAxis = p.lhsBatch.length + (otherSide === 0 ? 0 : lf.length);
  const joined = concat.of(others, axis);
  const shared = rw.get(first.inputs[g.side]!);
  const outShape = [...first.outs[0]!.aval.shape];
  outShape[outAxis] = outShape[outAxis]! * g.members.length;
  const [out] = rw.emit(first.prim, otherSide === 0 ? [joined, shared] : [shared, joined], p, [{ shape: outShape, dtype: first.outs[0]!.aval.dtype }]);
  const step = outShape.map(() => 1);
  g.members.forEach((e, i) => {
    const aval = e.outs[0]!.aval;
    const start = outShape.map((_, a) => (a === outAxis ? i * aval.shape[a]! : 0));
    const params: SliceParams = { start, step, size: [...aval.shape] };
    rw.replace(e.outs[0]!, rw.emit(sliceP as JaxprEqn["prim"], [out!], params, [aval])[0]!);
  });
}
