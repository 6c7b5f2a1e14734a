/**
 * @file The wrappers that make NumPy functions of the elementwise primitives: argument parsing,
 * broadcasting and dtype promotion (`prepareOne`/`prepareBinary`) in front of a primitive, with the
 * operation's name and its arguments' names for errors; used by `math.ts` and `logic.ts`.
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { prepareBinary, prepareOne, rejectComplex } from "./broadcast.ts";
import { asarray } from "./creation.ts";
import * as b from "../primitives/binary.ts";
import * as c from "../primitives/compare.ts";
import { isComplex } from "../core/dtype.ts";

type Un = (x: NDArray) => NDArray;
export type Bin = (x: NDArray, y: NDArray) => NDArray;

export const X = ["x"];
const X1X2 = ["x1", "x2"];
/** A float function of one argument (integers and bools are promoted to float64). */
export const floatFn = (name: string, f: Un) => {
  const op = `np.${name}`;
  return (x: ArrayLike): NDArray => f(prepareOne(op, x, true, X));
};
/** A function of one argument that keeps the dtype. */
export const sameFn = (name: string, f: Un) => {
  const op = `np.${name}`;
  return (x: ArrayLike): NDArray => f(prepareOne(op, x, false, X));
};
/** A broadcasting function of two arguments, whose `f` always computes a new array (see `prepareBinary`). */
export const binFn = (name: string, f: Bin, floatOnly = false) => {
  const op = `np.${name}`;
  return (x1: ArrayLike, x2: ArrayLike): NDArray => {
    const [x, y] = prepareBinary(op, x1, x2, floatOnly, X1X2);
    return f(x!, y!);
  };
};

/** A complex value's truth (non-zero, as NumPy: 1j is true) as a bool array; other arrays unchanged. */
export const truth = (x: NDArray): NDArray => (isComplex(x.dtype) ? c.ne(x, b.fullLike(x, 0)) : x);

/** A function of one real argument: a complex one is a `TypeError` naming it, as in NumPy. */
export const realFloatFn = (name: string, f: Un) => {
  const op = `np.${name}`;
  return (x: ArrayLike): NDArray => {
    const a = prepareOne(op, x, true, X);
    rejectComplex(op, [a], X);
    return f(a);
  };
};

/** A broadcasting function of two real arguments: a complex operand is a `TypeError`, as in NumPy. */
export const realBinFn = (name: string, f: Bin, floatOnly: boolean) => {
  const op = `np.${name}`;
  return (x1: ArrayLike, x2: ArrayLike): NDArray => {
    const [x, y] = prepareBinary(op, x1, x2, floatOnly, X1X2);
    // Both are complex after promotion: name the argument that was complex as given.
    if (isComplex(x!.dtype)) rejectComplex(op, [isComplex(asarray(x1).dtype) ? x! : y!], [isComplex(asarray(x1).dtype) ? "x1" : "x2"]);
    return f(x!, y!);
  };
};
