/**
 * @file What every pass shares: rebuilding a closed jaxpr equation by equation with variables
 * substituted, fresh variables, passes applied inside the sub-jaxprs that params hold, and a
 * structural key for params (for common-subexpression elimination).
 */
import { ConcreteArray, type Aval, type NDArray } from "../core/ndarray.ts";
import { allocate } from "../core/dtype.ts";
import { ClosedJaxpr, Jaxpr, JaxprVar, isClosedJaxpr, type JaxprEqn } from "../core/jaxpr.ts";
import { broadcastInDimP, reshapeP, transposeP } from "../primitives/structural.ts";
import { stopGradientP } from "../primitives/unary.ts";

/** A pass: a closed jaxpr to an equivalent one with the same inputs and outputs (avals and order). */
export type Pass = (closed: ClosedJaxpr) => ClosedJaxpr;

/**
 * Builds the rewritten program: variables map to replacements (`subst`), new equations and
 * constants are appended, and `finish` produces the closed jaxpr.
 */
export class Rewriter {
  readonly eqns: JaxprEqn[] = [];
  readonly constvars: JaxprVar[];
  readonly consts: NDArray[];
  private readonly map = new Map<JaxprVar, JaxprVar>();
  private numVars: number;

  constructor(readonly source: ClosedJaxpr) {
    this.constvars = [...source.jaxpr.constvars];
    this.consts = [...source.consts];
    this.numVars = source.jaxpr.numVars;
  }

  /** The variable that now stands for `v`. */
  get(v: JaxprVar): JaxprVar {
    let r = v;
    for (let next = this.map.get(r); next !== undefined; next = this.map.get(r)) r = next;
    if (r !== v) this.map.set(v, r);
    return r;
  }
  /** From now on, `v` is replaced by `by` (same aval). */
  replace(v: JaxprVar, by: JaxprVar): void {
    if (v !== by) this.map.set(v, by);
  }
  fresh(aval: Aval): JaxprVar {
    return new JaxprVar({ shape: [...aval.shape], dtype: aval.dtype }, this.numVars++);
  }
  /** A new constant variable holding `value`. */
  constant(value: ConcreteArray): JaxprVar {
    const v = this.fresh(value);
    this.constvars.push(v);
    this.consts.push(value);
    return v;
  }
  /** Appends an equation with new output variables; returns them. */
  emit(prim: JaxprEqn["prim"], inputs: readonly JaxprVar[], params: unknown, outAvals: readonly Aval[]): JaxprVar[] {
    const outs = outAvals.map((a) => this.fresh(a));
    this.eqns.push({ prim, inputs, params, outs });
    return outs;
  }
  /** Keeps `eqn` with its inputs substituted. */
  keep(eqn: JaxprEqn): void {
    const inputs = eqn.inputs.map((v) => this.get(v));
    this.eqns.push(inputs.every((v, i) => v === eqn.inputs[i]) ? eqn : { ...eqn, inputs });
  }
  finish(): ClosedJaxpr {
    const j = this.source.jaxpr;
    const jaxpr = new Jaxpr(this.constvars, j.invars, this.eqns, j.outvars.map((v) => this.get(v)), this.numVars);
    return new ClosedJaxpr(jaxpr, this.consts);
  }
}

/** `params` with every closed jaxpr in it (directly or in a list) passed through `f`; the same object when none changed. */
export function mapSubJaxprs(params: unknown, f: Pass): unknown {
  if (params === null || typeof params !== "object" || Array.isArray(params)) return params;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params as Record<string, unknown>)) {
    if (isClosedJaxpr(v)) {
      const w = f(v);
      changed ||= w !== v;
      out[k] = w;
    } else if (Array.isArray(v) && v.some(isClosedJaxpr)) {
      const ws = v.map((x: unknown) => (isClosedJaxpr(x) ? f(x) : x));
      changed ||= ws.some((w, i) => w !== v[i]);
      out[k] = ws;
    } else out[k] = v;
  }
  return changed ? out : params;
}

/** Applies `f` to the sub-jaxprs of every equation's params (the equations keep their signature). */
export function recurse(closed: ClosedJaxpr, f: Pass): ClosedJaxpr {
  let changed = false;
  const eqns = closed.jaxpr.eqns.map((e) => {
    const params = mapSubJaxprs(e.params, f);
    if (params === e.params) return e;
    changed = true;
    return { ...e, params };
  });
  if (!changed) return closed;
  const j = closed.jaxpr;
  return new ClosedJaxpr(new Jaxpr(j.constvars, j.invars, eqns, j.outvars, j.numVars), closed.consts);
}

const identities = new WeakMap<object, number>();
let nextIdentity = 0;
const identity = (x: object): number => {
  let id = identities.get(x);
  if (id === undefined) identities.set(x, (id = nextIdentity++));
  return id;
};

/**
 * A string equal for two params exactly when they are structurally equal: numbers by `Object.is`
 * (NaN equals NaN, −0 differs from 0), plain arrays and objects by their entries (keys sorted),
 * and arrays of data, closed jaxprs and functions by identity (equal contents are not looked at).
 */
export function paramsKey(p: unknown): string {
  switch (typeof p) {
    case "number":
      return Object.is(p, -0) ? "-0" : String(p);
    case "string":
      return JSON.stringify(p);
    case "boolean":
    case "undefined":
    case "bigint":
      return String(p);
    case "function":
    case "symbol":
      return `#${identity(p as object)}`;
    case "object": {
      if (p === null) return "null";
      if (Array.isArray(p)) return `[${p.map(paramsKey).join(",")}]`;
      const proto = Object.getPrototypeOf(p);
      if (proto !== Object.prototype && proto !== null) return `#${identity(p)}`;
      const keys = Object.keys(p).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${paramsKey((p as Record<string, unknown>)[k])}`).join(",")}}`;
    }
  }
}

/** The number of elements of an aval. */
export const sizeOfAval = (a: Aval): number => a.shape.reduce((n, d) => n * d, 1);

const splatCache = new WeakMap<ConcreteArray, number | null>();

/** The value of `x` when it is a concrete array whose elements are all equal (and it has some); remembered per array. */
export function splatValue(x: NDArray): number | undefined {
  if (!(x instanceof ConcreteArray) || x.data.length === 0) return undefined;
  let s = splatCache.get(x);
  if (s === undefined) splatCache.set(x, (s = scanSplat(x.data)));
  return s ?? undefined;
}

function scanSplat(d: ConcreteArray["data"]): number | null {
  const v = d[0]!;
  const n = d.length;
  if (v !== v) {
    for (let i = 1; i < n; i++) if (d[i] === d[i]) return null;
  } else if (v === 0) {
    const sign = 1 / v;
    for (let i = 1; i < n; i++) if (d[i] !== 0 || 1 / d[i]! !== sign) return null;
  } else {
    for (let i = 1; i < n; i++) if (d[i] !== v) return null;
  }
  return v;
}

const movesElements = new Set<unknown>([broadcastInDimP, reshapeP, transposeP, stopGradientP]);

/**
 * Which variables hold a known splat (every element the same number): scalar or splat constants,
 * and broadcasts, reshapes and transposes of splats. Passes record outputs as they go.
 */
export class Splats {
  private readonly known = new Map<JaxprVar, number>();
  constructor(closed: ClosedJaxpr) {
    closed.jaxpr.constvars.forEach((v, i) => {
      const s = splatValue(closed.consts[i]!);
      if (s !== undefined) this.known.set(v, s);
    });
  }
  get(v: JaxprVar): number | undefined {
    return this.known.get(v);
  }
  set(v: JaxprVar, value: number): void {
    this.known.set(v, value);
  }
  /** Records the output of a kept equation that moves the elements of a splat (which stays one). */
  record(eqn: JaxprEqn, ins: readonly JaxprVar[]): void {
    const s = ins.length === 1 ? this.known.get(ins[0]!) : undefined;
    if (s === undefined || eqn.outs.length !== 1) return;
    const out = eqn.outs[0]!;
    if (movesElements.has(eqn.prim) && out.aval.dtype === ins[0]!.aval.dtype) this.known.set(out, s);
  }
}

/** Whether two avals have the same shape and dtype. */
export const sameAval = (a: Aval, b: Aval): boolean =>
  a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);

/** A 0-d concrete array of `dtype` holding `value` (rounded as its storage rounds it). */
export function scalarArray(value: number, dtype: Aval["dtype"]): ConcreteArray {
  const data = allocate(dtype, 1);
  data[0] = value;
  return new ConcreteArray(data, [], dtype);
}

/**
 * A variable equal to `value` everywhere with the shape and dtype of `aval`: a scalar constant,
 * broadcast when `aval` is not 0-d (so a splat costs one number, whatever its size).
 */
export function splatVar(rw: Rewriter, splats: Splats, value: number, aval: Aval): JaxprVar {
  const s = scalarArray(value, aval.dtype);
  const c = rw.constant(s);
  splats.set(c, s.data[0]!);
  if (aval.shape.length === 0) return c;
  const [b] = rw.emit(broadcastInDimP as JaxprEqn["prim"], [c], { shape: [...aval.shape], dims: [] }, [aval]);
  splats.set(b!, s.data[0]!);
  return b!;
}
