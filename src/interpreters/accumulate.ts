/** @file The one primitive interpreters themselves need: adding cotangents that meet at a value. */
import type { NDArray } from "../core/ndarray.ts";
import { add } from "../primitives/binary.ts";

/** Sums two cotangents (or tangents) of the same shape. */
export const addAny = (a: NDArray, b: NDArray): NDArray => add(a, b);
