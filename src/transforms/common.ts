/** @file What every transformation shares: leaves to arrays and back, `argnums`, zeros. */
import { NDArray, ConcreteArray } from "../core/ndarray.ts";
import { isFloat } from "../core/dtype.ts";
import { isTracer } from "../core/trace.ts";
import { zerosConcrete } from "../core/ndarray.ts";
import type { Leaf } from "../tree/index.ts";
import { fmtShape } from "../core/errors.ts";

/** A leaf as an array: numbers become 0-d float64, booleans 0-d bool. */
export function leafToArray(x: Leaf, op: string, where: string): NDArray {
  if (x instanceof NDArray) return x;
  if (typeof x === "number") return new ConcreteArray(Float64Array.of(x), [], "float64");
  if (typeof x === "boolean") return new ConcreteArray(Uint8Array.of(x ? 1 : 0), [], "bool");
  throw new TypeError(`${op}: ${where} is ${x === undefined ? "undefined" : typeof x}; expected an NDArray or a number`);
}

/** Gives a result leaf the type of the input leaf it belongs to: a number for a number, when concrete. */
export function likeInput(result: NDArray, input: Leaf): Leaf {
  if (typeof input === "number" && !isTracer(result) && result.size === 1) return result.item();
  return result;
}

/** Concrete zeros shaped like `x` (float, for tangents/cotangents). */
export const zerosFor = (x: NDArray): NDArray => zerosConcrete(x.shape, isFloat(x.dtype) ? x.dtype : "float64");

/** Normalizes `argnums` to a list of indices into `args`, checking them. */
export function normArgnums(op: string, argnums: number | readonly number[] | undefined, nargs: number): number[] {
  const list = argnums === undefined ? [0] : typeof argnums === "number" ? [argnums] : [...argnums];
  return list.map((a) => {
    if (!Number.isInteger(a) || a < -nargs || a >= nargs) {
      throw new RangeError(`${op}: argnums ${JSON.stringify(argnums)} is out of range for a call with ${nargs} argument(s)`);
    }
    return a < 0 ? a + nargs : a;
  });
}

/** Checks that values to differentiate with respect to are float. */
export function checkDifferentiable(op: string, xs: readonly NDArray[], names: readonly string[]): void {
  xs.forEach((x, i) => {
    if (!isFloat(x.dtype)) {
      throw new TypeError(
        `${op}: can only differentiate with respect to float arrays, but ${names[i]} has dtype ${x.dtype} (shape ${fmtShape(x.shape)}); ` +
          "convert it with .astype('float64') or pass it as a non-differentiated argument",
      );
    }
  });
}

/** A leaf type widened: where the original takes an `NDArray`, a number is accepted too. */
type Widen<T> = NDArray extends T ? T : T extends NDArray ? NDArray | number : T;

/** What a transformed function accepts for a parameter of type `T` (leaves widened, two levels deep). */
export type Arg<T> = T extends NDArray
  ? NDArray | number
  : NDArray extends T
    ? T
    : T extends readonly unknown[]
      ? { [K in keyof T]: Widen<T[K]> }
      : T extends object
        ? { [K in keyof T]: Widen<T[K]> }
        : T;

/** The parameters of a transformed function. */
export type Args<F> = F extends (...args: infer A) => unknown ? { [K in keyof A]: Arg<A[K]> } : never;
