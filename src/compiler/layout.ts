/**
 * @file Constant operands of matrix products laid out, once, as the kernel reads them: a constant
 * the kernel would read transposed (or copy into order at every call) becomes a constant stored in
 * [batch, rows, cols] order, with the product's dimension numbers renumbered to match — the
 * WebAssembly kernel then copies it in with one block copy instead of a transposing loop.
 */
import { ConcreteArray } from "../core/ndarray.ts";
import type { ClosedJaxpr, JaxprVar } from "../core/jaxpr.ts";
import { transposeData } from "../kernels/strided.ts";
import { dotGeneralP, freeAxes, keepsOrder, type DotParams } from "../primitives/contraction.ts";
import { recurse, Rewriter } from "./rewrite.ts";

/** Constants up to this many elements are re-laid out (a copy of this size is kept per program). */
export const LAYOUT_MAX_ELEMENTS = 1 << 20;

/**
 * Products with a longer inner dimension are left alone: there the kernel (`matmulData`, beyond its
 * `SPLIT_K` of 1024) takes other paths for operands read in place than for transposed ones, so a
 * re-laid-out operand would round differently.
 */
const MAX_DEPTH = 1024;

const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);



/** `x` permuted to `perm`, as a new constant array. */
function permuted(x: ConcreteArray, perm: readonly number[]): ConcreteArray {
  const out = new Float64Array(x.data.length);
  transposeData(x.data, x.shape, perm, out);
  return new ConcreteArray(out, perm.map((p) => x.shape[p]!), "float64");
}

/**
 * Re-lays out the float64 constant operands of `dotGeneral` that the kernel does not read in
 * [batch, rows, cols] order. Results are unchanged to the bit: the kernels lay a transposed operand
 * out in that same order before multiplying, which is now done once here.
 */
export function layout(closed: ClosedJaxpr): ClosedJaxpr {
  const inner = recurse(closed, layout);
  const values = new Map<JaxprVar, ConcreteArray>();
  inner.jaxpr.constvars.forEach((v, i) => {
    const c = inner.consts[i];
    if (c instanceof ConcreteArray && c.dtype === "float64" && c.size <= LAYOUT_MAX_ELEMENTS) values.set(v, c);
  });
  if (values.size === 0) return inner;
  const rw = new Rewriter(inner);
  const laidOut = new Map<string, JaxprVar>();
  let changed = false;
  for (const eqn of inner.jaxpr.eqns) {
    if (eqn.prim !== (dotGeneralP as unknown) || eqn.inputs[0]!.aval.dtype !== "float64" || eqn.inputs[1]!.aval.dtype !== "float64") {
      rw.keep(eqn);
      continue;
    }
    const p = eqn.params as DotParams;
    const depth = p.lhsContract.reduce((n, a) => n * eqn.inputs[0]!.aval.shape[a]!, 1);
    if (depth > MAX_DEPTH) {
      rw.keep(eqn);
      continue;
    }
    let [l, r] = eqn.inputs.map((v) => rw.get(v)) as [JaxprVar, JaxprVar];
    let q: DotParams = p;
    const lc = values.get(l);
    if (lc) {
      const lf = freeAxes(l.aval.shape.length, p.lhsContract, p.lhsBatch);
      const normal = [...p.lhsBatch, ...lf, ...p.lhsContract];
      if (!keepsOrder(lc.shape, normal)) {
        l = constantOf(rw, laidOut, l, lc, normal);
        q = { ...q, lhsBatch: range(0, p.lhsBatch.length), lhsContract: range(p.lhsBatch.length + lf.length, p.lhsContract.length) };
      }
    }
    const rc = values.get(r);
    if (rc) {
      const rf = freeAxes(r.aval.shape.length, p.rhsContract, p.rhsBatch);
      const normal = [...p.rhsBatch, ...p.rhsContract, ...rf];
      if (!keepsOrder(rc.shape, normal)) {
        r = constantOf(rw, laidOut, r, rc, normal);
        q = { ...q, rhsBatch: range(0, p.rhsBatch.length), rhsContract: range(p.rhsBatch.length, p.rhsContract.length) };
      }
    }
    if (q === p) {
      rw.keep(eqn);
      continue;
    }
    changed = true;
    const [out] = rw.emit(eqn.prim, [l, r], q, [eqn.outs[0]!.aval]);
    rw.replace(eqn.outs[0]!, out!);
  }
  return changed ? rw.finish() : inner;
}

/** The constant `c` (of variable `v`) permuted to `perm`, made once per variable and permutation. */
function constantOf(rw: Rewriter, made: Map<string, JaxprVar>, v: JaxprVar, c: ConcreteArray, perm: readonly number[]): JaxprVar {
  const key = `${v.id}:${perm.join(",")}`;
  let k = made.get(key);
  if (k === undefined) made.set(key, (k = rw.constant(permuted(c, perm))));
  return k;
}
