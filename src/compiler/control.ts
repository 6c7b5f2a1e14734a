/**
 * @file Control-flow primitives in compiled code: `pjit`, `cond`, `scan` and `while` run their
 * bodies as compiled programs (each body compiled once, when the enclosing program is generated,
 * branches at their first use) instead of interpreting them with `evalJaxpr` at every iteration.
 * Loops write each iteration's carries into two alternating buffers and a scan's per-iteration
 * outputs straight into their rows of the stacked result (a body's intermediates already live in
 * its own memory plan's buffers), so an iteration allocates nothing its body does not.
 */
import { ConcreteArray, type Aval, type NDArray } from "../core/ndarray.ts";
import { allocate, type TypedArray } from "../core/dtype.ts";
import { sizeOf } from "../kernels/strided.ts";
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

/**
 * Two buffers per carry, alternating between iterations: each iteration writes its new carries
 * into buffers none of its inputs use, so a loop allocates its carries twice per run, not at every
 * iteration. Made per run (the final carries go to the caller, who keeps them).
 */
class CarryBuffers {
  private readonly pairs: ([TypedArray, TypedArray] | undefined)[];
  constructor(private readonly avals: readonly Aval[]) {
    this.pairs = avals.map(() => undefined);
  }
  /** For each carry, a buffer no array of `inputs` uses (or `undefined` for a 0-d carry). */
  next(inputs: readonly NDArray[], from: number): (TypedArray | undefined)[] {
    return this.avals.map((aval, j) => {
      if (aval.shape.length === 0) return undefined;
      const pair = (this.pairs[j] ??= [allocate(aval.dtype, sizeOf(aval.shape)), allocate(aval.dtype, sizeOf(aval.shape))]);
      const used = (b: TypedArray) => inputs.some((a, i) => i >= from && (a as ConcreteArray).data === b);
      return used(pair[0]) ? (used(pair[1]) ? undefined : pair[1]) : pair[0];
    });
  }
  /** Whether `a` lives in one of these buffers (a later iteration will overwrite it). */
  owns(a: NDArray): boolean {
    const d = (a as ConcreteArray).data;
    return this.pairs.some((p) => p !== undefined && (p[0] === d || p[1] === d));
  }
}

function scanRunner(params: ScanParams): Runner {
  const { jaxpr, reverse, numConsts: nC, numCarry: nK } = params;
  const body = compile(jaxpr);
  const yAvals = jaxpr.outAvals.slice(nK);
  const carryAvals = jaxpr.outAvals.slice(0, nK);
  return (args) => {
    const nX = args.length - nC - nK;
    const n = params.length >= 0 ? params.length : args[nC + nK]!.shape[0]!;
    // Each iteration's ys are written into their rows of the stacked outputs.
    const rowSizes = yAvals.map((a) => sizeOf(a.shape));
    const stacked = yAvals.map((a, j) => allocate(a.dtype, n * rowSizes[j]!));
    const carries = new CarryBuffers(carryAvals);
    const ins = args.slice();
    const nCK = nC + nK;
    const xs = args.slice(nCK) as ConcreteArray[];
    for (let k = 0; k < n; k++) {
      const t = reverse ? n - 1 - k : k;
      for (let i = 0; i < nX; i++) ins[nCK + i] = rowOf(xs[i]!, t);
      const rows = stacked.map((d, j) => d.subarray(t * rowSizes[j]!, (t + 1) * rowSizes[j]!));
      const outs = body.runInto(ins, [...carries.next(ins, nC), ...rows]);
      for (let i = 0; i < nK; i++) ins[nC + i] = outs[i]!;
      for (let j = 0; j < stacked.length; j++) {
        const y = (outs[nK + j] as ConcreteArray).data;
        if (y !== rows[j]) rows[j]!.set(y);
      }
    }
    return [...ins.slice(nC, nCK), ...stacked.map((d, j) => new ConcreteArray(d, [n, ...yAvals[j]!.shape], yAvals[j]!.dtype))];
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
    const carries = new CarryBuffers(bodyJaxpr.outAvals.slice(0, nK));
    for (;;) {
      const pred = cond.runTrusted(condIns)[0] as ConcreteArray;
      if (!pred.data[0]) break;
      const outs = body.runInto(bodyIns, carries.next(bodyIns, nBC));
      for (let i = 0; i < nK; i++) condIns[nCC + i] = bodyIns[nBC + i] = outs[i]!;
      // A row kept until the loop ends must not be a carry's buffer, which a later iteration reuses.
      for (let j = 0; j < rows.length; j++) {
        const row = outs[nK + j] as ConcreteArray;
        rows[j]!.push(carries.owns(row) ? new ConcreteArray(row.data.slice(), row.shape, row.dtype) : row);
      }
    }
    return [...bodyIns.slice(nBC), ...rows.map((r, j) => stackRows(r, stackAvals[j]!))];
  };
}
