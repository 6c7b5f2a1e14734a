/** @file Gradient clipping by global norm, the usual guard against exploding gradients in recurrent networks. */
import { flatten, type Tree } from "autograd-ts";
import * as np from "autograd-ts/numpy";

/**
 * Scales a gradient tree down so that the norm of all its numbers together is at most `maxNorm`
 * (leaves it alone when it already is); also returns the norm before clipping.
 */
export function clipByGlobalNorm<T extends Tree>(grads: T, maxNorm: number): [T, number] {
  const [flat, unflatten] = flatten(grads);
  const norm = Math.sqrt(np.sum(np.square(flat)).item());
  return [norm > maxNorm ? (unflatten(flat.mul(maxNorm / norm)) as T) : grads, norm];
}
