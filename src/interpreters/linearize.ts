/**
 * @file Reverse mode, JAX's way: run the JVP with tangents that are unknowns of a recording level,
 * so the primal work happens at once and only the linear tangent program is recorded; then
 * transpose that program (the backward pass), or replay it forward for many tangents (`linearize`).
 */
import { ConcreteArray, NDArray, zerosConcrete, type Aval } from "../core/ndarray.ts";
import type { Primitive, UndefinedPrimal } from "../core/primitive.ts";
import { bind, bindUnchecked, checkRaisable, currentLevel, MainTrace, Trace, Tracer, withMainTrace, type RecordedEqn } from "../core/trace.ts";
import { JVPTracer, makeJVPTrace, type JVPTrace } from "./jvp.ts";
import { tangentDtype } from "../core/dtype.ts";
import { CotangentStore, isPlain, scaleInPlace } from "./accumulate.ts";
import { closeAllocationScope, openAllocationScope } from "../core/pool.ts";
import { isClosedJaxpr } from "../core/jaxpr.ts";
import { addP, divP, mulP, subP } from "../primitives/binary.ts";
import { negP } from "../primitives/unary.ts";
import { NO_PARAMS, sameDims } from "../primitives/elementwise.ts";

/** An unknown (linear) value of the program being recorded. */
export class LinearVar extends Tracer implements UndefinedPrimal {
  readonly undefinedPrimal = true as const;
  constructor(
    readonly trace: LinearTrace,
    readonly aval: Aval,
    readonly id: number,
  ) {
    super();
  }
}

/** A known value brought into the recording level for one primitive application. */
class LinearConst extends Tracer {
  constructor(
    readonly trace: LinearTrace,
    readonly value: NDArray,
  ) {
    super();
  }
  get aval(): Aval {
    return this.value;
  }
  override peek(): NDArray {
    return this.value;
  }
}

/** One recorded application of a linear primitive. */
export type Eqn = RecordedEqn<NDArray, LinearVar>;

/** The recorded linear tangent program: equations in the order they ran (a topological order). */
export class LinearProgram {
  readonly eqns: Eqn[] = [];
  numVars = 0;
}

export class LinearTrace extends Trace {
  override get transformName(): string {
    return "grad/vjp (a tangent of reverse mode)";
  }
  /** The program being recorded (the level's shared data). */
  readonly program: LinearProgram;
  constructor(main: MainTrace) {
    super(main);
    this.program = main.globalData as LinearProgram;
  }
  /** A new unknown of abstract value `aval` (an array given as one is not kept: only its shape and dtype). */
  newVar(aval: Aval): LinearVar {
    const a = aval instanceof NDArray ? { shape: aval.shape, dtype: aval.dtype } : aval;
    return new LinearVar(this, a, this.program.numVars++);
  }
  pure(value: NDArray): Tracer {
    return new LinearConst(this, value);
  }
  processPrimitive<P>(prim: Primitive<P>, tracers: Tracer[], params: P): NDArray[] {
    checkLinear(prim);
    const n = tracers.length;
    const inputs = new Array<NDArray>(n);
    for (let i = 0; i < n; i++) {
      const t = tracers[i]!;
      inputs[i] = t instanceof LinearConst ? t.value : t;
    }
    return this.record(prim, inputs, params, null);
  }

  /**
   * `bindAt`'s work without wrapping: what `pure`/`lift` would wrap in a `LinearConst` is recorded
   * as it is (a known input), and the outputs are new variables, which `fullLower` leaves as they are.
   * The one pass over the arguments also finds, for an elementwise primitive keeping its operands'
   * aval, whether they share one shape and one float dtype: then the output takes the first
   * variable's aval, which is what `abstractEval` would return, without calling it.
   */
  override applyPrimitive<P>(prim: Primitive<P>, args: readonly NDArray[], params: P): NDArray[] {
    const n = args.length;
    const inputs = new Array<NDArray>(n);
    let same = prim.keepsOperandAval === true;
    let aval: Aval | null = null;
    let shape0: readonly number[] = [];
    let dtype0 = "";
    for (let i = 0; i < n; i++) {
      const a = args[i]!;
      inputs[i] = a;
      let shape: readonly number[];
      let dtype: string;
      // A plain concrete array is a known input as it is (no class check needed).
      if (a.constructor === ConcreteArray) {
        shape = (a as ConcreteArray).shape;
        dtype = (a as ConcreteArray).dtype;
      } else if (a instanceof LinearVar && a.trace === this) {
        const av = a.aval;
        aval ??= av;
        shape = av.shape;
        dtype = av.dtype;
      } else {
        checkRaisable(this, a);
        if (!same) continue;
        shape = a.shape;
        dtype = a.dtype;
      }
      if (!same) continue;
      if (i === 0) {
        shape0 = shape;
        dtype0 = dtype;
      } else if (dtype !== dtype0 || (shape !== shape0 && !sameDims(shape, shape0))) same = false;
    }
    checkLinear(prim);
    const shared = same && aval !== null && (dtype0 === "float64" || dtype0 === "float32") ? aval : null;
    return this.record(prim, inputs, params, shared);
  }

  /**
   * Records `prim` applied to `inputs`, with the outputs' avals from `abstractEval`, or the one
   * output with aval `shared` (see `applyPrimitive`). Each input serves as its own abstract value
   * (a variable's shape and dtype are its `aval`'s), so no second list is built for `abstractEval`.
   */
  private record<P>(prim: Primitive<P>, inputs: NDArray[], params: P, shared: Aval | null): LinearVar[] {
    const program = this.program;
    let outs: LinearVar[];
    if (shared !== null) outs = [new LinearVar(this, shared, program.numVars++)];
    else {
      const avals = prim.abstractEval(inputs, params);
      outs = new Array<LinearVar>(avals.length);
      for (let i = 0; i < avals.length; i++) outs[i] = this.newVar(avals[i]!);
    }
    program.eqns.push({ prim: prim as Primitive<unknown>, inputs, params, outs });
    return outs;
  }
}

/** Only linear primitives may be applied to the unknowns (tangents) of the program being recorded. */
function checkLinear<P>(prim: Primitive<P>): void {
  if (prim.transpose === "nonlinear") {
    throw new TypeError(
      `${prim.name}: applied to a tangent inside a JVP rule, but it is not linear. ` +
        "A JVP rule must be linear in its tangents (this is a bug in that rule).",
    );
  }
}

const makeLinearTrace = (main: MainTrace): Trace => new LinearTrace(main);

/** The result of linearizing a function at a point. */
export interface Linearized {
  readonly primalsOut: NDArray[];
  readonly program: LinearProgram;
  /** Per input: its tangent variable, or `null` for a non-float input. */
  readonly inVars: (LinearVar | null)[];
  /** Per output: its tangent variable, or `null` where the output does not depend on the inputs. */
  readonly outVars: (LinearVar | null)[];
  readonly inAvals: Aval[];
  readonly outAvals: Aval[];
}

/** Runs `f` once, computing its outputs and recording the linear map from input to output tangents. */
export function linearizeFlat(f: (xs: NDArray[]) => NDArray[], primals: readonly NDArray[]): Linearized {
  const program = new LinearProgram();
  return withMainTrace(makeLinearTrace, program, (lmain) => {
    const ltrace = lmain.trace as LinearTrace;
    const n = primals.length;
    const inVars = new Array<LinearVar | null>(n);
    const inAvals = new Array<Aval>(n);
    for (let i = 0; i < n; i++) {
      const p = primals[i]!;
      inVars[i] = tangentDtype(p.dtype) ? ltrace.newVar(p) : null;
      inAvals[i] = { shape: p.shape, dtype: p.dtype };
    }
    return withMainTrace(makeJVPTrace, null, (jmain) => {
      const jtrace = jmain.trace as JVPTrace;
      const ins = new Array<NDArray>(n);
      for (let i = 0; i < n; i++) ins[i] = new JVPTracer(jtrace, primals[i]!, inVars[i]!);
      const outs = f(ins);
      const m = outs.length;
      const primalsOut = new Array<NDArray>(m);
      const outVars = new Array<LinearVar | null>(m);
      const outAvals = new Array<Aval>(m);
      for (let i = 0; i < m; i++) {
        const o = outs[i]!;
        // The primal and tangent at this level (a value of another level has a zero tangent).
        const own = o instanceof JVPTracer && o.trace === jtrace;
        const p = own ? o.primal : o;
        const t = own ? o.tangent : null;
        primalsOut[i] = p;
        outVars[i] = t instanceof LinearVar && t.trace === ltrace ? t : null;
        outAvals[i] = { shape: p.shape, dtype: p.dtype };
      }
      return { primalsOut, program, inVars, outVars, inAvals, outAvals };
    });
  });
}

/**
 * The backward pass: walks the program from the end, turning output cotangents into input
 * cotangents with each primitive's transpose rule. Iterative, so long programs cannot overflow the
 * stack. Contributions meeting at a value are summed in place where that is safe (`CotangentStore`).
 */
export function backwardPass(lin: Linearized, cts: readonly (NDArray | null)[]): (NDArray | null)[] {
  // Buffers are released only with no transformation active: a transformation around this pass
  // would capture the values its rules compute (as residuals, or staged constants).
  const fresh = openAllocationScope(currentLevel() === 0);
  try {
    const store = new CotangentStore(lin.program.numVars, fresh);
    const outVars = lin.outVars;
    for (let i = 0; i < outVars.length; i++) {
      const v = outVars[i];
      const ct = cts[i];
      if (v != null && ct != null) store.add(v.id, ct);
    }
    // With no transformation active and the plain `bind`, the common linear primitives are
    // transposed here without their rules (`transposeDirect`).
    const direct = currentLevel() === 0 && bind === bindUnchecked;
    const eqns = lin.program.eqns;
    for (let e = eqns.length - 1; e >= 0; e--) {
      const eqn = eqns[e]!;
      const outs = eqn.outs;
      let ctsOut: NDArray[] | null = null;
      if (outs.length === 1) {
        const ct = store.take(outs[0]!.id);
        if (ct === null) continue;
        if (direct && transposeDirect(store, eqn, ct, store.tookOwned)) {
          store.releaseDead();
          continue;
        }
        ctsOut = [ct];
      } else {
        for (let i = 0; i < outs.length; i++) {
          const ct = store.take(outs[i]!.id);
          if (ct === null) continue;
          ctsOut ??= new Array<NDArray>(outs.length);
          ctsOut[i] = ct;
        }
        if (ctsOut === null) continue;
      }
      for (let i = 0; i < outs.length; i++) {
        if (ctsOut[i] === undefined) ctsOut[i] = zerosConcrete(outs[i]!.aval.shape, outs[i]!.aval.dtype);
      }
      const transpose = eqn.prim.transpose as Exclude<typeof eqn.prim.transpose, "nonlinear">;
      const ctsIn = transpose(ctsOut, eqn.inputs, eqn.params);
      if (!fresh.empty && (eqn.prim.effectful === true || holdsJaxpr(eqn.params))) {
        store.keep(ctsOut);
        store.keep(ctsIn);
      }
      for (let i = 0; i < ctsOut.length; i++) store.consume(ctsOut[i]!);
      const inputs = eqn.inputs;
      for (let i = 0; i < inputs.length; i++) {
        const x = inputs[i];
        const ct = ctsIn[i];
        if (x instanceof LinearVar && ct != null) store.add(x.id, ct);
      }
      store.releaseDead();
    }
    const inVars = lin.inVars;
    const grads = new Array<NDArray | null>(inVars.length);
    for (let i = 0; i < inVars.length; i++) {
      const v = inVars[i]!;
      grads[i] = v === null ? null : store.take(v.id);
    }
    return grads;
  } finally {
    closeAllocationScope(fresh);
  }
}

/**
 * The transposes of the common linear elementwise primitives — `neg`, `add`, `sub`, and `mul` and
 * `div` by a known value — done without calling their rules, for a pass with no transformation
 * active and the plain `bind`: where the cotangent and the known operand are plain concrete arrays,
 * `bind` would run the kernel at once, so calling `impl` computes what the rule computes, bit for
 * bit (`test/eager-grad-shortcuts.test.ts` compares the two). A kernel's result is fresh, so the
 * store owns it (`addFresh`); an owned cotangent (`owned`: nothing else holds it) takes the
 * result of `neg`, `mul` or `div` in place (`scaleInPlace`, the same operation per element).
 * Adds the input cotangents to `store` as the pass would, and returns `true`; returns `false`
 * having done nothing for any other equation (which the rule then transposes, or rejects).
 */
function transposeDirect(store: CotangentStore, eqn: Eqn, ct: NDArray, owned: boolean): boolean {
  if (!isPlain(ct)) return false;
  const prim = eqn.prim;
  const inputs = eqn.inputs;
  if (prim === negP) {
    const x = inputs[0]!;
    if (!(x instanceof LinearVar)) return false;
    if (owned && scaleInPlace(ct, "neg", null)) store.addFresh(x.id, ct);
    else {
      const r = negP.impl([ct], NO_PARAMS)[0]!;
      store.consume(ct);
      store.addFresh(x.id, r);
    }
    return true;
  }
  if (prim === addP || prim === subP) {
    const x = inputs[0]!;
    const y = inputs[1]!;
    const yv = y instanceof LinearVar;
    const ctY = yv && prim === subP ? negP.impl([ct], NO_PARAMS)[0]! : null;
    store.consume(ct);
    if (x instanceof LinearVar) store.add(x.id, ct);
    if (yv) {
      if (ctY === null) store.add(y.id, ct);
      else store.addFresh(y.id, ctY);
    }
    return true;
  }
  if (prim === mulP || prim === divP) {
    const x = inputs[0]!;
    const y = inputs[1]!;
    let known: ConcreteArray;
    let id: number;
    let yFirst = false;
    if (x instanceof LinearVar && isPlain(y)) {
      known = y;
      id = x.id;
    } else if (prim === mulP && y instanceof LinearVar && isPlain(x)) {
      known = x;
      id = y.id;
      yFirst = true;
    } else return false;
    if (owned && scaleInPlace(ct, prim === mulP ? "mul" : "div", known, yFirst)) store.addFresh(id, ct);
    else {
      const r = prim.impl(yFirst ? [known, ct] : [ct, known], NO_PARAMS)[0]!;
      store.consume(ct);
      store.addFresh(id, r);
    }
    return true;
  }
  return false;
}

/** Replays the linear program forward: the JVP at the linearization point for new tangents. */
export function forwardPass(lin: Linearized, tangents: readonly (NDArray | null)[]): (NDArray | null)[] {
  const env: (NDArray | null)[] = new Array(lin.program.numVars).fill(null);
  lin.inVars.forEach((v, i) => {
    if (v !== null) env[v.id] = tangents[i] ?? null;
  });
  for (const eqn of lin.program.eqns) {
    const args = eqn.inputs.map((x) => {
      if (!(x instanceof LinearVar)) return x;
      return env[x.id] ?? zerosConcrete(x.aval.shape, x.aval.dtype);
    });
    const outs = bind(eqn.prim, args, eqn.params);
    eqn.outs.forEach((v, i) => (env[v.id] = outs[i]!));
  }
  return lin.outVars.map((v) => (v === null ? null : env[v.id]));
}

/**
 * Whether an equation's params hold a jaxpr (directly or in an array), as `subJaxprs(params).length
 * > 0` without making the list: asked for every equation of a backward pass that has allocated
 * (eager W7: 802 equations per call; 72 → 18 ns per equation on the params of W7's equations).
 */
export function holdsJaxpr(params: unknown): boolean {
  if (params === null || typeof params !== "object") return false;
  const record = params as Record<string, unknown>;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    const v = record[key];
    if (isClosedJaxpr(v)) return true;
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) if (isClosedJaxpr(v[i])) return true;
  }
  return false;
}
