/**
 * @file Property-test spec of the `logistic` primitive (logistic.ts): finite differences, forward
 * vs reverse, vmap vs a loop and second order on [−6, 6], where σ and its derivatives are far from
 * rounding to 0 or 1.
 */
import { logisticP } from "../src/primitives/logistic.ts";
import { unarySpec, uniform, type PrimSpec } from "./spec.ts";

export const specs: PrimSpec[] = [unarySpec(logisticP, uniform(-6, 6))];
