/**
 * @file `defineTransform`: the public way to write a new transformation — say what a traced value
 * carries and how a primitive maps carried values — that composes with `grad`, `vmap`, `jit` and
 * the rest, since it is one more level of the interpreter stack (`Trace`/`Tracer`/`withMainTrace`).
 */
import type { Aval, NDArray } from "../core/ndarray.ts";
import type { Primitive } from "../core/primitive.ts";
import { fullRaise, Trace, Tracer, withMainTrace, type MainTrace } from "../core/trace.ts";
import { evalJaxpr, isClosedJaxpr, type ClosedJaxpr } from "../core/jaxpr.ts";
import { TracerConversionError } from "../core/errors.ts";
import { flatten, type Tree } from "../tree/index.ts";
import { leafToArrayAt } from "./common.ts";

/**
 * What a transformation is. `V` is what one traced value carries (an interval's bounds, a node of a
 * graph, the value itself…); `G` is data one run shares (a counter, the graph being built).
 */
export interface TransformSpec<V, G = undefined> {
  /** Names the transformation in error messages ("a traced value … under <name>"). */
  readonly name: string;
  /**
   * What a value from outside this run carries: a constant, or a value of an enclosing
   * transformation (then `value` is that transformation's tracer: compute with it as with any array).
   */
  pure(value: NDArray, global: G): V;
  /** The shape and dtype user code sees for a carried value (`x.shape`, `x.dtype`). */
  aval(v: V): Aval;
  /**
   * Applies `prim` (its name is `prim.name`, its parameters `params`, typed per primitive in
   * `src/primitives/`) to carried values, one per operand; returns one carried value per output
   * (`prim.abstractEval` gives how many and their shapes). Compute with primitives — `np`
   * functions, or `bind(prim, values, params)` to apply the primitive itself one level down —
   * never by reading numbers out of the values, so the transformation composes with the ones
   * around it (under `grad` the values are being differentiated, under `vmap` batched).
   */
  processPrimitive(prim: Primitive<unknown>, values: V[], params: unknown, global: G): V[];
  /**
   * Whether a primitive that calls a staged function (`pjit` from `jit`, `checkpoint`,
   * `custom_jvp_call`, `custom_vjp_call`) is opened up, its equations processed one by one here
   * (default `true`), instead of reaching `processPrimitive` as one primitive.
   */
  readonly inlineCalls?: boolean;
}

/** A running instance of a user transformation: its level on the stack. */
class UserTrace<V, G> extends Trace {
  get spec(): TransformSpec<V, G> {
    return (this.main.globalData as { spec: TransformSpec<V, G> }).spec;
  }
  get global(): G {
    return (this.main.globalData as { global: G }).global;
  }
  override get transformName(): string {
    return this.spec.name;
  }
  pure(value: NDArray): UserTracer<V, G> {
    return new UserTracer(this, this.spec.pure(value, this.global));
  }
  processPrimitive<P>(prim: Primitive<P>, tracers: Tracer[], params: P): NDArray[] {
    const call = this.spec.inlineCalls === false ? undefined : calledJaxpr(prim.name, params, tracers);
    if (call !== undefined) return evalJaxpr(call[0], call[1]);
    const values = tracers.map((t) => (t as UserTracer<V, G>).value);
    const outs = this.spec.processPrimitive(prim as Primitive<unknown>, values, params, this.global);
    return outs.map((v) => new UserTracer(this, v));
  }
}

/**
 * The staged function a call-like primitive applies, with the operands it takes, if `prim` is one:
 * `pjit`, `checkpoint` and `custom_jvp_call` pass every operand; `custom_vjp_call` passes the values
 * its function closed over (the first `numHoisted[0]`) and the arguments, not those of fwd and bwd.
 */
function calledJaxpr(name: string, params: unknown, operands: Tracer[]): [ClosedJaxpr, Tracer[]] | undefined {
  const p = params as { jaxpr?: unknown; funJaxpr?: unknown; numHoisted?: unknown };
  if ((name === "pjit" || name === "checkpoint") && isClosedJaxpr(p.jaxpr)) return [p.jaxpr, operands];
  if (name === "custom_jvp_call" && isClosedJaxpr(p.funJaxpr)) return [p.funJaxpr, operands];
  if (name === "custom_vjp_call" && isClosedJaxpr(p.funJaxpr) && Array.isArray(p.numHoisted)) {
    const [nFun, nFwd, nBwd] = p.numHoisted as [number, number, number];
    return [p.funJaxpr, [...operands.slice(0, nFun), ...operands.slice(nFun + nFwd + nBwd)]];
  }
  return undefined;
}

/** A value traced by a user transformation: carries a `V`. */
class UserTracer<V, G> extends Tracer {
  constructor(
    readonly trace: UserTrace<V, G>,
    readonly value: V,
  ) {
    super();
  }
  get aval(): Aval {
    return this.trace.spec.aval(this.value);
  }
  override item(): number {
    throw new TracerConversionError(`item() on a value traced by ${this.trace.spec.name} (${this.describe()}): it carries no single number`);
  }
}

/** A defined transformation, ready to run. */
export interface Transform<V, G = undefined> {
  readonly name: string;
  /**
   * Calls `f` on traced values carrying `inputs` (one per argument, each argument an array) and
   * returns what each leaf of its output (a tree of arrays) carries. `global` is shared by the run.
   */
  apply(f: (...args: NDArray[]) => Tree, inputs: readonly V[], global: G): V[];
}

/**
 * Defines a transformation from what a traced value carries and how primitives act on it. It is
 * one level of the same interpreter stack as `grad`, `vmap` and `jit`, so it composes with them in
 * either order: inside (`grad(x => bounds(f, x))`: the carried values are differentiated) and
 * outside (`countFlops(grad(f))`: it sees the primitives `grad` runs, forward and backward).
 * Levels nest by call order — the transformation applied last to a function runs outermost
 * (lowest level); a primitive goes to the innermost level owning an operand, which calls `bind`
 * with its own carried values to pass the work down. Calls of jitted functions are opened up
 * (`inlineCalls`), so a transformation written for the NumPy primitives also works through `jit`.
 * @example
 * // Counts the primitives f applies, carrying each value unchanged.
 * const counter = defineTransform<NDArray, { n: number }>({
 *   name: "counter",
 *   pure: (x) => x,
 *   aval: (x) => x,
 *   processPrimitive: (prim, xs, params, g) => (g.n++, bind(prim, xs, params)),
 * });
 * const g = { n: 0 };
 * const [y] = counter.apply((x) => np.sin(np.cos(x)), [np.array(1)], g);
 * g.n; // 2
 */
export function defineTransform<V, G = undefined>(spec: TransformSpec<V, G>): Transform<V, G> {
  for (const k of ["pure", "aval", "processPrimitive"] as const) {
    if (typeof spec?.[k] !== "function") throw new TypeError(`defineTransform: ${k} must be a function, got ${typeof spec?.[k]}`);
  }
  const makeTrace = (main: MainTrace): Trace => new UserTrace<V, G>(main);
  return {
    name: spec.name,
    apply: (f, inputs, global) =>
      withMainTrace(makeTrace, { spec, global }, (main) => {
        const trace = main.trace as UserTrace<V, G>;
        const out = f(...inputs.map((v) => new UserTracer(trace, v)));
        const [leaves] = flatten(out, `${spec.name}: output`);
        return leaves.map((l, i) => (fullRaise(trace, leafToArrayAt(l, spec.name, "output leaf", i)) as UserTracer<V, G>).value);
      }),
  };
}
