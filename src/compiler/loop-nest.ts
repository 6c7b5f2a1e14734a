/**
 * @file The loop nest of a fused loop's shape, shared by the generated JavaScript loops
 * (`codegen-js.ts`) and the generated Wasm loops (`loop-wasm.ts`).
 */

/** One level of a loop nest: its trip count and, per operand, the step taken through it. */
export interface LoopLevel {
  size: number;
  strides: number[];
}

/**
 * The loop nest of a shape: axes of size 1 dropped, neighbouring axes merged where every strided
 * operand steps through them as through one axis. Each level has a size and one stride per operand
 * (`strides[i][a]` is operand i's stride along axis a): shape [2, 3] with strides [[3, 1], [0, 1]]
 * is two levels, {2, [3, 0]} and {3, [1, 1]}; with strides [[3, 1]] alone it is one, {6, [1]}.
 */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): LoopLevel[] {
  const dims: LoopLevel[] = [];
  shape.forEach((size, a) => {
    if (size === 1) return;
    const st = strides.map((s) => s[a]!);
    const last = dims[dims.length - 1];
    if (last && last.strides.every((s, i) => s === st[i]! * size)) {
      last.size *= size;
      last.strides = st;
    } else dims.push({ size, strides: st });
  });
  if (dims.length === 0) dims.push({ size: 1, strides: strides.map(() => 0) });
  return dims;
}
