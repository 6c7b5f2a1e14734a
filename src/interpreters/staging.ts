/**
 * @file Staging: a level whose values are abstract (shape and dtype only) and which records every
 * primitive applied to them, in order, as an equation; `stageFlat` turns a function into a closed
 * jaxpr that way (what `makeJaxpr`, `jit` and the control-flow primitives stage their functions with).
 */
import type { NDArray, Aval } from "../core/ndarray.ts";
import type { Primitive } from "../core/primitive.ts";
import { fullRaise, Trace, Tracer, withMainTrace, type MainTrace } from "../core/trace.ts";
import { ClosedJaxpr, dceClosed, Jaxpr, JaxprVar, type JaxprEqn } from "../core/jaxpr.ts";
import { TracerConversionError } from "../core/errors.ts";

/** A variable being staged: a tracer with an abstract value and no data. */
export class Var extends Tracer {
  // peek() stays null: a staged value has no data.
  constructor(
    readonly trace: StagingTrace,
    readonly aval: Aval,
    readonly id: number,
  ) {
    super();
  }
  override item(): number {
    throw new TracerConversionError(
      `item() on a staged value (${this.aval.dtype}[${this.aval.shape.join(",")}]): makeJaxpr, jit, and the functions given to ` +
        "lax.cond/switch/whileLoop/foriLoop/scan under a transformation follow shapes and dtypes only, so there is no number to read. " +
        "Use np.where or lax.cond for data-dependent choices, and array methods (x.mul(2)) instead of JS operators.",
    );
  }
}

/** One equation as recorded, over staging variables. */
interface StagedEqn {
  readonly prim: Primitive<unknown>;
  readonly inputs: readonly Var[];
  readonly params: unknown;
  readonly outs: readonly Var[];
}

/** What one staging run records. */
export class Recording {
  readonly eqns: StagedEqn[] = [];
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
    const v = this.newVar(value instanceof Tracer ? value.aval : value);
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

export const makeStagingTrace = (main: MainTrace): StagingTrace => new StagingTrace(main);

/** The result of staging a function: its closed jaxpr and the outer tracers it captured. */
export interface Staged {
  /** Inputs: `hoisted.length` captured values first, then the function's own inputs. */
  readonly jaxpr: ClosedJaxpr;
  /**
   * Values of outer transformations the function closed over (tracers of lower levels): they are
   * the jaxpr's leading inputs, to be passed as a higher-order primitive's leading operands.
   */
  readonly hoisted: NDArray[];
}

/**
 * Stages `f` at the abstract values `inAvals`, at a new level on top of the current stack, and
 * returns its dead-code-eliminated closed jaxpr. Concrete arrays `f` captures or creates become
 * the jaxpr's constants; tracers of outer transformations it captures are hoisted into leading
 * inputs (JAX's `convert_constvars`). `op` names the caller in errors; `{ dce: false }` keeps
 * dead equations (to measure what DCE removes).
 */
export function stageFlat(f: (xs: NDArray[]) => NDArray[], inAvals: readonly Aval[], op: string, opts: { dce?: boolean } = {}): Staged {
  const recording = new Recording();
  return withMainTrace(makeStagingTrace, recording, (main) => {
    const trace = main.trace as StagingTrace;
    const invars = inAvals.map((a) => trace.newVar(a));
    const outs = f(invars);
    if (!Array.isArray(outs)) throw new TypeError(`${op}: the staged function must return a list of arrays`);
    const outvars = outs.map((o) => fullRaise(trace, o) as Var);
    const constvars: Var[] = [];
    const consts: NDArray[] = [];
    const hoistedVars: Var[] = [];
    const hoisted: NDArray[] = [];
    for (const [value, v] of recording.consts) {
      if (value instanceof Tracer) {
        hoistedVars.push(v);
        hoisted.push(value);
      } else {
        constvars.push(v);
        consts.push(value);
      }
    }
    const jv: JaxprVar[] = new Array(recording.numVars);
    const conv = (v: Var): JaxprVar => (jv[v.id] ??= new JaxprVar(v.aval, v.id));
    const eqns: JaxprEqn[] = recording.eqns.map((e) => ({ prim: e.prim, inputs: e.inputs.map(conv), params: e.params, outs: e.outs.map(conv) }));
    const jaxpr = new Jaxpr(constvars.map(conv), [...hoistedVars, ...invars].map(conv), eqns, outvars.map(conv), recording.numVars);
    if (opts.dce === false) return { jaxpr: new ClosedJaxpr(jaxpr, consts), hoisted };
    const { closed, usedInputs } = dceClosed(new ClosedJaxpr(jaxpr, consts));
    // Captured values the program no longer reads are dropped from its inputs and from `hoisted`.
    const nh = hoisted.length;
    const keep = closed.jaxpr.invars.map((_, i) => i >= nh || usedInputs[i]!);
    const j = closed.jaxpr;
    const pruned = new Jaxpr(j.constvars, j.invars.filter((_, i) => keep[i]), j.eqns, j.outvars, j.numVars);
    return { jaxpr: new ClosedJaxpr(pruned, closed.consts), hoisted: hoisted.filter((_, i) => keep[i]) };
  });
}
