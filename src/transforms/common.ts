/** @file What every transformation shares: leaves to arrays and back, `argnums`, zeros. */
import { NDArray, ConcreteArray, scalarConcrete } from "../core/ndarray.ts";
import { isInexact } from "../core/dtype.ts";
import { isTracer } from "../core/trace.ts";
import { zerosConcrete } from "../core/ndarray.ts";
import type { Leaf } from "../tree/index.ts";
import { fmtShape } from "../core/errors.ts";

/** A leaf as an array: numbers become 0-d float64, booleans 0-d bool. */
export function leafToArray(x: Leaf, op: string, where: string): NDArray {
  if (x instanceof NDArray) return x;
  if (typeof x === "number") return scalarConcrete(x, "float64");
  if (typeof x === "boolean") return scalarConcrete(x ? 1 : 0, "bool");
  throw new TypeError(`${op}: ${where} is ${x === undefined ? "undefined" : typeof x}; expected an NDArray or a number`);
}

/**
 * `leafToArray` for the `i`-th leaf of a kind ("input leaf"), naming it only when there is an
 * error (a number or boolean leaf, as an array leaf, builds no name).
 */
export function leafToArrayAt(x: Leaf, op: string, kind: string, i: number): NDArray {
  if (x instanceof NDArray) return x;
  if (typeof x === "number") return scalarConcrete(x, "float64");
  if (typeof x === "boolean") return scalarConcrete(x ? 1 : 0, "bool");
  return leafToArray(x, op, `${kind} ${i}`);
}

/** Gives a result leaf the type of the input leaf it belongs to: a number for a number, when concrete. */
export function likeInput(result: NDArray, input: Leaf): Leaf {
  if (typeof input === "number" && !isTracer(result) && result.size === 1) return result.item();
  return result;
}

/** Concrete zeros shaped like `x` (float, for tangents/cotangents). */
export const zerosFor = (x: NDArray): NDArray => zerosConcrete(x.shape, isInexact(x.dtype) ? x.dtype : "float64");

/** Normalizes `argnums` to a list of indices into `args`, checking them (in range, none repeated). */
export function normArgnums(op: string, argnums: number | readonly number[] | undefined, nargs: number): number[] {
  const list = argnums === undefined ? [0] : typeof argnums === "number" ? [argnums] : [...argnums];
  const norm = list.map((a) => {
    if (!Number.isInteger(a) || a < -nargs || a >= nargs) {
      throw new RangeError(`${op}: argnums ${JSON.stringify(argnums)} is out of range for a call with ${nargs} argument(s)`);
    }
    return a < 0 ? a + nargs : a;
  });
  const repeated = norm.find((a, i) => norm.indexOf(a) !== i);
  if (repeated !== undefined) {
    // Differentiating twice with respect to one argument would give its gradient once and zeros for the copy.
    throw new RangeError(`${op}: argnums ${JSON.stringify(argnums)} names argument ${repeated} more than once; each argument may appear once`);
  }
  return norm;
}

const asyncFunctionError = (op: string, what: string): TypeError =>
  new TypeError(
    `${op}: ${what}: async functions cannot be transformed, because the transformation needs the function's result ` +
      `when it returns, not later. Make the function synchronous (await its inputs before calling ${op}).`,
  );

/** Rejects an async function before it runs (so none of its body runs with traced values). */
export function checkNotAsync(op: string, f: unknown): void {
  if (typeof f === "function" && Object.prototype.toString.call(f) === "[object AsyncFunction]") {
    throw asyncFunctionError(op, "the function is async");
  }
}

/**
 * Rejects a function's result that is a Promise (or any thenable). A no-op rejection handler is
 * attached first, so a later rejection of that promise is not reported as unhandled.
 */
export function checkNotPromise(op: string, out: unknown): void {
  if (out === null || (typeof out !== "object" && typeof out !== "function")) return;
  const then = (out as { then?: unknown }).then;
  if (typeof then !== "function") return;
  const ignore = (): void => {};
  try {
    (then as (ok: () => void, fail: () => void) => unknown).call(out, ignore, ignore);
  } catch {
    // A thenable whose then() throws cannot reject later; the TypeError below is what matters.
  }
  throw asyncFunctionError(op, "the function returned a Promise");
}

/** Checks that values to differentiate with respect to are float or complex. */
export function checkDifferentiable(op: string, xs: readonly NDArray[], names: readonly string[]): void {
  xs.forEach((x, i) => {
    if (!isInexact(x.dtype)) {
      throw new TypeError(
        `${op}: can only differentiate with respect to float or complex arrays, but ${names[i]} has dtype ${x.dtype} (shape ${fmtShape(x.shape)}); ` +
          "convert it with .astype('float64') or pass it as a non-differentiated argument",
      );
    }
  });
}

/** A leaf type widened: where the original takes an `NDArray`, a number is accepted too. */
type Widen<T> = NDArray extends T ? T : T extends NDArray ? NDArray | number : T;

/** Values passed through as they are: typed arrays and functions are not widened leaf by leaf. */
type Opaque = ArrayBufferView | ((...args: never[]) => unknown);

/** What a transformed function accepts for a parameter of type `T` (leaves widened, two levels deep). */
export type Arg<T> = T extends NDArray
  ? NDArray | number
  : NDArray extends T
    ? T
    : T extends Opaque
      ? T
      : T extends readonly unknown[]
      ? { [K in keyof T]: Widen<T[K]> }
      : T extends object
        ? { [K in keyof T]: Widen<T[K]> }
        : T;

/** The parameters of a transformed function. */
export type Args<F> = F extends (...args: infer A) => unknown ? { [K in keyof A]: Arg<A[K]> } : never;
