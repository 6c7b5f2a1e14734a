/**
 * @file The optimising pipeline: simplification, constant folding, common-subexpression and
 * dead-code elimination, constant operands of matrix products laid out as the kernel reads them,
 * repeated until the program stops shrinking.
 */
import { countEqns, type ClosedJaxpr } from "../core/jaxpr.ts";
import { cse } from "./cse.ts";
import { dce } from "./dce.ts";
import { fold } from "./fold.ts";
import { layout } from "./layout.ts";
import { simplify } from "./simplify.ts";
import type { Pass } from "./rewrite.ts";

/** The passes in the order one round applies them. */
export const passes: readonly (readonly [string, Pass])[] = [
  ["simplify", simplify],
  ["fold", fold],
  ["cse", cse],
  ["dce", dce],
  ["layout", layout],
];

/** Rounds after which the pipeline stops even if the program still changes (it never has). */
const MAX_ROUNDS = 20;

/** What a round can change: equations (sub-jaxprs included), constants and their elements. */
const size = (c: ClosedJaxpr): string => `${countEqns(c.jaxpr)}/${c.consts.length}/${c.consts.reduce((n, k) => n + k.size, 0)}`;

/**
 * Runs every pass, round after round, until a round changes neither the number of equations
 * (sub-jaxprs included) nor the number and total size of the constants. Inputs and outputs keep their avals and order.
 */
export function optimize(closed: ClosedJaxpr): ClosedJaxpr {
  let current = dce(closed);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = size(current);
    for (const [, pass] of passes) current = pass(current);
    if (size(current) === before) break;
  }
  return current;
}
