/**
 * @file Forward mode: each tracer carries a primal and its tangent; primitives push tangents
 * through their JVP rules. A `null` tangent is a symbolic zero, so constants cost nothing.
 */
import { ConcreteArray, type NDArray, type Aval, type Nested } from "../core/ndarray.ts";
import type { Primitive } from "../core/primitive.ts";
import { bind, bindUnchecked, checkRaisable, MainTrace, Trace, Tracer } from "../core/trace.ts";

export class JVPTracer extends Tracer {
  constructor(
    readonly trace: JVPTrace,
    readonly primal: NDArray,
    readonly tangent: NDArray | null,
  ) {
    super();
  }
  get aval(): Aval {
    return this.primal;
  }
  override get shape(): readonly number[] {
    return this.primal.shape;
  }
  override peek(): NDArray {
    return this.primal;
  }
  /** Under `grad`/`jvp` values are concrete: `item()` reads the primal, as in autograd. */
  override item(): number {
    return this.primal.item();
  }
  override toArray(): Nested {
    return this.primal.toArray();
  }
  /** Shows the value being differentiated, so `console.log` inside `grad` prints numbers. */
  override toString(): string {
    return `Traced(${this.primal.toString()})`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

export class JVPTrace extends Trace {
  override get transformName(): string {
    return "grad/jvp";
  }
  pure(value: NDArray): JVPTracer {
    return new JVPTracer(this, value, null);
  }

  processPrimitive<P>(prim: Primitive<P>, tracers: Tracer[], params: P): NDArray[] {
    const n = tracers.length;
    const primals: NDArray[] = new Array(n);
    const tangents: (NDArray | null)[] = new Array(n);
    let anyTangent = false;
    for (let i = 0; i < n; i++) {
      const t = tracers[i] as JVPTracer;
      primals[i] = t.primal;
      tangents[i] = t.tangent;
      if (t.tangent !== null) anyTangent = true;
    }
    return this.apply(prim, primals, tangents, anyTangent, params);
  }

  /**
   * `bindAt`'s work without wrapping: a value that is not a tracer of this level is a constant
   * here (what `pure`/`lift` would wrap, with a zero tangent), and the outputs are this level's
   * tracers, which `fullLower` leaves as they are.
   */
  override applyPrimitive<P>(prim: Primitive<P>, args: readonly NDArray[], params: P): NDArray[] {
    const n = args.length;
    const primals: NDArray[] = new Array(n);
    const tangents: (NDArray | null)[] = new Array(n);
    let anyTangent = false;
    let concrete = true;
    for (let i = 0; i < n; i++) {
      const a = args[i]!;
      let p: NDArray;
      if (a instanceof JVPTracer && a.trace === this) {
        p = a.primal;
        const t = a.tangent;
        tangents[i] = t;
        if (t !== null) anyTangent = true;
      } else {
        if (a.constructor !== ConcreteArray) checkRaisable(this, a);
        p = a;
        tangents[i] = null;
      }
      primals[i] = p;
      if (p.constructor !== ConcreteArray) concrete = false;
    }
    return this.apply(prim, primals, tangents, anyTangent, params, concrete);
  }

  /**
   * The outputs and their tangents. `concrete`: every primal is a plain concrete array, so `bind`
   * would run the kernel at once; then (with the plain `bind`) `impl` is called directly.
   */
  private apply<P>(prim: Primitive<P>, primals: NDArray[], tangents: (NDArray | null)[], anyTangent: boolean, params: P, concrete = false): JVPTracer[] {
    const direct = concrete && bind === bindUnchecked;
    if (!anyTangent) return this.wrap(direct ? prim.impl(primals as ConcreteArray[], params) : bind(prim, primals, params), null);
    if (prim.jvpWithOutputs !== undefined) {
      const [outs, tangentsOut] = prim.jvpWithOutputs(primals, tangents, params);
      return this.wrap(outs, tangentsOut);
    }
    const outs = direct ? prim.impl(primals as ConcreteArray[], params) : bind(prim, primals, params);
    const tangentsOut = prim.jvp(primals, tangents, outs, params);
    // The common single output without `wrap`'s loop.
    if (outs.length === 1) return [new JVPTracer(this, outs[0]!, tangentsOut[0] ?? null)];
    return this.wrap(outs, tangentsOut);
  }

  /** The outputs as tracers of this level, with their tangents (`null`: all zero). */
  private wrap(outs: readonly NDArray[], tangentsOut: readonly (NDArray | null)[] | null): JVPTracer[] {
    const n = outs.length;
    const res = new Array<JVPTracer>(n);
    for (let i = 0; i < n; i++) res[i] = new JVPTracer(this, outs[i]!, tangentsOut === null ? null : (tangentsOut[i] ?? null));
    return res;
  }
}

/** A new forward-mode level's trace, for `withMainTrace`. */
export const makeJVPTrace = (main: MainTrace): Trace => new JVPTrace(main);

/** Reads the primal and tangent of `x` at `trace`'s level (a value of another level has zero tangent). */
export function primalAndTangent(trace: Trace, x: NDArray): [NDArray, NDArray | null] {
  if (x instanceof JVPTracer && x.trace === trace) return [x.primal, x.tangent];
  return [x, null];
}
