/**
 * @file `makeJaxpr(f)(...args)`: the sequence of primitives `f` applies, as a `Jaxpr` (JAX's IR)
 * that prints like JAX's and can be evaluated again (`jaxpr.eval(...args)`, differentiable and
 * batchable like any function). Only shapes and dtypes flow while staging, so `f` must not read
 * its inputs' values (`item()` raises); computations on constants alone run at once and enter the
 * jaxpr as constants.
 */
import type { NDArray } from "../core/ndarray.ts";
import { evalJaxpr, type ClosedJaxpr, type JaxprEqn, type JaxprVar } from "../core/jaxpr.ts";
import { stageFlat } from "../interpreters/staging.ts";
import { flatten, unflatten, structureKey, type Tree, type TreeDef } from "../tree/index.ts";
import type { Fn } from "./types.ts";
import { leafToArray, leafToArrayAt } from "./common.ts";
import type { Args } from "./common.ts";

/** A staged function: its closed jaxpr, with the tree structures of its arguments and result. */
export class Jaxpr {
  constructor(
    /** The program, dead code removed. */
    readonly closed: ClosedJaxpr,
    /**
     * Values of an enclosing transformation that the function closed over (under `grad`, `vmap`…):
     * the closed jaxpr's leading inputs, passed again by `eval`.
     */
    readonly hoisted: readonly NDArray[],
    private readonly inDef: TreeDef,
    private readonly outDef: TreeDef,
  ) {}

  /** Variables holding values from outside the function (constants). */
  get constvars(): readonly JaxprVar[] {
    return this.closed.jaxpr.constvars;
  }
  get consts(): readonly NDArray[] {
    return this.closed.consts;
  }
  /** The function's inputs (after the hoisted values). */
  get invars(): readonly JaxprVar[] {
    return this.closed.jaxpr.invars.slice(this.hoisted.length);
  }
  get eqns(): readonly JaxprEqn[] {
    return this.closed.jaxpr.eqns;
  }
  get outvars(): readonly JaxprVar[] {
    return this.closed.jaxpr.outvars;
  }

  /** Runs the equations on new inputs (the same tree structure as the staged call), returning the outputs' tree. */
  eval(...args: unknown[]): any {
    const [leaves, def] = flatten(args as Tree, "jaxpr.eval: argument");
    if (structureKey(def) !== structureKey(this.inDef)) throw new TypeError("jaxpr.eval: the arguments do not have the structure the jaxpr was made for");
    return this.evalLeaves(leaves);
  }

  /** `eval` on already flattened inputs. */
  evalLeaves(leaves: readonly unknown[]): any {
    const args = leaves.map((l, i) => leafToArrayAt(l as never, "jaxpr.eval", "argument", i));
    return unflatten(this.outDef, evalJaxpr(this.closed, this.hoisted.length === 0 ? args : [...this.hoisted, ...args]));
  }

  /** JAX's text form: `{ lambda consts ; inputs . let  eqns  in (outputs) }`, sub-jaxprs nested. */
  toString(): string {
    return this.closed.toString();
  }
}

/**
 * `makeJaxpr(f)(...args)`: stages `f` at the shapes and dtypes of `args` (trees of arrays and
 * numbers) and returns its `Jaxpr`, dead code removed. Composes with the other transformations:
 * `makeJaxpr(grad(f))` shows the forward and backward passes; control flow (`lax.cond`, `scan`,
 * `whileLoop`) is one equation carrying its sub-jaxprs.
 * @example
 * String(makeJaxpr((x: NDArray) => np.sum(np.sin(x)))(np.ones([3])));
 * // { lambda ; a:f64[3]. let
 * //     b:f64[3] = sin a
 * //     c:f64[] = reduceSum[axes=[0]] b
 * //   in (c) }
 */
export function makeJaxpr<F extends Fn>(f: F): (...args: Args<F>) => Jaxpr {
  return (...args) => {
    const [leaves, inDef] = flatten(args as unknown as Tree, "makeJaxpr: argument");
    const arrays = leaves.map((l, i) => leafToArrayAt(l, "makeJaxpr", "argument leaf", i));
    let outDef: TreeDef | null = null;
    const { jaxpr, hoisted } = stageFlat(
      (invars) => {
        const out = (f as unknown as (...xs: unknown[]) => unknown)(...(unflatten(inDef, invars) as unknown[]));
        const [outLeaves, def] = flatten(out as Tree, "makeJaxpr: output");
        outDef = def;
        return outLeaves.map((l) => leafToArray(l, "makeJaxpr", "an output"));
      },
      arrays,
      "makeJaxpr",
    );
    return new Jaxpr(jaxpr, hoisted, inDef, outDef!);
  };
}
