/**
 * @file Closed jaxprs as values: a staged program (input variables, equations, outputs) with its
 * constants, as plain data that outlives the staging that made it. Any interpreter can run one
 * (`evalJaxpr` binds each equation), dead code can be dropped (`dce`), and it prints like JAX's.
 */
import { ConcreteArray, type Aval, type NDArray } from "./ndarray.ts";
import type { DType } from "./dtype.ts";
import type { Primitive } from "./primitive.ts";
import { bind } from "./trace.ts";

/** A variable of a jaxpr: plain data (an abstract value and a number unique within its jaxpr). */
export class JaxprVar {
  constructor(
    readonly aval: Aval,
    /** Index into the evaluation environment. */
    readonly id: number,
  ) {}
}

/** One equation: `outs = prim[params] inputs`. */
export interface JaxprEqn {
  readonly prim: Primitive<unknown>;
  readonly inputs: readonly JaxprVar[];
  readonly params: unknown;
  readonly outs: readonly JaxprVar[];
}

/** A program: constants' variables, inputs, equations in a topological order, outputs. */
export class Jaxpr {
  constructor(
    readonly constvars: readonly JaxprVar[],
    readonly invars: readonly JaxprVar[],
    readonly eqns: readonly JaxprEqn[],
    readonly outvars: readonly JaxprVar[],
    /** One more than the largest variable id: the size of an evaluation environment. */
    readonly numVars: number,
  ) {}
  toString(): string {
    return printJaxpr(this, "");
  }
}

/** A jaxpr with the values of its constants: a function of its inputs alone. */
export class ClosedJaxpr {
  constructor(
    readonly jaxpr: Jaxpr,
    readonly consts: readonly NDArray[],
  ) {}
  get inAvals(): Aval[] {
    return this.jaxpr.invars.map((v) => v.aval);
  }
  get outAvals(): Aval[] {
    return this.jaxpr.outvars.map((v) => v.aval);
  }
  toString(): string {
    return printJaxpr(this.jaxpr, "");
  }
  /** Printed form in JSON (a failing property test shows its params this way). */
  toJSON(): string {
    return this.toString();
  }
}

/** Whether a value is a closed jaxpr (how params holding sub-programs are recognised). */
export const isClosedJaxpr = (x: unknown): x is ClosedJaxpr => x instanceof ClosedJaxpr;

/**
 * Runs a closed jaxpr on `args`, binding each equation: with concrete arguments the kernels run;
 * with tracers, the equations go to whatever transformation owns them.
 */
export function evalJaxpr(closed: ClosedJaxpr, args: readonly NDArray[]): NDArray[] {
  const { jaxpr, consts } = closed;
  if (args.length !== jaxpr.invars.length) {
    throw new TypeError(`evalJaxpr: the jaxpr takes ${jaxpr.invars.length} inputs, got ${args.length}`);
  }
  const env: NDArray[] = new Array(jaxpr.numVars);
  const { constvars, invars, eqns, outvars } = jaxpr;
  for (let i = 0; i < constvars.length; i++) env[constvars[i]!.id] = consts[i]!;
  for (let i = 0; i < invars.length; i++) env[invars[i]!.id] = args[i]!;
  for (let e = 0; e < eqns.length; e++) {
    const eqn = eqns[e]!;
    const ins = eqn.inputs;
    const vals: NDArray[] = new Array(ins.length);
    for (let i = 0; i < ins.length; i++) vals[i] = env[ins[i]!.id]!;
    const outs = bind(eqn.prim, vals, eqn.params);
    const ov = eqn.outs;
    for (let i = 0; i < ov.length; i++) env[ov[i]!.id] = outs[i]!;
  }
  const res: NDArray[] = new Array(outvars.length);
  for (let i = 0; i < outvars.length; i++) res[i] = env[outvars[i]!.id]!;
  return res;
}

const effectsMemo = new WeakMap<ClosedJaxpr, boolean>();

/** Whether a jaxpr holds an effectful equation, directly or in a sub-jaxpr. */
export function hasEffects(closed: ClosedJaxpr): boolean {
  let r = effectsMemo.get(closed);
  if (r === undefined) effectsMemo.set(closed, (r = closed.jaxpr.eqns.some(isEffectful)));
  return r;
}

/** Whether an equation must run for its side effects: an effectful primitive, or one carrying such a sub-jaxpr. */
export const isEffectful = (eqn: JaxprEqn): boolean => eqn.prim.effectful === true || subJaxprs(eqn.params).some(hasEffects);

/**
 * Dead-code elimination: keeps the outputs marked in `usedOutputs` and the equations they need,
 * and every effectful equation (`isEffectful`: a `debug_callback`, or a sub-program holding one)
 * with what it reads — unless `keepEffects` is `false`, for a slice computed in addition to the
 * program that still runs them (a loop's invariant part hoisted out of it). Inputs and constants
 * all stay (so callers keep their operand lists); `usedInputs` says which inputs the remaining
 * program reads.
 */
export function dce(jaxpr: Jaxpr, usedOutputs: readonly boolean[], keepEffects = true): { jaxpr: Jaxpr; usedInputs: boolean[] } {
  const live = new Uint8Array(jaxpr.numVars);
  const outvars = jaxpr.outvars.filter((_, i) => usedOutputs[i]);
  for (const v of outvars) live[v.id] = 1;
  const kept: JaxprEqn[] = [];
  for (let e = jaxpr.eqns.length - 1; e >= 0; e--) {
    const eqn = jaxpr.eqns[e]!;
    if (!eqn.outs.some((v) => live[v.id]) && !(keepEffects && isEffectful(eqn))) continue;
    kept.push(eqn);
    for (const v of eqn.inputs) live[v.id] = 1;
  }
  kept.reverse();
  return {
    jaxpr: new Jaxpr(jaxpr.constvars, jaxpr.invars, kept, outvars, jaxpr.numVars),
    usedInputs: jaxpr.invars.map((v) => live[v.id] === 1),
  };
}

/** `dce` on a closed jaxpr (every output kept by default), dropping the constants no longer read. */
export function dceClosed(closed: ClosedJaxpr, usedOutputs?: readonly boolean[], keepEffects = true): { closed: ClosedJaxpr; usedInputs: boolean[] } {
  const { jaxpr, usedInputs } = dce(closed.jaxpr, usedOutputs ?? closed.jaxpr.outvars.map(() => true), keepEffects);
  const read = new Set<JaxprVar>();
  for (const e of jaxpr.eqns) for (const v of e.inputs) read.add(v);
  for (const v of jaxpr.outvars) read.add(v);
  const keep = jaxpr.constvars.map((v) => read.has(v));
  const pruned = new Jaxpr(jaxpr.constvars.filter((_, i) => keep[i]), jaxpr.invars, jaxpr.eqns, jaxpr.outvars, jaxpr.numVars);
  return { closed: new ClosedJaxpr(pruned, closed.consts.filter((_, i) => keep[i])), usedInputs };
}

/** Each variable an equation of `eqns` defines, mapped to that equation. */
export function producers(eqns: readonly JaxprEqn[]): Map<JaxprVar, JaxprEqn> {
  const byVar = new Map<JaxprVar, JaxprEqn>();
  for (const e of eqns) for (const o of e.outs) byVar.set(o, e);
  return byVar;
}

/** The number of equations, counting those of sub-jaxprs in params. */
export function countEqns(jaxpr: Jaxpr): number {
  let n = 0;
  for (const e of jaxpr.eqns) {
    n++;
    for (const sub of subJaxprs(e.params)) n += countEqns(sub.jaxpr);
  }
  return n;
}

/** The closed jaxprs among a primitive's params (directly, or in a list). */
export function subJaxprs(params: unknown): ClosedJaxpr[] {
  if (params === null || typeof params !== "object") return [];
  const out: ClosedJaxpr[] = [];
  for (const v of Object.values(params as Record<string, unknown>)) {
    if (isClosedJaxpr(v)) out.push(v);
    else if (Array.isArray(v)) for (const w of v) if (isClosedJaxpr(w)) out.push(w);
  }
  return out;
}

// ---------------------------------------------------------------- printing

const dtypeName: Record<DType, string> = { float64: "f64", float32: "f32", int32: "i32", bool: "bool", complex64: "c64", complex128: "c128" };

/** JAX's variable names: a … z, ba … bz, ca …, in order of first appearance. */
function varName(k: number): string {
  let s = "";
  let n = k;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}

/** `camelCase` parameter names print as JAX's `snake_case`. */
const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** One parameter value: sub-jaxprs printed in full (indented), arrays as `<array 2x3>`, functions as `<fn>`. */
function fmtValue(v: unknown, indent: string): string {
  if (isClosedJaxpr(v)) return printJaxpr(v.jaxpr, indent);
  if (Array.isArray(v) && v.length > 0 && v.every(isClosedJaxpr)) {
    const inner = indent + "  ";
    return `(\n${v.map((j) => inner + printJaxpr(j.jaxpr, inner)).join("\n")}\n${indent})`;
  }
  return (
    JSON.stringify(v, (_, x: unknown) => (typeof x === "function" ? "<fn>" : x instanceof ConcreteArray ? `<array ${x.shape.join("x")}>` : x)) ??
    String(v)
  );
}

/** Parameters as `[key=value …]`, or nothing when there are none. */
function fmtParams(params: unknown, indent: string): string {
  if (params === null || typeof params !== "object") return "";
  const entries = Object.entries(params as Record<string, unknown>);
  if (entries.length === 0) return "";
  return `[${entries.map(([k, v]) => `${snake(k)}=${fmtValue(v, indent)}`).join(" ")}]`;
}

/**
 * JAX's text form, `{ lambda consts ; inputs . let  eqns  in (outputs) }`; lines after the first
 * start with `indent` (for a jaxpr nested in another's params). Names restart in each jaxpr.
 */
export function printJaxpr(jaxpr: Jaxpr, indent: string): string {
  const names = new Map<JaxprVar, string>();
  const name = (v: JaxprVar) => {
    let s = names.get(v);
    if (s === undefined) {
      s = varName(names.size);
      names.set(v, s);
    }
    return s;
  };
  const typed = (v: JaxprVar) => `${name(v)}:${dtypeName[v.aval.dtype]}[${v.aval.shape.map((d) => (d < 0 ? "?" : d)).join(",")}]`;
  const head = `{ lambda ${jaxpr.constvars.map(typed).join(" ")}; ${jaxpr.invars.map(typed).join(" ")}. let`;
  const eqnIndent = indent + "    ";
  const body = jaxpr.eqns.map((e) => {
    const args = e.inputs.map(name).join(" ");
    const lhs = e.outs.map(typed).join(" ");
    return `${eqnIndent}${lhs} = ${e.prim.name}${fmtParams(e.params, eqnIndent)} ${args}`;
  });
  return [head, ...body, `${indent}  in (${jaxpr.outvars.map(name).join(", ")}) }`].join("\n");
}
