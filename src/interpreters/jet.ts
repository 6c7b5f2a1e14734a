/**
 * @file Taylor mode: each tracer carries a primal and the Taylor coefficients of a curve through it;
 * primitives push the truncated series through per-primitive Taylor rules (handed in by the
 * transformation, so this file lists no primitive). A `null` series is a constant (all zeros).
 */
import type { NDArray, Aval, Nested } from "../core/ndarray.ts";
import type { Primitive } from "../core/primitive.ts";
import { bind, MainTrace, Trace, Tracer } from "../core/trace.ts";

/**
 * A Taylor rule: given the inputs' primals and series (coefficients 1…K of x(t) = Σ xₖ tᵏ, `null`
 * for a constant) and the primal outputs, the outputs' series (`null` for a constant). Written
 * with primitives, so jet composes with every other transformation.
 */
export type SeriesRule<P> = (
  primals: readonly NDArray[],
  series: readonly (readonly NDArray[] | null)[],
  outs: readonly NDArray[],
  params: P,
  order: number,
) => (NDArray[] | null)[];

/** How a primitive is handled under jet: a Taylor rule, or re-running the function it carries on the jet tracers. */
export type JetRule<P> = { kind: "series"; rule: SeriesRule<P> } | { kind: "inline"; call: (args: NDArray[], params: P) => NDArray[] };

/** What the transformation shares with its trace: the truncation order and the rule lookup. */
export interface JetGlobals {
  readonly order: number;
  readonly ruleFor: (prim: Primitive<unknown>) => JetRule<unknown> | undefined;
}

export class JetTracer extends Tracer {
  constructor(
    readonly trace: JetTrace,
    readonly primal: NDArray,
    /** Coefficients 1…K (not scaled by factorials), or `null` for a constant. */
    readonly series: readonly NDArray[] | null,
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
  /** As under `jvp`, `item()` reads the concrete primal. */
  override item(): number {
    return this.primal.item();
  }
  override toArray(): Nested {
    return this.primal.toArray();
  }
  override fullLower(): NDArray {
    return this.series === null ? this.primal : this;
  }
}

export class JetTrace extends Trace {
  override get transformName(): string {
    return "jet";
  }
  pure(value: NDArray): JetTracer {
    return new JetTracer(this, value, null);
  }

  processPrimitive<P>(prim: Primitive<P>, tracers: Tracer[], params: P): NDArray[] {
    const { order, ruleFor } = this.main.globalData as JetGlobals;
    const primals = tracers.map((t) => (t as JetTracer).primal);
    const series = tracers.map((t) => (t as JetTracer).series);
    if (series.every((s) => s === null)) return bind(prim, primals, params).map((o) => new JetTracer(this, o, null));
    const rule = ruleFor(prim as Primitive<unknown>) as JetRule<P> | undefined;
    if (rule === undefined) {
      throw new TypeError(
        `jet: the primitive '${prim.name}' has no Taylor rule, so jet cannot propagate a series through it ` +
          "(use nested jvp/grad for this function, or write it with primitives that have rules).",
      );
    }
    if (rule.kind === "inline") return rule.call(tracers, params);
    const outs = bind(prim, primals, params);
    const outSeries = rule.rule(primals, series, outs, params, order);
    return outs.map((o, i) => new JetTracer(this, o, outSeries[i] ?? null));
  }
}

/** A new Taylor-mode level's trace, for `withMainTrace`. */
export const makeJetTrace = (main: MainTrace): Trace => new JetTrace(main);

/** Reads the primal and series of `x` at `trace`'s level (a value of another level is a constant). */
export function primalAndSeries(trace: Trace, x: NDArray): [NDArray, readonly NDArray[] | null] {
  if (x instanceof JetTracer && x.trace === trace) return [x.primal, x.series];
  return [x, null];
}
