/**
 * @file Matrix–vector products of a constant matrix in compiled programs (a Hessian's or a
 * network's forward A·x) on the WebAssembly kernel `kernels/matvec-wasm.ts`, which gives eager's
 * JavaScript kernel's result bit for bit.
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import type { JaxprEqn, JaxprVar } from "../core/jaxpr.ts";
import { transposeData } from "../kernels/strided.ts";
import { constantMatVec } from "../kernels/matvec-wasm.ts";
import { dotGeneralP, freeAxes, keepsOrder, type DotParams } from "../primitives/contraction.ts";
import type { IntoCall } from "./kernel-calls.ts";

/** Fewer rows than this stay on the JavaScript kernel. */
const MIN_ROWS = 8;
/** Eager's matmulData sums a row in one pass up to this depth (its `SPLIT_K`), pairwise beyond. */
const MAX_DEPTH = 1024;

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/**
 * The call computing `eqn` on the constant-matrix kernel, where it is a float64 `dotGeneral` of a
 * constant (`constant(v)`) by a vector — no batch axes, one column, at least `MIN_ROWS` rows, a
 * depth up to `MAX_DEPTH`, the vector's contracted axes in order — and the kernel can run; else undefined.
 */
export function constantMatVecCall(eqn: JaxprEqn, constant: (v: JaxprVar) => NDArray | undefined): IntoCall | undefined {
  if (eqn.prim !== (dotGeneralP as unknown) || eqn.outs.length !== 1) return undefined;
  const [l, r] = eqn.inputs as [JaxprVar, JaxprVar];
  const p = eqn.params as DotParams;
  const a = constant(l);
  if (!(a instanceof ConcreteArray) || a.dtype !== "float64" || r.aval.dtype !== "float64" || constant(r) !== undefined) return undefined;
  if (p.lhsBatch.length > 0 || p.rhsBatch.length > 0) return undefined;
  const ls = l.aval.shape;
  const rs = r.aval.shape;
  const lf = freeAxes(ls.length, p.lhsContract, p.lhsBatch);
  const rf = freeAxes(rs.length, p.rhsContract, p.rhsBatch);
  const m = prod(lf.map((x) => ls[x]!));
  const k = prod(p.lhsContract.map((x) => ls[x]!));
  const n = prod(rf.map((x) => rs[x]!));
  if (n !== 1 || m < MIN_ROWS || k < 1 || k > MAX_DEPTH || !keepsOrder(rs, [...p.rhsContract, ...rf])) return undefined;
  // A as the kernels take it: [rows, contracted] in the order of the contracted axes.
  const matrix = new Float64Array(m * k);
  transposeData(a.data, a.shape, [...lf, ...p.lhsContract], matrix);
  const mv = constantMatVec(matrix, m, k);
  if (mv === undefined) return undefined;
  return { writesAll: true, emit: ([, x], c, ref) => `${ref(mv)}(${x}, ${c});` };
}
