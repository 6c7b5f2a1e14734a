/**
 * @file The primitive record: everything that defines a primitive, side by side. The type demands
 * every rule, so a primitive missing one fails `tsc`, not a user at run time.
 */
import type { NDArray, ConcreteArray, Aval } from "./ndarray.ts";

/**
 * Forward-mode rule. `tangents[i]` is `null` where the tangent is a symbolic zero; at least one is
 * not. `outs` are the primal outputs, already computed. Returns one tangent (or `null`) per output.
 * Written with primitives, so it is itself differentiable and batchable.
 */
export type JvpRule<P> = (
  primals: readonly NDArray[],
  tangents: readonly (NDArray | null)[],
  outs: readonly NDArray[],
  params: P,
) => (NDArray | null)[];

/** An argument of a linear primitive during transposition: a known value, or the linear unknown. */
export type LinearArg = NDArray | UndefinedPrimal;

/** The linear input of a primitive being transposed: only its abstract value is known. */
export interface UndefinedPrimal {
  readonly undefinedPrimal: true;
  readonly aval: Aval;
}

export const isUndefinedPrimal = (x: unknown): x is UndefinedPrimal =>
  typeof x === "object" && x !== null && (x as UndefinedPrimal).undefinedPrimal === true;

/**
 * Transpose rule of a primitive that is linear in the arguments marked `UndefinedPrimal`: given the
 * output cotangents, the cotangent of each such argument (`null` for the known ones, or for zero).
 * Like every rule it is a pure function: it keeps no reference to its cotangents or its results
 * once it returns (rules written with primitives never do), because with no transformation active
 * the backward pass gives the large arrays it has used up back to a pool for reuse.
 */
export type TransposeRule<P> = (
  cts: readonly NDArray[],
  args: readonly LinearArg[],
  params: P,
) => (NDArray | null)[];

/**
 * Batching rule: `dims[i]` is the batch axis of `args[i]` (`null`: not batched; at least one is
 * not). Returns the outputs and their batch axes.
 */
export type BatchRule<P> = (
  args: readonly NDArray[],
  dims: readonly (number | null)[],
  params: P,
  axisSize: number,
) => [NDArray[], (number | null)[]];

/** A primitive: one typed record holding its kernel and every rule. */
export interface Primitive<P> {
  readonly name: string;
  /** Kernel: runs on concrete arrays (the eval interpreter). */
  readonly impl: (args: readonly ConcreteArray[], params: P) => ConcreteArray[];
  /** Shape/dtype rule: what the outputs' shapes and dtypes are, without computing them. */
  readonly abstractEval: (avals: readonly Aval[], params: P) => Aval[];
  readonly jvp: JvpRule<P>;
  /**
   * Optional: a JVP that computes the outputs itself, for higher-order primitives whose JVP binds a
   * "known" version of the primitive that returns the outputs along with residuals. When present,
   * the forward-mode interpreter calls it instead of binding the primitive and then `jvp`, so the
   * sub-program's primal work runs once.
   */
  readonly jvpWithOutputs?: (primals: readonly NDArray[], tangents: readonly (NDArray | null)[], params: P) => [NDArray[], (NDArray | null)[]];
  /** For primitives linear in some arguments; `"nonlinear"` for the others (reverse mode goes through `jvp`). */
  readonly transpose: TransposeRule<P> | "nonlinear";
  readonly batch: BatchRule<P>;
  /**
   * Optional: `true` for an elementwise primitive with one output that has its operands' shape and
   * dtype whenever they all share one shape and one real floating dtype (`abstractEval` then checks
   * nothing that can fail and returns exactly that), so that reverse mode's recorder may take the
   * output's abstract value from an operand without calling `abstractEval`.
   */
  readonly keepsOperandAval?: true;
  /**
   * Optional: `true` for a primitive run for its side effect (`debug_callback`), whose equations
   * dead-code elimination keeps even when no output is read (it may have none).
   */
  readonly effectful?: boolean;
}

/**
 * Declares a primitive; the identity, there for inference and as the one place to find them all.
 * @example
 * const cubeP: Primitive<{}> = definePrimitive<{}>({
 *   name: "cube",
 *   impl: ([x]) => [np.power(x!, 3) as ConcreteArray],
 *   abstractEval: ([x]) => [{ shape: x!.shape, dtype: x!.dtype }],
 *   jvp: ([x], [t]) => [t!.mul(np.square(x!)).mul(3)], // d x³ = 3x² dx
 *   transpose: "nonlinear",
 *   batch: ([x], [d]) => [[bind1(cubeP, [x!], {})], [d!]],
 * });
 * grad((x: NDArray) => bind1(cubeP, [x], {}))(2); // 12
 */
export const definePrimitive = <P>(p: Primitive<P>): Primitive<P> => p;

/** Builds a concrete output list from one array (the common single-output kernel). */
export const one = (x: ConcreteArray): ConcreteArray[] => [x];
