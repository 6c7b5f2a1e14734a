/**
 * @file Advanced indexing (integer arrays, boolean masks) for `x.get` and `x.at`, with NumPy's
 * rules: index arrays broadcast together; integers beside them count as index arrays; the
 * broadcast index dimensions go where the first index array is when all of them are adjacent,
 * else first. It reduces to one `gather` (or scatter) along one axis: slices are applied first,
 * the indexed axes are moved together and merged, and the index arrays become one flat index.
 */
import { ConcreteArray, NDArray, type ArrayLike, type AtView, type Index, type SliceSpec } from "../core/ndarray.ts";
import { asarray } from "./creation.ts";
import { prepare, broadcastShapes } from "./broadcast.ts";
import { minimum, maximum, multiply } from "./math.ts";
import * as s from "../primitives/structural.ts";
import { add, fullLike, mul } from "../primitives/binary.ts";
import { lt, select } from "../primitives/compare.ts";
import { gather, scatter, scatterAdd, scatterMax, scatterMin, scatterMul } from "../primitives/gather.ts";
import { JVPTracer } from "../interpreters/jvp.ts";
import { fmtShape, IndexError, TracerConversionError } from "../core/errors.ts";
import { getItem, at as basicAt } from "./indexing.ts";

/** Whether an index is an integer array or a boolean mask (NumPy's "advanced" indexing). */
export const isAdvanced = (i: Index): boolean => Array.isArray(i) || i instanceof NDArray;

/** The concrete value behind `x`, if it has one here (under `grad`/`jvp` the primal; under `vmap` none). */
export function concreteOf(x: NDArray): ConcreteArray | null {
  let v: NDArray = x;
  while (v instanceof JVPTracer) v = v.primal;
  return v instanceof ConcreteArray ? v : null;
}

/** `x` as an int32 array of indices: int32 arrays pass, JS arrays of integers convert; others are an `IndexError`. */
export function intArray(op: string, x: ArrayLike): NDArray {
  const a = asarray(x, undefined, op, "indices");
  if (a.dtype === "int32") return a;
  const c = concreteOf(a);
  if (x instanceof NDArray || a.dtype === "bool" || c === null || !c.data.every(Number.isInteger)) {
    throw new IndexError(
      `${op}: arrays used as indices must be of integer (or boolean) type, got ${a.dtype} array of shape ${fmtShape(a.shape)}`,
    );
  }
  return s.convert(c, "int32");
}

/**
 * An index array for an axis of size `n`, as int32 with negative entries wrapped. Concrete indices
 * are checked (an `IndexError` naming `op`, the index, the axis and the size); traced ones wrap with
 * primitives.
 */
export function indexArray(op: string, x: ArrayLike, n: number, axis: number): NDArray {
  const a = intArray(op, x);
  const c = concreteOf(a);
  if (c === null) return select(lt(a, fullLike(a, 0)), add(a, fullLike(a, n)), a);
  const out = new Int32Array(c.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = c.data[i]!;
    if (v < -n || v >= n) throw new IndexError(`${op}: index ${v} is out of bounds for axis ${axis} with size ${n}`);
    out[i] = v < 0 ? v + n : v;
  }
  return new ConcreteArray(out, c.shape, "int32");
}

/** The positions of the nonzero elements of a concrete array, one int32 array per axis. */
export function nonzeroOf(c: ConcreteArray): NDArray[] {
  const { data, shape } = c;
  let count = 0;
  for (let i = 0; i < data.length; i++) if (data[i]) count++;
  const outs = shape.map(() => new Int32Array(count));
  let k = 0;
  for (let i = 0; i < data.length; i++) {
    if (!data[i]) continue;
    let rest = i;
    for (let d = shape.length - 1; d >= 0; d--) {
      outs[d]![k] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    k++;
  }
  return outs.map((o) => new ConcreteArray(o, [count], "int32"));
}

/** One entry of an index, with masks turned into integer arrays and integers into 0-d index arrays. */
type Entry =
  | { readonly kind: "slice"; readonly spec: SliceSpec }
  | { readonly kind: "newaxis" }
  | { readonly kind: "array"; readonly axis: number; readonly idx: NDArray };

const isSliceSpec = (i: Index): i is SliceSpec =>
  typeof i === "object" && i !== null && !Array.isArray(i) && !(i instanceof NDArray) && (i as SliceSpec).kind === "slice";

function entriesOf(op: string, x: NDArray, idx: readonly Index[]): Entry[] {
  const entries: Entry[] = [];
  let axis = 0;
  for (const i of idx) {
    if (i === null) {
      entries.push({ kind: "newaxis" });
    } else if (isSliceSpec(i)) {
      entries.push({ kind: "slice", spec: i });
      axis++;
    } else if (typeof i === "number" || i instanceof NDArray || Array.isArray(i)) {
      const a = asarray(i as ArrayLike, undefined, op, "index");
      if (a.dtype === "bool" && typeof i !== "number") {
        maskPositions(op, x, a, axis).forEach((pos, k) => entries.push({ kind: "array", axis: axis + k, idx: pos }));
        axis += a.ndim;
      } else {
        // An integer beside index arrays is one too (a 0-d one), as in NumPy.
        if (typeof i === "number" && !Number.isInteger(i)) throw new IndexError(`${op}: index ${i} is not an integer`);
        entries.push({ kind: "array", axis, idx: indexArray(op, i as ArrayLike, x.shape[axis]!, axis) });
        axis++;
      }
    } else {
      throw new IndexError(`${op}: unsupported index ${String(i)}`);
    }
  }
  return entries;
}

/** The integer arrays that a boolean mask at `axis` stands for; the mask must be concrete. */
function maskPositions(op: string, x: NDArray, mask: NDArray, axis: number): NDArray[] {
  if (mask.ndim === 0) throw new IndexError(`${op}: a 0-d boolean index is not supported; use np.where`);
  mask.shape.forEach((d, k) => {
    const n = x.shape[axis + k]!;
    if (d !== n) {
      throw new IndexError(
        `${op}: boolean index did not match indexed array along axis ${axis + k}; size of axis is ${n} but size of corresponding boolean axis is ${d}`,
      );
    }
  });
  const c = concreteOf(mask);
  if (c === null) {
    throw new TracerConversionError(
      `${op}: a boolean mask index needs a concrete mask, but this one is traced (e.g. batched by vmap): ` +
        "the result's shape would depend on its values. Use np.where(mask, x, other) to keep the shape, " +
        "or x.at(mask).set(scalar) for an update.",
    );
  }
  return nonzeroOf(c);
}

/** How an advanced index becomes one gather along one axis of a reshaped array, and back. */
interface Plan {
  /** The slices to apply first (full slices on the indexed axes). */
  readonly basic: Index[];
  /** `x` with those slices applied. */
  readonly sliced: NDArray;
  /** Permutation of the sliced array's axes that brings the indexed axes together. */
  readonly perm: number[];
  /** The sliced and permuted array's shape; indexed axes `[q, q + k)`. */
  readonly permShape: number[];
  readonly q: number;
  readonly k: number;
  /** The flat index into the merged axis, of the broadcast index shape. */
  readonly flat: NDArray;
  /** Permutation of the gather result into NumPy's order (the index dimensions first, or in place). */
  readonly outPerm: number[];
  /** NumPy's result shape (with the new axes). */
  readonly outShape: number[];
}

function plan(op: string, x: NDArray, idx: readonly Index[]): Plan {
  const entries = entriesOf(op, x, idx);
  const arrays = entries.flatMap((e, pos) => (e.kind === "array" ? [{ e, pos }] : []));
  let bshape: number[];
  try {
    bshape = broadcastShapes(op, ...arrays.map(({ e }) => e.idx.shape));
  } catch {
    throw new IndexError(
      `${op}: shape mismatch: indexing arrays could not be broadcast together with shapes ${arrays.map(({ e }) => fmtShape(e.idx.shape)).join(" ")}`,
    );
  }
  const axes = arrays.map(({ e }) => e.axis);
  const k = axes.length;
  // NumPy: adjacent in the index (a new axis in between separates them); for the reshape: adjacent axes.
  const adjacent = arrays.every(({ pos }, i) => pos === arrays[0]!.pos + i);
  const axesAdjacent = axes.every((a, i) => a === axes[0]! + i);

  const basic: Index[] = [];
  for (const e of entries) {
    if (e.kind === "slice") basic.push(e.spec);
    else if (e.kind === "array") basic.push({ kind: "slice" });
  }
  const sliced = getItem(x, basic);
  const others = sliced.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const q = axesAdjacent ? axes[0]! : 0;
  const perm = axesAdjacent ? sliced.shape.map((_, i) => i) : [...axes, ...others];
  const permShape = perm.map((p) => sliced.shape[p]!);

  // The flat index: Σ idxᵢ·strideᵢ over the indexed axes (row-major within the merged axis).
  let flat: NDArray | null = null;
  let stride = 1;
  for (let i = k - 1; i >= 0; i--) {
    const term = s.broadcastTo(arrays[i]!.e.idx, bshape);
    const scaled = stride === 1 ? term : mul(term, fullLike(term, stride));
    flat = flat === null ? scaled : add(scaled, flat);
    stride *= x.shape[axes[i]!]!;
  }

  // The gather result is permShape[:q] + bshape + permShape[q+k:]; NumPy wants bshape first unless adjacent.
  const nb = bshape.length;
  const gatherRank = permShape.length - k + nb;
  const outPerm = Array.from({ length: gatherRank }, (_, i) => i);
  if (!adjacent && q > 0) outPerm.splice(0, gatherRank, ...range(q, q + nb), ...range(0, q), ...range(q + nb, gatherRank));
  const outShape: number[] = [];
  const rest = others.map((i) => sliced.shape[i]!);
  let r = 0;
  if (!adjacent) outShape.push(...bshape);
  entries.forEach((e, pos) => {
    if (e.kind === "newaxis") outShape.push(1);
    else if (e.kind === "slice") outShape.push(rest[r++]!);
    else if (adjacent && pos === arrays[0]!.pos) outShape.push(...bshape);
  });
  return { basic, sliced, perm, permShape, q, k, flat: flat!, outPerm, outShape };
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

/** The sliced array, permuted, with the indexed axes merged into axis `q`. */
function merged(p: Plan): NDArray {
  const y = s.transpose(p.sliced, p.perm);
  const shape = [...p.permShape.slice(0, p.q), p.permShape.slice(p.q, p.q + p.k).reduce((a, b) => a * b, 1), ...p.permShape.slice(p.q + p.k)];
  return s.reshape(y, shape);
}

/** `x.get(...idx)` with integer arrays or masks among the indices (`idx` is already expanded). */
export function fancyGet(x: NDArray, idx: readonly Index[]): NDArray {
  const p = plan("x.get", x, idx);
  const g = gather(merged(p), p.flat, p.q);
  return s.reshape(s.transpose(g, p.outPerm), p.outShape);
}

/**
 * `x.at(...idx)` with integer arrays or masks. `.add` accumulates repeated indices (NumPy's
 * `np.add.at`, JAX's `.at[].add`), as do `.mul`, `.min` and `.max`; `.set` keeps the last value
 * written to a repeated index. All are differentiable in `x` and in the values.
 */
export function fancyAt(x: NDArray, idx: readonly Index[]): AtView {
  const whole = wholeMask(x, idx);
  if (whole !== null) return maskAt(x, whole);
  const op = "x.at";
  const p = plan(op, x, idx);
  // The values, broadcast to the indexed region, in the layout of the scatter's updates.
  const updates = (v: ArrayLike, name: string): NDArray => {
    const region = s.convert(valuesTo(`${op}(...).${name}`, v, p.outShape), x.dtype);
    const gshape = gatheredShape(p);
    const permuted = s.reshape(region, p.outPerm.map((o) => gshape[o]!));
    return s.transpose(permuted, s.inversePerm(p.outPerm));
  };
  const update = (f: (m: NDArray) => NDArray): NDArray => {
    const y = s.transpose(s.reshape(f(merged(p)), p.permShape), s.inversePerm(p.perm));
    return p.sliced === x ? y : basicAt(x, p.basic).set(y);
  };
  return {
    get: () => fancyGet(x, idx),
    set: (v) => update((m) => scatter(m, p.flat, updates(v, "set"), p.q)),
    add: (v) => update((m) => add(m, scatterAdd(updates(v, "add"), p.flat, p.q, m.shape))),
    mul: (v) => update((m) => scatterMul(m, p.flat, updates(v, "mul"), p.q)),
    min: (v) => update((m) => scatterMin(m, p.flat, updates(v, "min"), p.q)),
    max: (v) => update((m) => scatterMax(m, p.flat, updates(v, "max"), p.q)),
  };
}

/** The values of an update, broadcast to the indexed region's shape (an `IndexError` if they do not fit). */
function valuesTo(op: string, v: ArrayLike, shape: readonly number[]): NDArray {
  const [vv] = prepare(op, [v], false, ["values"]);
  const fits = vv!.ndim <= shape.length && vv!.shape.every((d, i) => d === 1 || d === shape[shape.length - vv!.ndim + i]);
  if (!fits) {
    throw new IndexError(
      `${op}: shape mismatch: value array of shape ${fmtShape(vv!.shape)} could not be broadcast to indexing result of shape ${fmtShape(shape)}`,
    );
  }
  return s.broadcastTo(vv!, shape);
}

/** The shape of the gather result (before NumPy's reordering). */
function gatheredShape(p: Plan): number[] {
  return [...p.permShape.slice(0, p.q), ...p.flat.shape, ...p.permShape.slice(p.q + p.k)];
}

/** A single boolean mask covering all of `x`'s axes, or `null`. */
function wholeMask(x: NDArray, idx: readonly Index[]): NDArray | null {
  if (idx.length !== 1) return null;
  const m = idx[0];
  if (!(m instanceof NDArray) || m.dtype !== "bool" || m.ndim === 0 || m.ndim !== x.ndim) return null;
  return m.shape.every((d, i) => d === x.shape[i]) ? m : null;
}

/**
 * Updates at a whole-array mask. A scalar value needs no positions, so this is elementwise
 * (`select`) and works for traced masks too (under `vmap`); other values go through the positions.
 */
function maskAt(x: NDArray, mask: NDArray): AtView {
  const op = "x.at";
  const general = () => {
    const c = concreteOf(mask);
    if (c === null) {
      throw new TracerConversionError(
        `${op}(mask): with a traced mask (e.g. batched by vmap) only a scalar value can be used; ` +
          "for other values use np.where(mask, values, x)",
      );
    }
    return fancyAt(x, nonzeroOf(c));
  };
  const scalar = (v: ArrayLike, name: string): NDArray | null => {
    const [vv] = prepare(`${op}(mask).${name}`, [v]);
    if (vv!.size !== 1) return null;
    return s.convert(s.broadcastTo(s.reshape(vv!, []), x.shape), x.dtype);
  };
  const apply = (name: keyof Omit<AtView, "get">, f: (vb: NDArray) => NDArray) => (v: ArrayLike): NDArray => {
    const vb = scalar(v, name);
    return vb === null ? general()[name](v) : f(vb);
  };
  return {
    get: () => fancyGet(x, [mask]),
    set: apply("set", (vb) => select(mask, vb, x)),
    add: apply("add", (vb) => add(x, select(mask, vb, s.zerosLike(vb)))),
    mul: apply("mul", (vb) => select(mask, s.convert(multiply(x, vb), x.dtype), x)),
    min: apply("min", (vb) => select(mask, s.convert(minimum(x, vb), x.dtype), x)),
    max: apply("max", (vb) => select(mask, s.convert(maximum(x, vb), x.dtype), x)),
  };
}
