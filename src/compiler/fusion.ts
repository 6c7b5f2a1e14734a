/**
 * @file Fusion planning: which elementwise equations run together in one loop, which arrays are
 * strided views (broadcasts, transposes, reshapes) that fused loops read in place, and the order of
 * the program's steps (scalar statements, fused loops, kernel calls).
 */
import { producers, type ClosedJaxpr, type JaxprEqn, type JaxprVar } from "../core/jaxpr.ts";
import { broadcastInDimP, reshapeP, transposeP, type BroadcastParams, type TransposeParams } from "../primitives/structural.ts";
import { contiguousStrides } from "../kernels/strided.ts";
import { reduceMaxP, reduceMinP } from "../primitives/reduce.ts";
import { elementExpr, storeRounding } from "./elementwise.ts";
import { passOpOf } from "./chunk-wasm.ts";

/** An array read through strides from another (`base`), in the shape of the variable it stands for. */
export interface View {
  readonly base: JaxprVar;
  readonly strides: readonly number[];
}

export type Step =
  /** A 0-d elementwise equation, computed as a JS number. */
  | { readonly kind: "scalar"; readonly eqn: JaxprEqn }
  /** Elementwise equations of one shape (and reductions of their values) in one loop; `stored` are written to buffers. */
  | { readonly kind: "loop"; readonly members: readonly JaxprEqn[]; readonly shape: readonly number[]; readonly stored: readonly JaxprVar[] }
  /** Any other equation: its primitive's kernel (`impl`). */
  | { readonly kind: "call"; readonly eqn: JaxprEqn };

export interface FusionPlan {
  readonly steps: readonly Step[];
  /** Variables fused loops read through strides instead of materialising them. */
  readonly views: ReadonlyMap<JaxprVar, View>;
  /** The loop (index into `steps`) that computes each variable a loop computes. */
  readonly loopOf: ReadonlyMap<JaxprVar, number>;
}

const isViewPrim = (e: JaxprEqn): boolean =>
  e.prim === (broadcastInDimP as unknown) || e.prim === (reshapeP as unknown) || e.prim === (transposeP as unknown);

const isContiguous = (strides: readonly number[], shape: readonly number[]): boolean => {
  const c = contiguousStrides(shape);
  return shape.every((d, i) => d === 1 || c[i] === strides[i]);
};

/** The view `eqn` (a broadcast, transpose or reshape) makes of `inner`, or `undefined` when it is not strided. */
function composeView(eqn: JaxprEqn, inner: View, inShape: readonly number[]): View | undefined {
  const out = eqn.outs[0]!.aval.shape;
  if (eqn.prim === (transposeP as unknown)) {
    const { perm } = eqn.params as TransposeParams;
    return { base: inner.base, strides: perm.map((p) => inner.strides[p]!) };
  }
  if (eqn.prim === (broadcastInDimP as unknown)) {
    const { dims } = eqn.params as BroadcastParams;
    const strides = new Array<number>(out.length).fill(0);
    dims.forEach((d, i) => {
      if (!(inShape[i] === 1 && out[d] !== 1)) strides[d] = inner.strides[i]!;
    });
    return { base: inner.base, strides };
  }
  // A reshape is a view only of an array read in order.
  return isContiguous(inner.strides, inShape) ? { base: inner.base, strides: contiguousStrides(out) } : undefined;
}

/**
 * Plans the steps of `closed` (an optimised program). Elementwise equations of one shape join the
 * open loop of a producer; a loop closes (takes no more members) as soon as anything outside it
 * reads one of its values, so each loop can run at the place of its last member, after everything
 * it reads and before everything that reads it. An equation reading a kernel's output does not join
 * a loop that began before that kernel ran (its inputs would stay alive until the loop runs). A float64 reduction of a loop's value joins that
 * loop, accumulating into its output as the loop goes (in the reduction kernel's order).
 */
export function planFusion(closed: ClosedJaxpr): FusionPlan {
  const { eqns, outvars } = closed.jaxpr;
  const outSet = new Set(outvars);
  const views = new Map<JaxprVar, View>();
  const producer = producers(eqns);

  // Views: broadcasts, transposes and reshapes that are strided reads of an earlier array.
  const materialisedViews = new Set<JaxprEqn>();
  for (const e of eqns) {
    if (!isViewPrim(e) || e.outs[0]!.aval.shape.length === 0) continue;
    const x = e.inputs[0]!;
    const inner = views.get(x) ?? { base: x, strides: contiguousStrides(x.aval.shape) };
    const v = composeView(e, inner, x.aval.shape);
    if (v) views.set(e.outs[0]!, v);
  }
  // Groups, by union–find over equation indices; a view's readers decide whether it is materialised.
  const group = new Map<JaxprEqn, { members: JaxprEqn[]; open: boolean; shape: readonly number[] }>();
  const fusable = (e: JaxprEqn) => elementExpr(e.prim) !== undefined && e.outs.length === 1 && e.outs[0]!.aval.shape.length > 0;
  const closeReaderOf = (v: JaxprVar, by: JaxprEqn | null) => {
    const p = producer.get(v);
    const g = p && group.get(p);
    if (g && (by === null || group.get(by) !== g)) g.open = false;
  };
  const index = new Map(eqns.map((x, i) => [x, i]));
  for (const e of eqns) {
    if (isViewPrim(e) && views.has(e.outs[0]!)) {
      // Its readers read the base: the base's loop must be complete before them.
      closeReaderOf(views.get(e.outs[0]!)!.base, null);
      closeReaderOf(e.inputs[0]!, null);
      continue;
    }
    if (isFusableReduction(e)) {
      // A float64 sum/max/min joins the loop computing its operand, accumulating as it goes.
      const x = e.inputs[0]!;
      const p = producer.get(x);
      const g = p && group.get(p);
      if (g && g.open && sameShape(g.shape, x.aval.shape)) {
        g.members.push(e);
        group.set(e, g);
        continue;
      }
    }
    if (!fusable(e)) {
      for (const v of e.inputs) closeReaderOf(v, null);
      continue;
    }
    const shape = e.outs[0]!.aval.shape;
    const candidates = new Set<{ members: JaxprEqn[]; open: boolean; shape: readonly number[] }>();
    // The latest kernel call (not a loop member) whose array output `e` reads: joining a loop that
    // started before it would keep that loop's inputs alive until then (a gradient summed over 100
    // steps would hold 100 products at once); `e` starts a loop of its own instead. (0-d values,
    // JS numbers in the generated code, hold no buffer.)
    let latestCall = -1;
    for (const v of e.inputs) {
      const p = producer.get(v);
      if (p && !group.has(p) && !isViewPrim(p) && v.aval.shape.length > 0) latestCall = Math.max(latestCall, index.get(p)!);
    }
    for (const v of e.inputs) {
      const p = producer.get(v);
      const g = p && group.get(p);
      if (g && g.open && sameShape(g.shape, shape) && index.get(g.members[0]!)! > latestCall) candidates.add(g);
    }
    const merged = { members: [] as JaxprEqn[], open: true, shape };
    for (const g of candidates) merged.members.push(...g.members);
    merged.members.push(e);
    // Members keep program order (a merged loop computes them in it).
    merged.members.sort((a, b) => index.get(a)! - index.get(b)!);
    for (const m of merged.members) group.set(m, merged);
    for (const v of e.inputs) closeReaderOf(v, e);
  }
  // A view is materialised (by its kernel) where something other than a loop reads it.
  const readers = new Map<JaxprVar, JaxprEqn[]>();
  for (const e of eqns) {
    for (const v of e.inputs) {
      const list = readers.get(v);
      if (list) list.push(e);
      else readers.set(v, [e]);
    }
  }
  // Backwards, so that a view read by a materialised view is materialised too.
  for (let k = eqns.length - 1; k >= 0; k--) {
    const e = eqns[k]!;
    const o = e.outs[0]!;
    if (!isViewPrim(e) || !views.has(o)) continue;
    const byLoopsOnly = (readers.get(o) ?? []).every((r) => group.has(r) || (isViewPrim(r) && views.has(r.outs[0]!) && !materialisedViews.has(r)));
    if (!byLoopsOnly || outSet.has(o)) materialisedViews.add(e);
  }
  // Steps in program order; a loop at its last member.
  const steps: Step[] = [];
  const loopOf = new Map<JaxprVar, number>();
  const lastMember = new Map<JaxprEqn, JaxprEqn>();
  for (const g of new Set(group.values())) lastMember.set(g.members[g.members.length - 1]!, g.members[0]!);
  for (const e of eqns) {
    if (isViewPrim(e) && views.has(e.outs[0]!)) {
      if (materialisedViews.has(e)) steps.push({ kind: "call", eqn: e });
      continue;
    }
    const g = group.get(e);
    if (g) {
      if (!lastMember.has(e)) continue;
      const memberSet = new Set(g.members);
      const stored = g.members
        .map((m) => m.outs[0]!)
        .filter((o) => outSet.has(o) || (readers.get(o) ?? []).some((r) => !memberSet.has(r)));
      for (const m of g.members) loopOf.set(m.outs[0]!, steps.length);
      steps.push({ kind: "loop", members: g.members, shape: g.shape, stored });
      continue;
    }
    if (elementExpr(e.prim) !== undefined && e.outs.length === 1 && e.outs[0]!.aval.shape.length === 0) steps.push({ kind: "scalar", eqn: e });
    else steps.push({ kind: "call", eqn: e });
  }
  sinkArithmeticTails(steps, loopOf, readers, outSet, views);
  return { steps, views, loopOf };
}

/**
 * Float64 arithmetic whose value a loop stores only for one later loop, computed from a value the
 * first loop stores anyway (and numbers), moves into that later loop: the first loop writes one
 * array less and the later one reads the stored value instead of the moved one, so no array is
 * read more. The operations and their order are unchanged, so are the bits. In a tanh layer's
 * gradient: 1 − h² is computed where the backward pass multiplies by it, from h, which the next
 * product reads anyway, instead of being written next to h in the forward loop.
 */
function sinkArithmeticTails(
  steps: Step[],
  loopOf: Map<JaxprVar, number>,
  readers: ReadonlyMap<JaxprVar, readonly JaxprEqn[]>,
  outSet: ReadonlySet<JaxprVar>,
  views: ReadonlyMap<JaxprVar, View>,
): void {
  /** A 0-d value, or a broadcast of one: a number in a loop. */
  const isNumber = (v: JaxprVar): boolean => (views.get(v)?.base ?? v).aval.shape.length === 0;
  const cheap = (e: JaxprEqn): boolean => {
    const expr = elementExpr(e.prim);
    if (expr === undefined || e.outs[0]!.aval.dtype !== "float64" || e.inputs.some((v) => v.aval.dtype !== "float64")) return false;
    return passOpOf((args) => storeRounding("float64", expr(args, e.params)), e.inputs.length) !== undefined;
  };
  /** Moves one tail if some loop has one; false when none is left. */
  const sinkOne = (): boolean => {
    for (let a = 0; a < steps.length; a++) {
      const first = steps[a]!;
      if (first.kind !== "loop") continue;
      for (const d of first.stored) {
        const dReaders = readers.get(d) ?? [];
        const b = loopOf.get(dReaders[0]?.outs[0] as JaxprVar);
        const second = b === undefined ? undefined : steps[b];
        if (outSet.has(d) || b === undefined || b <= a || second?.kind !== "loop" || !sameShape(second.shape, first.shape)) continue;
        if (!dReaders.every((r) => second.members.includes(r))) continue;
        // The chain computing d from one value `first` stores anyway and numbers, its members read only inside it.
        const inFirst = new Map(first.members.map((m) => [m.outs[0]!, m]));
        const chain = new Set<JaxprEqn>();
        const sources = new Set<JaxprVar>();
        const grow = (v: JaxprVar): boolean => {
          const m = inFirst.get(v);
          if (m === undefined) return isNumber(v);
          if (v !== d && first.stored.includes(v)) {
            sources.add(v);
            return true;
          }
          if (chain.has(m)) return true;
          if (!cheap(m)) return false;
          chain.add(m);
          return m.inputs.every(grow);
        };
        if (!grow(d) || sources.size !== 1) continue;
        if (![...chain].every((m) => m.outs[0] === d || (readers.get(m.outs[0]!) ?? []).every((r) => chain.has(r)))) continue;
        const moved = first.members.filter((m) => chain.has(m));
        steps[a] = { ...first, members: first.members.filter((m) => !chain.has(m)), stored: first.stored.filter((v) => v !== d) };
        steps[b] = { ...second, members: [...moved, ...second.members] };
        for (const m of moved) loopOf.set(m.outs[0]!, b);
        return true;
      }
    }
    return false;
  };
  while (sinkOne());
}

/**
 * Reductions a loop can carry out exactly as the kernel does: float64 maxima and minima (order-free).
 * Sums stay kernel calls: the kernel adds pairwise (for accuracy), an order a running loop does not follow.
 */
export const isFusableReduction = (e: JaxprEqn): boolean =>
  (e.prim === (reduceMaxP as unknown) || e.prim === (reduceMinP as unknown)) && e.outs[0]!.aval.dtype === "float64";

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);
