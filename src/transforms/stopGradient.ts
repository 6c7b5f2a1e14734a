/** @file `stopGradient`: the identity on values, zero for every derivative; maps over trees. */
import { NDArray } from "../core/ndarray.ts";
import { stopGradient as stop } from "../primitives/unary.ts";
import { map, type Tree } from "../tree/index.ts";

/**
 * Blocks derivatives through `x` (a tree): `grad(x => stopGradient(x).mul(x))(3)` is 3.
 * @example
 * grad((x: NDArray) => stopGradient(x).mul(x))(3); // 3
 */
export function stopGradient<T extends Tree>(x: T): T {
  return map((l) => (l instanceof NDArray ? stop(l) : l), x) as T;
}
