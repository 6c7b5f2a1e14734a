/** @file Shared pieces of the discrete distributions: k shifted by `loc`, and which k are integers. */
import type { NDArray } from "../../core/ndarray.ts";
import { floor } from "../../numpy/math.ts";
import { equal, where, logicalAnd, greaterEqual } from "../../numpy/logic.ts";

/**
 * k − loc, whether it is an integer ≥ `lowest` (the support's start), and that value with
 * everything else replaced by `lowest`, so that no branch of a `where` sees values outside its domain.
 */
export function integerPart(k: NDArray, loc: NDArray, lowest: number): { kk: NDArray; valid: NDArray; ks: NDArray; fk: NDArray; above: NDArray } {
  const kk = k.sub(loc);
  const fk = floor(kk);
  const above = greaterEqual(kk, lowest);
  const valid = logicalAnd(above, equal(kk, fk));
  return { kk, valid, ks: where(valid, kk, lowest), fk: where(above, fk, lowest), above };
}
