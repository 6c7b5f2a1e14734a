/** @file Products: `dot`, `matmul`, `inner`, `outer`, `vdot`, `tensordot`, all through `dotGeneral`. */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import { asarray } from "./creation.ts";
import { broadcastShapes, normAxis } from "./broadcast.ts";
import { dotGeneral } from "../primitives/contraction.ts";
import * as s from "../primitives/structural.ts";
import { isComplex, promote } from "../core/dtype.ts";
import { conj } from "../primitives/complex.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { requireStatic } from "./static-args.ts";
import * as P from "../core/parse.ts";
import { multiply } from "./math.ts";

function operands(op: string, a: ArrayLike, b: ArrayLike): [NDArray, NDArray] {
  const x = asarray(a, undefined, op, "a");
  const y = asarray(b, undefined, op, "b");
  let dt = promote(x.dtype, y.dtype);
  if (dt === "bool") dt = "int32";
  return [s.convert(x, dt), s.convert(y, dt)];
}

/**
 * `np.matmul(a, b)` (`a @ b`): matrix product with broadcast batch dimensions; 1-D operands as NumPy.
 * @example
 * np.matmul([[1, 2], [3, 4]], [1, 1]); // [3, 7]
 */
export function matmul(a: ArrayLike, b: ArrayLike): NDArray {
  let [x, y] = operands("np.matmul", a, b);
  if (x.ndim === 0 || y.ndim === 0) {
    throw new ShapeError(`np.matmul: operands must not be 0-d (got shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)}); use np.multiply`);
  }
  const xVec = x.ndim === 1;
  const yVec = y.ndim === 1;
  if (xVec) x = s.reshape(x, [1, x.shape[0]!]);
  if (yVec) y = s.reshape(y, [y.shape[0]!, 1]);
  const k = x.shape[x.ndim - 1]!;
  if (y.shape[y.ndim - 2] !== k) {
    throw new ShapeError(
      `np.matmul: shapes ${fmtShape(asarray(a).shape)} and ${fmtShape(asarray(b).shape)} are not aligned: ` +
        `${k} (last axis of a) != ${y.shape[y.ndim - 2]} (${yVec ? "axis 0" : "second-to-last axis"} of b)`,
    );
  }
  const batch = broadcastShapes("np.matmul (batch dimensions)", x.shape.slice(0, -2), y.shape.slice(0, -2));
  const nb = batch.length;
  x = s.broadcastTo(x, [...batch, ...x.shape.slice(-2)]);
  y = s.broadcastTo(y, [...batch, ...y.shape.slice(-2)]);
  const axes = batch.map((_, i) => i);
  let out = dotGeneral(x, y, { lhsContract: [nb + 1], rhsContract: [nb], lhsBatch: axes, rhsBatch: axes });
  if (xVec || yVec) {
    const shape = out.shape.slice();
    if (yVec) shape.splice(shape.length - 1, 1);
    if (xVec) shape.splice(shape.length - (yVec ? 1 : 2), 1);
    out = s.reshape(out, shape);
  }
  return out;
}

/**
 * `np.dot(a, b)`: for N-d arrays, a sum product over the last axis of `a` and the second-to-last of `b`.
 * @example
 * np.dot([[1, 2], [3, 4]], [[1, 0], [0, 2]]); // [[1, 4], [3, 8]]
 */
export function dot(a: ArrayLike, b: ArrayLike): NDArray {
  const [x, y] = operands("np.dot", a, b);
  if (x.ndim === 0 || y.ndim === 0) return multiply(x, y);
  const ya = y.ndim === 1 ? 0 : y.ndim - 2;
  if (x.shape[x.ndim - 1] !== y.shape[ya]) {
    throw new ShapeError(
      `np.dot: shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)} not aligned: ${x.shape[x.ndim - 1]} (dim ${x.ndim - 1}) != ${y.shape[ya]} (dim ${ya})`,
    );
  }
  return dotGeneral(x, y, { lhsContract: [x.ndim - 1], rhsContract: [ya], lhsBatch: [], rhsBatch: [] });
}

/**
 * `np.inner(a, b)`: sum product over the last axes.
 * @example
 * np.inner([1, 2, 3], [4, 5, 6]); // 32
 */
export function inner(a: ArrayLike, b: ArrayLike): NDArray {
  const [x, y] = operands("np.inner", a, b);
  if (x.ndim === 0 || y.ndim === 0) return multiply(x, y);
  if (x.shape[x.ndim - 1] !== y.shape[y.ndim - 1]) {
    throw new ShapeError(`np.inner: last dimensions of shapes ${fmtShape(x.shape)} and ${fmtShape(y.shape)} differ`);
  }
  return dotGeneral(x, y, { lhsContract: [x.ndim - 1], rhsContract: [y.ndim - 1], lhsBatch: [], rhsBatch: [] });
}

/**
 * `np.outer(a, b)`: both flattened, every product.
 * @example
 * np.outer([1, 2], [3, 4, 5]); // [[3, 4, 5], [6, 8, 10]]
 */
export function outer(a: ArrayLike, b: ArrayLike): NDArray {
  const [x, y] = operands("np.outer", a, b);
  return multiply(s.reshape(x, [x.size, 1]), s.reshape(y, [1, y.size]));
}

/**
 * `np.vdot(a, b)`: the dot product of the flattened arrays, the first one conjugated when complex
 * (Σ conj(aᵢ)·bᵢ, as NumPy).
 * @example
 * np.vdot([[1, 2], [3, 4]], [[1, 1], [1, 1]]); // 10
 * np.imag(np.vdot(np.complex(0, 1), np.complex(0, 1))).item(); // 0 (conj(i)·i = 1)
 */
export function vdot(a: ArrayLike, b: ArrayLike): NDArray {
  let [x, y] = operands("np.vdot", a, b);
  if (isComplex(x.dtype)) x = conj(x);
  if (x.size !== y.size) throw new ShapeError(`np.vdot: sizes differ: ${fmtShape(x.shape)} and ${fmtShape(y.shape)}`);
  return dotGeneral(s.reshape(x, [x.size]), s.reshape(y, [y.size]), { lhsContract: [0], rhsContract: [0], lhsBatch: [], rhsBatch: [] });
}

/**
 * `np.tensordot(a, b, axes = 2)`: `axes` is a count (last of a with first of b) or a pair of axis lists.
 * @example
 * np.tensordot([[1, 2], [3, 4]], [[1, 2], [3, 4]]); // 30
 * np.tensordot([1, 2], [3, 4], 0); // [[3, 4], [6, 8]]
 */
export function tensordot(a: ArrayLike, b: ArrayLike, axes: number | readonly [readonly number[] | number, readonly number[] | number] = 2): NDArray {
  requireStatic("np.tensordot", "axes", axes, "an axis");
  const [x, y] = operands("np.tensordot", a, b);
  let la: number[];
  let lb: number[];
  if (typeof axes === "number") {
    if (!Number.isInteger(axes) || axes < 0 || axes > Math.min(x.ndim, y.ndim)) {
      throw new TypeError(`np.tensordot: axes as a count must be an integer in [0, ${Math.min(x.ndim, y.ndim)}]; got ${P.describe(axes)}`);
    }
    la = Array.from({ length: axes }, (_, i) => x.ndim - axes + i);
    lb = Array.from({ length: axes }, (_, i) => i);
  } else {
    if (!Array.isArray(axes) || axes.length !== 2) {
      throw new TypeError(`np.tensordot: axes must be a count or a pair [axesOfA, axesOfB]; got ${P.describe(axes)}`);
    }
    la = P.parseInts("np.tensordot", "axes[0]", axes[0]).map((ax) => normAxis("np.tensordot", ax, x.ndim));
    lb = P.parseInts("np.tensordot", "axes[1]", axes[1]).map((ax) => normAxis("np.tensordot", ax, y.ndim));
  }
  if (la.length !== lb.length || la.some((ax, i) => x.shape[ax] !== y.shape[lb[i]!])) {
    throw new ShapeError(`np.tensordot: shape-mismatch for sum over axes ${JSON.stringify(la)} of ${fmtShape(x.shape)} and ${JSON.stringify(lb)} of ${fmtShape(y.shape)}`);
  }
  return dotGeneral(x, y, { lhsContract: la, rhsContract: lb, lhsBatch: [], rhsBatch: [] });
}
