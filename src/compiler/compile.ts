/**
 * @file `compile(closed)`: the optimising pipeline, then generated JS code (or, where `new Function`
 * is forbidden, the interpreter) behind one `run(args)`.
 */
import { allocate, type TypedArray } from "../core/dtype.ts";
import { ConcreteArray, type Aval, type NDArray } from "../core/ndarray.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { evalJaxpr, type ClosedJaxpr } from "../core/jaxpr.ts";
import { optimize } from "./pipeline.ts";
import { generate } from "./codegen-js.ts";
import { allocateSlot } from "./memory-plan.ts";

/** A compiled program. */
export interface Compiled {
  /**
   * Runs the program on concrete arrays of the closed jaxpr's input shapes and dtypes, in order
   * (checked: generated loops trust them).
   */
  run(args: readonly NDArray[]): NDArray[];
  /**
   * `run` without the argument checks, for a caller that already knows the arguments are concrete
   * arrays of the right dtypes and shapes (jit's cache hit, whose key guarantees them).
   */
  runTrusted(args: readonly NDArray[]): NDArray[];
  /**
   * `runTrusted` where the arguments at the positions `compile` was given as donated are given up by
   * the caller: outputs may be written into their buffers (unless a donated buffer overlaps another
   * argument's or a constant's memory, when none is).
   */
  runDonating(args: readonly NDArray[]): NDArray[];
  /**
   * `runTrusted` writing output `j` into `into[j]` where given and where a loop or kernel call of
   * the program computes it (other outputs come back as arrays of their own: compare `.data`). Each
   * `into[j]` has output `j`'s dtype and size and shares no memory with the arguments or the others.
   */
  runInto(args: readonly NDArray[], into: readonly (TypedArray | undefined)[]): NDArray[];
  /** The optimised program that runs. */
  readonly jaxpr: ClosedJaxpr;
  /** The generated JS source (empty when running on the interpreter). */
  readonly text: string;
}

/**
 * Optimises `closed` and generates its JS function. Results equal `evalJaxpr(closed, args)` to
 * rounding — fused loops compute each element with the eager kernels' operations in the same order,
 * so they are in fact equal, NaN and ±∞ included (up to the sign of zero sums, see `simplify`);
 * a product proved symmetric (`symmetric.ts`: X·diag(u)·diag(v)·Xᵀ, a Hessian's Aᵀ·diag(w)·A)
 * mirrors its upper triangle, whose elements below the diagonal differ from eager's by rounding.
 * `donated` are the positions of inputs whose buffers `runDonating` may give to outputs.
 */
export function compile(closed: ClosedJaxpr, donated: readonly number[] = []): Compiled {
  const jaxpr = optimize(closed);
  let generated;
  try {
    generated = generate(jaxpr, donated);
  } catch (e) {
    // A Content-Security-Policy without 'unsafe-eval' makes `new Function` throw an EvalError.
    if (!(e instanceof EvalError)) throw e;
    const interpret = (args: readonly NDArray[]) => evalJaxpr(jaxpr, args);
    return { run: interpret, runTrusted: interpret, runDonating: interpret, runInto: interpret, jaxpr, text: "" };
  }
  const { fn, memory, text } = generated;
  const inAvals = jaxpr.inAvals;
  const buffers = memory.slots.map(allocateSlot);
  let busy = false;
  const call = (args: readonly NDArray[], donate: boolean, into?: readonly (TypedArray | undefined)[]): NDArray[] => {
    // A re-entrant call (a kernel calling this very program) gets buffers of its own.
    if (busy) return fn(args, memory.slots.map((s) => allocate(s.dtype, s.size)), donate, into);
    busy = true;
    try {
      return fn(args, buffers, donate, into);
    } finally {
      busy = false;
    }
  };
  const runTrusted = (args: readonly NDArray[]): NDArray[] => call(args, false);
  const constData = jaxpr.consts.map((c) => (c as ConcreteArray).data);
  const runDonating = (args: readonly NDArray[]): NDArray[] =>
    call(args, memory.donatedTo.size > 0 && donated.every((i) => !sharesMemory((args[i] as ConcreteArray).data, args, i, constData)));
  return {
    run(args) {
      checkArgs(args, inAvals);
      return runTrusted(args);
    },
    runTrusted,
    runDonating,
    runInto: (args, into) => call(args, false, into),
    jaxpr,
    text,
  };
}

/** Whether `d` (argument `at`'s data) overlaps the memory of another argument or of a constant. */
function sharesMemory(d: TypedArray, args: readonly NDArray[], at: number, consts: readonly (TypedArray | undefined)[]): boolean {
  const overlaps = (e: TypedArray | undefined) =>
    e !== undefined && e.buffer === d.buffer && e.byteOffset < d.byteOffset + d.byteLength && d.byteOffset < e.byteOffset + e.byteLength;
  return args.some((a, j) => j !== at && overlaps((a as ConcreteArray).data)) || consts.some(overlaps);
}

/** Throws unless `args` are concrete arrays with the avals the program was compiled for. */
function checkArgs(args: readonly NDArray[], avals: readonly Aval[]): void {
  if (args.length !== avals.length) throw new TypeError(`compiled program: takes ${avals.length} arguments, got ${args.length}`);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const want = avals[i]!;
    if (!(a instanceof ConcreteArray)) {
      throw new TypeError(`compiled program: argument ${i} must be a concrete array (a compiled program runs outside transformations; bind pjit inside them)`);
    }
    const { shape } = a;
    let ok = a.dtype === want.dtype && shape.length === want.shape.length;
    for (let d = 0; ok && d < shape.length; d++) ok = shape[d] === want.shape[d];
    if (!ok) {
      throw new ShapeError(
        `compiled program: argument ${i} has dtype ${a.dtype} and shape ${fmtShape(shape)}, but the program was compiled for ${want.dtype} ${fmtShape(want.shape)}`,
      );
    }
  }
}
