/**
 * @file `argsort`, the one sorting primitive: the stable sorting permutation along an axis, NaN
 * last (NumPy's order). Its output is an integer array, so its derivative is zero; `np.sort` and
 * its kin gather with this permutation, which is how derivatives flow through a sort.
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { bind1 } from "../core/trace.ts";
import { definePrimitive, one, type Primitive } from "../core/primitive.ts";
import { moveaxis } from "./structural.ts";
import { isComplex } from "../core/dtype.ts";

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
    // Complex values sort as NumPy's: lexicographically, real parts first, then imaginary parts.
    const w = isComplex(x!.dtype) ? 2 : 1;
    const size = src.length / w;
    const outer = n * inner === 0 ? 0 : size / (n * inner);
    const out = new Int32Array(size);
    const vals = new Float64Array(n);
    const imags = new Float64Array(w === 2 ? n : 0);
    const order = new Array<number>(n);
    const compare = w === 1
      ? (p: number, q: number) => compareNanLast(vals[p]!, vals[q]!)
      : (p: number, q: number) => compareNanLast(vals[p]!, vals[q]!) || compareNanLast(imags[p]!, imags[q]!);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * n * inner + j;
        for (let i = 0; i < n; i++) {
          vals[i] = src[w * (base + i * inner)]!;
          if (w === 2) imags[i] = src[2 * (base + i * inner) + 1]!;
          order[i] = i;
        }
        // Array.prototype.sort is stable, so equal keys keep their order (NumPy's kind="stable").
        order.sort(compare);
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
