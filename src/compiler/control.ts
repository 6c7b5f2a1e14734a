/**
 * @file Control-flow primitives in compiled code: `pjit`, `cond`, `scan` and `while` run their
 * bodies as compiled programs (each body compiled once, when the enclosing program is generated,
 * branches at their first use) instead of interpreting them with `evalJaxpr` at every iteration.
 */
import type { ConcreteArray, NDArray } from "../core/ndarray.ts";
import type { Primitive } from "../core/primitive.ts";
import type { ClosedJaxpr } from "../core/jaxpr.ts";
import { rowOf, stackRows, type CondParams } from "../higher-order/control.ts";
import type { ScanParams, WhileParams } from "../higher-order/loops.ts";
import type { PjitParams } from "../higher-order/pjit.ts";
import { compile, type Compiled } from "./compile.ts";

/** How a compiled program runs one equation: its operands in, its results out. */
export type Runner = (args: readonly NDArray[]) => NDArray[];

/**
 * The runner of a control-flow equation over compiled bodies, or `undefined` for any other
 * primitive (which runs its kernel). Each runner computes what the primitive's `impl` computes, in
 * the same order, with `compile(body).runTrusted` where `impl` calls `evalJaxpr(body)`: a body's
 * operands have its input avals by the equation's typing, so its checks are skipped.
 */
export function controlRunner(prim: Primitive<never>, params: unknown): Runner | undefined {
  switch (prim.name) {
    case "pjit":
      return compile((params as PjitParams).jaxpr).runTrusted;
    case "cond":
      return condRunner(params as CondParams);
    case "scan":
      return scanRunner(params as ScanParams);
    case "while":
      return whileRunner(params as WhileParams);
    default:
      return undefined;
  }
}

function condRunner({ branches }: CondParams): Runner {
  const compiled: (Compiled | undefined)[] = branches.map(() => undefined);
  const n = branches.length;
  return (args) => {
    const index = (args[0] as ConcreteArray).data[0]!;
    const b = Math.min(Math.max(Math.trunc(index), 0), n - 1);
    return (compiled[b] ??= compile(branches[b] as ClosedJaxpr)).runTrusted(args.slice(1));
  };
}

function scanRunner(params: ScanParams): Runner {
  const { jaxpr, reverse, numConsts: nC, numCarry: nK } = params;
  const body = compile(jaxpr);
  const yAvals = jaxpr.outAvals.slice(nK);
  return (args) => {
    const nX = args.length - nC - nK;
    const n = params.length >= 0 ? params.length : args[nC + nK]!.shape[0]!;
    const ys: NDArray[][] = yAvals.map(() => new Array<NDArray>(n));
    const ins = args.slice();
    const nCK = nC + nK;
    const xs = args.slice(nCK) as ConcreteArray[];
    for (let k = 0; k < n; k++) {
      const t = reverse ? n - 1 - k : k;
      for (let i = 0; i < nX; i++) ins[nCK + i] = rowOf(xs[i]!, t);
      const outs = body.runTrusted(ins);
      for (let i = 0; i < nK; i++) ins[nC + i] = outs[i]!;
      for (let j = 0; j < ys.length; j++) ys[j]![t] = outs[nK + j]!;
    }
    return [...ins.slice(nC, nCK), ...ys.map((rows, j) => stackRows(rows, yAvals[j]!))];
  };
}

function whileRunner(params: WhileParams): Runner {
  const { condJaxpr, bodyJaxpr, condNConsts: nCC, bodyNConsts: nBC } = params;
  const cond = compile(condJaxpr);
  const body = compile(bodyJaxpr);
  return (args) => {
    const nK = args.length - nCC - nBC;
    const stackAvals = bodyJaxpr.outAvals.slice(nK);
    const rows: NDArray[][] = stackAvals.map(() => []);
    const condIns = [...args.slice(0, nCC), ...args.slice(nCC + nBC)];
    const bodyIns = args.slice(nCC);
    for (;;) {
      const pred = cond.runTrusted(condIns)[0] as ConcreteArray;
      if (!pred.data[0]) break;
      const outs = body.runTrusted(bodyIns);
      for (let i = 0; i < nK; i++) condIns[nCC + i] = bodyIns[nBC + i] = outs[i]!;
      for (let j = 0; j < rows.length; j++) rows[j]!.push(outs[nK + j]!);
    }
    return [...bodyIns.slice(nBC), ...rows.map((r, j) => stackRows(r, stackAvals[j]!))];
  };
}
