/**
 * @file Advanced indexing (integer arrays, boolean masks) for `x.get` and `x.at`.
 */
import { NDArray, type AtView, type Index } from "./ndarray.ts";

/** Whether an index is an integer array or a boolean mask (NumPy's "advanced" indexing). */
export const isAdvanced = (i: Index): boolean => Array.isArray(i) || i instanceof NDArray;

export function fancyGet(x: NDArray, idx: readonly Index[]): NDArray {
  void x;
  void idx;
  throw new Error("x.get: integer-array and boolean-mask indexing are not implemented yet");
}

export function fancyAt(x: NDArray, idx: readonly Index[]): AtView {
  void x;
  void idx;
  throw new Error("x.at: integer-array and boolean-mask indexing are not implemented yet");
}
