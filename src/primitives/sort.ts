/**
 * @file `argsort`, the one sorting primitive: the stable sorting permutation along an axis, NaN
 * last (NumPy's order). Its output is an integer array, so its derivative is zero; `np.sort` and
 * its kin gather with this permutation, which is how derivatives flow through a sort.
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { bind1 } from "../core/trace.ts";
import { definePrimitive, one, type Primitive } from "../core/primitive.ts";
import { moveaxis } from "./structural.ts";

export interface ArgsortParams {
  readonly axis: number;
}

/** NumPy's sort order: ascending with NaN after everything (ties keep their order: stable). */
export const compareNanLast = (a: number, b: number): number => {
  if (a < b) return -1;
  if (a > b) return 1;
  const an = a !== a;
  const bn = b !== b;
  return an === bn ? 0 : an ? 1 : -1;
};

export const argsortP: Primitive<ArgsortParams> = definePrimitive<ArgsortParams>({
  name: "argsort",
  impl: ([x], { axis }) => {
    const shape = x!.shape;
    const src = x!.data;
    const n = shape[axis]!;
    let inner = 1;
    for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
    const outer = n * inner === 0 ? 0 : src.length / (n * inner);
    const out = new Int32Array(src.length);
    const vals = new Float64Array(n);
    const order = new Array<number>(n);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * n * inner + j;
        for (let i = 0; i < n; i++) {
          vals[i] = src[base + i * inner]!;
          order[i] = i;
        }
        // Array.prototype.sort is stable, so equal keys keep their order (NumPy's kind="stable").
        order.sort((p, q) => compareNanLast(vals[p]!, vals[q]!));
        for (let i = 0; i < n; i++) out[base + i * inner] = order[i]!;
      }
    }
    return one(new ConcreteArray(out, shape, "int32"));
  },
  abstractEval: ([x]) => [{ shape: x!.shape, dtype: "int32" }],
  jvp: () => [null],
  transpose: "nonlinear",
  batch: ([x], [d], { axis }) => [[bind1(argsortP, [moveaxis(x!, d!, 0)], { axis: axis + 1 })], [0]],
});

/** The stable sorting permutation of `x` along `axis` (int32, NaN last). */
export const argsort = (x: NDArray, axis: number): NDArray => bind1(argsortP, [x], { axis });
