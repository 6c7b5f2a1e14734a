/**
 * @file `flatten(tree)`: one flat float64 vector (complex128 when a leaf is complex) and the
 * function that rebuilds the tree (autograd's `misc.flatten`).
 */
import type { NDArray } from "../core/ndarray.ts";
import { flatten as flattenTree, unflatten, type Tree } from "../tree/index.ts";
import { likeInput, leafToArrayAt } from "./common.ts";
import { reshape, slice, convert, concatenate } from "../primitives/structural.ts";
import { asarray } from "../numpy/creation.ts";
import { isComplex } from "../core/dtype.ts";
import { real } from "../primitives/complex.ts";

/**
 * `flatten(tree)` → `[flat, unflatten]`: the tree's leaves as one float64 vector, and the function
 * that rebuilds a tree of the same structure (and leaf types) from such a vector.
 * @example
 * const [flat, unflatten] = flatten({ w: np.ones([2, 2]), b: 0.5 });
 * flat.shape; // [5]
 */
export function flatten<T extends Tree>(t: T): [NDArray, (v: NDArray) => T] {
  const [leaves, def] = flattenTree(t);
  const given = leaves.map((x, i) => leafToArrayAt(x, "flatten", "leaf", i));
  // One complex leaf makes the vector complex (real leaves come back from its real part).
  const dtype = given.some((a) => isComplex(a.dtype)) ? "complex128" : "float64";
  const arrays = given.map((a) => convert(a, dtype));
  const parts = arrays.map((a) => reshape(a, [a.size]));
  const flat = parts.length === 0 ? asarray(new Float64Array(0)) : parts.length === 1 ? parts[0]! : concatenate(parts, 0);
  const unflat = (v: NDArray): T => {
    let pos = 0;
    return unflatten<T>(
      def,
      arrays.map((a, i) => {
        const part = reshape(slice(v, [pos], [1], [a.size]), a.shape);
        pos += a.size;
        return likeInput(isComplex(given[i]!.dtype) || !isComplex(part.dtype) ? part : real(part), leaves[i]!);
      }),
    );
  };
  return [flat, unflat];
}
