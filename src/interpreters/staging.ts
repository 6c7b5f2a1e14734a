/**
 * @file Staging: a level whose values are abstract (shape and dtype only) and which records every
 * primitive applied to them, in order, as an equation. `makeJaxpr` pushes it to turn a function
 * into a `Jaxpr` — JAX's intermediate representation: input variables, equations, outputs — that
 * prints like JAX's and can be evaluated again with `evalJaxpr`.
 */
import type { NDArray, Aval } from "../core/ndarray.ts";
import type { Primitive } from "../core/primitive.ts";
import { bind, Trace, Tracer, type RecordedEqn } from "../core/trace.ts";
import { TracerConversionError } from "../core/errors.ts";

/** A variable of a jaxpr: an input, a constant, or the output of an equation. */
export class Var extends Tracer {
  // peek() stays null: a staged value has no data (so lax.whileLoop and odeint, which must read
  // their predicate or error estimate, cannot be staged; lax.cond and lax.switch can, as selects)
  constructor(
    readonly trace: StagingTrace,
    readonly aval: Aval,
    readonly id: number,
  ) {
    super();
  }
  override item(): number {
    throw new TracerConversionError(
      `item() on a value staged by makeJaxpr (${this.aval.dtype}[${this.aval.shape.join(",")}]): staging follows shapes ` +
        "and dtypes only, so there is no number to read. Use np.where or lax.cond for data-dependent choices.",
    );
  }
}

/** One equation of a jaxpr. */
export type JaxprEqn = RecordedEqn<Var, Var>;

/** What one staging run records. */
export class Recording {
  readonly eqns: JaxprEqn[] = [];
  /** Values from outside (constants, and values of outer transformations) with their variables. */
  readonly consts = new Map<NDArray, Var>();
  numVars = 0;
}

export class StagingTrace extends Trace {
  get recording(): Recording {
    return this.main.globalData as Recording;
  }
  newVar(aval: Aval): Var {
    return new Var(this, { shape: [...aval.shape], dtype: aval.dtype }, this.recording.numVars++);
  }
  /** A value from outside becomes a constant variable (one per distinct value). */
  pure(value: NDArray): Var {
    const known = this.recording.consts.get(value);
    if (known) return known;
    const v = this.newVar(value);
    this.recording.consts.set(value, v);
    return v;
  }
  processPrimitive<P>(prim: Primitive<P>, tracers: Tracer[], params: P): NDArray[] {
    const inputs = tracers as Var[];
    const outs = prim.abstractEval(inputs.map((v) => v.aval), params).map((aval) => this.newVar(aval));
    this.recording.eqns.push({ prim: prim as Primitive<unknown>, inputs, params, outs });
    return outs;
  }
}

export const makeStagingTrace = (main: ConstructorParameters<typeof StagingTrace>[0]): StagingTrace => new StagingTrace(main);

/** Runs the equations on `inputs` (values for the input variables, then the constants' values are used). */
export function evalEqns(eqns: readonly JaxprEqn[], env: Map<Var, NDArray>): void {
  for (const eqn of eqns) {
    const outs = bind(eqn.prim, eqn.inputs.map((v) => env.get(v)!), eqn.params);
    eqn.outs.forEach((v, i) => env.set(v, outs[i]!));
  }
}
