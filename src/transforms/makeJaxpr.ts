/**
 * @file `makeJaxpr(f)(...args)`: the sequence of primitives `f` applies, as a `Jaxpr` (JAX's IR)
 * that prints like JAX's and can be evaluated again (`jaxpr.eval(...args)`, differentiable and
 * batchable like any function). Only shapes and dtypes flow while staging, so `f` must not read
 * its inputs' values (`item()` raises); computations on constants alone run at once and enter the
 * jaxpr as constants.
 */
import type { NDArray } from "../core/ndarray.ts";
import { ConcreteArray } from "../core/ndarray.ts";
import type { DType } from "../core/dtype.ts";
import { withMainTrace } from "../core/trace.ts";
import { evalEqns, makeStagingTrace, Recording, StagingTrace, Var as VarClass, type JaxprEqn, type Var } from "../interpreters/staging.ts";
import { flatten, unflatten, structureKey, type Tree, type TreeDef } from "../tree/index.ts";
import { leafToArray } from "./common.ts";
import type { Args } from "./common.ts";

const dtypeName: Record<DType, string> = { float64: "f64", float32: "f32", int32: "i32", bool: "bool" };

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

/** Parameters as `[key=value …]` (functions shown as `<fn>`), or nothing when there are none. */
function fmtParams(params: unknown): string {
  if (params === null || typeof params !== "object") return "";
  const entries = Object.entries(params as Record<string, unknown>);
  if (entries.length === 0) return "";
  const show = (v: unknown): string =>
    JSON.stringify(v, (_, x: unknown) => (typeof x === "function" ? "<fn>" : x instanceof ConcreteArray ? `<array ${x.shape.join("x")}>` : x)) ?? String(v);
  return `[${entries.map(([k, v]) => `${k}=${show(v)}`).join(" ")}]`;
}

/** A staged function: constants, inputs, equations, outputs. */
export class Jaxpr {
  constructor(
    /** Variables holding values from outside the function (constants), with their values. */
    readonly constvars: readonly Var[],
    readonly consts: readonly NDArray[],
    readonly invars: readonly Var[],
    readonly eqns: readonly JaxprEqn[],
    readonly outvars: readonly Var[],
    private readonly inDef: TreeDef,
    private readonly outDef: TreeDef,
  ) {}

  /** Runs the equations on new inputs (the same tree structure as the staged call), returning the outputs' tree. */
  eval(...args: unknown[]): any {
    const [leaves, def] = flatten(args as Tree, "jaxpr.eval: argument");
    if (structureKey(def) !== structureKey(this.inDef)) throw new TypeError("jaxpr.eval: the arguments do not have the structure the jaxpr was made for");
    return this.evalLeaves(leaves);
  }

  /** `eval` on already flattened inputs. */
  evalLeaves(leaves: readonly unknown[]): any {
    const env = new Map<Var, NDArray>();
    this.constvars.forEach((v, i) => env.set(v, this.consts[i]!));
    this.invars.forEach((v, i) => env.set(v, leafToArray(leaves[i] as never, "jaxpr.eval", `argument ${i}`)));
    evalEqns(this.eqns, env);
    return unflatten(this.outDef, this.outvars.map((v) => env.get(v)!));
  }

  /** JAX's text form: `{ lambda consts ; inputs . let  eqns  in (outputs) }`. */
  toString(): string {
    const names = new Map<Var, string>();
    const name = (v: Var) => {
      if (!names.has(v)) names.set(v, varName(names.size));
      return names.get(v)!;
    };
    const typed = (v: Var) => `${name(v)}:${dtypeName[v.aval.dtype]}[${v.aval.shape.join(",")}]`;
    const head = `{ lambda ${this.constvars.map(typed).join(" ")}; ${this.invars.map(typed).join(" ")}. let`;
    const body = this.eqns.map((e) => {
      const lhs = e.outs.map(typed).join(" ");
      return `    ${lhs} = ${e.prim.name}${fmtParams(e.params)} ${e.inputs.map(name).join(" ")}`;
    });
    return [head, ...body, `  in (${this.outvars.map(name).join(", ")}) }`].join("\n");
  }
}

/**
 * `makeJaxpr(f)(...args)`: stages `f` at the shapes and dtypes of `args` (trees of arrays and
 * numbers) and returns its `Jaxpr`. Composes with the other transformations:
 * `makeJaxpr(grad(f))` shows the forward and backward passes.
 * @example
 * String(makeJaxpr((x: NDArray) => np.sum(np.sin(x)))(np.ones([3])));
 * // { lambda ; a:f64[3]. let
 * //     b:f64[3] = sin a
 * //     c:f64[] = reduceSum[axes=[0]] b
 * //   in (c) }
 */
export function makeJaxpr<F extends (...args: never[]) => unknown>(f: F): (...args: Args<F>) => Jaxpr {
  return (...args) => {
    const [leaves, inDef] = flatten(args as unknown as Tree, "makeJaxpr: argument");
    const arrays = leaves.map((l, i) => leafToArray(l, "makeJaxpr", `argument leaf ${i}`));
    const recording = new Recording();
    return withMainTrace(makeStagingTrace, recording, (main) => {
      const trace = main.trace as StagingTrace;
      const invars = arrays.map((a) => trace.newVar(a));
      const out = (f as unknown as (...xs: unknown[]) => unknown)(...(unflatten(inDef, invars) as unknown[]));
      const [outLeaves, outDef] = flatten(out as Tree, "makeJaxpr: output");
      const outvars = outLeaves.map((l) => {
        const a = leafToArray(l, "makeJaxpr", "an output");
        return a instanceof VarClass && a.trace === trace ? a : trace.pure(a);
      });
      const constEntries = [...recording.consts.entries()];
      return new Jaxpr(
        constEntries.map(([, v]) => v),
        constEntries.map(([value]) => value),
        invars,
        recording.eqns,
        outvars,
        inDef,
        outDef,
      );
    });
  };
}
