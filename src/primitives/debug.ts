/**
 * @file `debug_callback`: a primitive run for its side effect — it calls a JS function with the
 * concrete values of its operands and has no outputs, so it is marked `effectful` (staging and
 * dead-code elimination keep it) and its rules only decide where and with what the call happens.
 */
import type { ConcreteArray, NDArray } from "../core/ndarray.ts";
import { bind } from "../core/trace.ts";
import { definePrimitive, type Primitive } from "../core/primitive.ts";
import { reshape, slice } from "./structural.ts";

export interface DebugCallbackParams {
  /** Called with the operands' concrete values each time the primitive runs (eagerly, or in a compiled program). */
  readonly callback: (values: readonly ConcreteArray[]) => void;
}

/** Member `i` of `x` along its batch axis `d` (the axis removed). */
function member(x: NDArray, d: number, i: number): NDArray {
  const start = x.shape.map((_, k) => (k === d ? i : 0));
  const size = x.shape.map((n, k) => (k === d ? 1 : n));
  const one = slice(x, start, x.shape.map(() => 1), size);
  return reshape(one, x.shape.filter((_, k) => k !== d));
}

export const debugCallbackP: Primitive<DebugCallbackParams> = definePrimitive<DebugCallbackParams>({
  name: "debug_callback",
  effectful: true,
  impl: (args, { callback }) => {
    callback(args);
    return [];
  },
  abstractEval: () => [],
  // The forward-mode interpreter binds the primitive on the primals (that is the call, with primal
  // values); tangents are not shown and there are no output tangents.
  jvp: () => [],
  // No outputs, so no cotangents flow back: the zero map, linear in every operand.
  transpose: (_, args) => args.map(() => null),
  // Sequentially, one call per batch member with that member's values (JAX's
  // `vmap_method="sequential"`), so a print inside vmap prints each member as a loop would.
  batch: (args, dims, params, axisSize) => {
    for (let i = 0; i < axisSize; i++) {
      bind(debugCallbackP, args.map((a, k) => (dims[k] === null ? a : member(a, dims[k]!, i))), params);
    }
    return [[], []];
  },
});
