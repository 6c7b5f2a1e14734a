/**
 * @file `convGeneralDilated`, XLA's ConvGeneralDilated in the canonical layout (lhs [N, C, …],
 * rhs [O, I, …], out [N / batchGroups, O, …]; `lax.convGeneralDilated` transposes other layouts in
 * and out). Bilinear, so its JVP is two convolutions and it has a transpose for each operand, both
 * convolutions again.
 */
import { bilinearPlanes } from "./planes.ts";
import { ConcreteArray, type NDArray, type Aval } from "../core/ndarray.ts";
import { allocate } from "../core/dtype.ts";
import { bind1 } from "../core/trace.ts";
import { definePrimitive, isUndefinedPrimal, one, type Primitive } from "../core/primitive.ts";
import { convData } from "../kernels/conv.ts";
import { avalOf, convert, moveaxis, reshape, transpose } from "./structural.ts";
import { addT } from "./binary.ts";
import { flip } from "./reduce.ts";

export interface ConvParams {
  readonly strides: readonly number[];
  /** [low, high] per spatial axis; negative values crop. */
  readonly padding: readonly (readonly [number, number])[];
  readonly lhsDilation: readonly number[];
  readonly rhsDilation: readonly number[];
  readonly featureGroupCount: number;
  readonly batchGroupCount: number;
}

/** Size of an axis of `n` elements with `d − 1` holes between neighbours. */
export const dilateDim = (n: number, d: number): number => (n === 0 ? 0 : 1 + d * (n - 1));

/** The output shape, canonical layout (the lax wrapper has validated the operands). */
export function convShape(lhs: readonly number[], rhs: readonly number[], p: ConvParams): number[] {
  const spatial = p.strides.map((s, d) => {
    const padded = dilateDim(lhs[d + 2]!, p.lhsDilation[d]!) + p.padding[d]![0] + p.padding[d]![1];
    const window = dilateDim(rhs[d + 2]!, p.rhsDilation[d]!);
    return Math.max(0, Math.floor((padded - window) / s) + 1);
  });
  return [lhs[0]! / p.batchGroupCount, rhs[0]!, ...spatial];
}

export const convP: Primitive<ConvParams> = definePrimitive<ConvParams>({
  name: "convGeneralDilated",
  // Bilinear, so complex operands run as real convolutions of the planes (see planes.ts).
  impl: bilinearPlanes(([l, r], p) => {
    const outShape = convShape(l!.shape, r!.shape, p);
    const asF64 = (x: ConcreteArray) => (x.data instanceof Float64Array ? x.data : Float64Array.from(x.data));
    const data = convData(asF64(l!), asF64(r!), { ...p, lhsShape: l!.shape, rhsShape: r!.shape, outShape });
    if (l!.dtype === "float64") return one(new ConcreteArray(data, outShape, "float64"));
    const out = allocate(l!.dtype, data.length);
    out.set(data);
    return one(new ConcreteArray(out, outShape, l!.dtype));
  }),
  abstractEval: ([l, r], p) => [{ shape: convShape(l!.shape, r!.shape, p), dtype: l!.dtype }],
  // Bilinear: d conv(l, r) = conv(dl, r) + conv(l, dr).
  jvp: ([l, r], [tl, tr], _, p) => [addT(tl && conv(tl, r!, p), tr && conv(l!, tr, p))],
  transpose: ([ct], [l, r], p) => [
    isUndefinedPrimal(l) ? convert(transposeLhs(ct!, r as NDArray, avalOf(l), p), avalOf(l).dtype) : null,
    isUndefinedPrimal(r) ? convert(transposeRhs(ct!, l as NDArray, avalOf(r), p), avalOf(r).dtype) : null,
  ],
  batch: ([l, r], [dl, dr], p, size) => {
    if (dl !== null && dr !== null) return [[batchBoth(moveaxis(l!, dl, 0), moveaxis(r!, dr, 0), p, size)], [1]];
    if (dl !== null) return [[batchLhs(moveaxis(l!, dl, 0), r!, p, size)], [0]];
    return [[batchRhs(l!, moveaxis(r!, dr!, 0), p, size)], [1]];
  },
});

export const conv = (lhs: NDArray, rhs: NDArray, p: ConvParams): NDArray => bind1(convP, [lhs, rhs], p);

// ---------------------------------------------------------------- transposes

/** Splits axis `axis` of `x` into [parts, rest] (parts major). */
function splitAxis(x: NDArray, axis: number, parts: number): NDArray {
  const s = x.shape;
  return reshape(x, [...s.slice(0, axis), parts, s[axis]! / parts, ...s.slice(axis + 1)]);
}

/** Moves axis `src` just before axis `dst` (numbered without `src`) and merges them, `src` major. */
function mergeInto(x: NDArray, src: number, dst: number): NDArray {
  const perm = x.shape.map((_, i) => i).filter((i) => i !== src);
  perm.splice(dst, 0, src);
  const moved = transpose(x, perm);
  const s = moved.shape;
  return reshape(moved, [...s.slice(0, dst), s[dst]! * s[dst + 1]!, ...s.slice(dst + 2)]);
}

const swap01 = (x: NDArray): NDArray => transpose(x, [1, 0, ...x.shape.slice(2).map((_, i) => i + 2)]);
const spatialAxes = (x: { shape: readonly number[] }): number[] => x.shape.slice(2).map((_, i) => i + 2);

/**
 * Cotangent of lhs. Output position y reads input position x = y·s + k·rd − lo (in the lhs-dilated
 * frame), so input x collects ct at y = (x + lo − k·rd)/s: a convolution of ct dilated by the
 * strides with the kernel flipped in space, its in/out channels swapped, stepping by the lhs
 * dilation; the padding makes the result exactly lhs-sized (see `vjpLhsPadding`). Feature groups
 * stay groups once the group axis moves from O into I; batch groups become feature groups whose
 * result channels are folded back into the batch.
 */
function transposeLhs(ct: NDArray, rhs: NDArray, lhsAval: Aval, p: ConvParams): NDArray {
  const groups = Math.max(p.featureGroupCount, p.batchGroupCount);
  // [O, I, k] → [O/G, G·I, k]: each group's kernels side by side along I.
  const w = groups > 1 ? mergeInto(splitAxis(rhs, 0, groups), 0, 1) : rhs;
  const kernel = flip(swap01(w), spatialAxes(w));
  const padding = vjpLhsPadding(lhsAval.shape, rhs.shape, ct.shape, p);
  const out = conv(ct, kernel, {
    strides: p.lhsDilation,
    padding,
    lhsDilation: p.strides,
    rhsDilation: p.rhsDilation,
    featureGroupCount: groups,
    batchGroupCount: 1,
  });
  // Batch groups: channels [B·C] of the result are batch block b's channels → [B·N, C].
  return p.batchGroupCount > 1 ? mergeInto(splitAxis(out, 1, p.batchGroupCount), 1, 0) : out;
}

/** Padding of the lhs transpose: the window (flipped kernel) must end exactly on every input position. */
function vjpLhsPadding(lhs: readonly number[], rhs: readonly number[], out: readonly number[], p: ConvParams): [number, number][] {
  return p.strides.map((s, d) => {
    const lhsD = dilateDim(lhs[d + 2]!, p.lhsDilation[d]!);
    const rhsD = dilateDim(rhs[d + 2]!, p.rhsDilation[d]!);
    const outD = dilateDim(out[d + 2]!, s);
    const before = rhsD - p.padding[d]![0] - 1;
    return [before, lhsD + rhsD - 1 - outD - before];
  });
}

/**
 * Cotangent of rhs: ∂out[n,o,y]/∂rhs[o,c,k] = lhs[n,c,y·s + k·rd − lo], a correlation of lhs with
 * ct over the batch: lhs with N and C swapped (C is now the batch) convolved with ct as kernel
 * (O as output channels, N as input channels), the strides becoming the kernel's dilation. Feature
 * groups of the forward pass become batch groups here and vice versa.
 */
function transposeRhs(ct: NDArray, lhs: NDArray, rhsAval: Aval, p: ConvParams): NDArray {
  const padding = vjpRhsPadding(lhs.shape, rhsAval.shape, ct.shape, p);
  const r = conv(swap01(lhs), swap01(ct), {
    strides: p.rhsDilation,
    padding,
    lhsDilation: p.lhsDilation,
    rhsDilation: p.strides,
    featureGroupCount: p.batchGroupCount,
    batchGroupCount: p.featureGroupCount,
  });
  return swap01(r);
}

/** Padding of the rhs transpose: low as the forward pass, high so the result is kernel-sized. */
function vjpRhsPadding(lhs: readonly number[], rhs: readonly number[], out: readonly number[], p: ConvParams): [number, number][] {
  return p.strides.map((s, d) => {
    const lhsD = dilateDim(lhs[d + 2]!, p.lhsDilation[d]!);
    const rhsD = dilateDim(rhs[d + 2]!, p.rhsDilation[d]!);
    const outD = dilateDim(out[d + 2]!, s);
    const lo = p.padding[d]![0];
    return [lo, outD - lhsD + rhsD - lo - 1];
  });
}

// ---------------------------------------------------------------- batching

/**
 * lhs batched (vmap axis first): the vmap axis joins N. With batch groups, N is [groups, N/groups]
 * and the vmap axis goes inside each group, so every group stays contiguous.
 */
function batchLhs(l: NDArray, r: NDArray, p: ConvParams, size: number): NDArray {
  const out = conv(foldVmap(l, 1, p.batchGroupCount), r, p);
  return reshape(out, [size, out.shape[0]! / size, ...out.shape.slice(1)]);
}

/**
 * Folds the leading vmap axis V of `x` into its axis `axis` (numbered with V), inside each of
 * `groups` groups: [V, …, A, …] → [G, V, A/G] merged → [… , G·V·A/G, …].
 */
function foldVmap(x: NDArray, axis: number, groups: number): NDArray {
  const s = x.shape;
  const split = reshape(x, [...s.slice(0, axis), groups, s[axis]! / groups, ...s.slice(axis + 1)]);
  const perm = split.shape.map((_, i) => i).filter((i) => i !== 0);
  perm.splice(axis, 0, 0);
  return reshape(transpose(split, perm), [...s.slice(1, axis), s[0]! * s[axis]!, ...s.slice(axis + 1)]);
}

/** rhs batched: the vmap axis joins O, inside each group (O is [groups, O/groups]). */
function batchRhs(l: NDArray, r: NDArray, p: ConvParams, size: number): NDArray {
  const groups = Math.max(p.featureGroupCount, p.batchGroupCount);
  const out = conv(l, foldVmap(r, 1, groups), p);
  // [N, G·V·O/G, …] → [N, G, V, O/G, …] → [N, V, G, O/G, …] → [N, V, O, …]
  const s = out.shape;
  const split = reshape(out, [s[0]!, groups, size, s[1]! / (groups * size), ...s.slice(2)]);
  const moved = transpose(split, [0, 2, 1, ...split.shape.slice(3).map((_, i) => i + 3)]);
  return reshape(moved, [s[0]!, size, s[1]! / size, ...s.slice(2)]);
}

/**
 * Both batched: each vmap member is its own group. With feature groups, the vmap axis joins C and O
 * (V·G feature groups); with batch groups, it joins N and O (V·B batch groups).
 */
function batchBoth(l: NDArray, r: NDArray, p: ConvParams, size: number): NDArray {
  const merged = (x: NDArray, axis: number) => reshape(moveaxis(x, 0, axis - 1), mergedShape(x, axis));
  const mergedShape = (x: NDArray, axis: number) => {
    const s = x.shape.slice(1);
    s[axis - 1] = s[axis - 1]! * size;
    return s;
  };
  const rhs = merged(r, 1);
  const out =
    p.batchGroupCount > 1
      ? conv(merged(l, 1), rhs, { ...p, batchGroupCount: p.batchGroupCount * size })
      : conv(merged(l, 2), rhs, { ...p, featureGroupCount: p.featureGroupCount * size });
  const s = out.shape;
  return reshape(out, [s[0]!, size, s[1]! / size, ...s.slice(2)]);
}
