/**
 * @file Elementwise functions of two arguments of equal shape and dtype (the numpy layer
 * broadcasts and promotes first, as JAX's lax does). `add`, `sub`, `mul`, `div` are linear in one
 * argument at a time and carry transpose rules.
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { allocate, fillReal, type DType } from "../core/dtype.ts";
import { bind1 } from "../core/trace.ts";
import { isUndefinedPrimal, type Primitive, type TransposeRule, type JvpRule } from "../core/primitive.ts";
import { neg, log, floor, sign } from "./unary.ts";
import { and, eq, gt, select } from "./compare.ts";
import { convert } from "./structural.ts";
import { elementwise, exprKernel, type ElementwiseKernel } from "./elementwise.ts";
import { divComplex, lexExtremumPairs, mulComplex } from "../kernels/complex.ts";

type Empty = Record<string, never>;

/**
 * An elementwise primitive of two arguments from a kernel expression in `a` and `b`, and optionally
 * a kernel for complex operands (without one, complex operands are a `TypeError`).
 */
export function binary(
  name: string,
  expr: string,
  jvp: JvpRule<Empty>,
  transpose: TransposeRule<Empty> | "nonlinear" = "nonlinear",
  complexKernel?: ElementwiseKernel<Empty>,
): Primitive<Empty> {
  return elementwise<Empty>({ name, kernel: exprKernel(2, expr), jvp, transpose, ...(complexKernel && { complexKernel }) });
}

/** A kernel over interleaved complex storage from a loop over its slots (`add`, `sub` act on the parts alike). */
const slotwise = (expr: string): ElementwiseKernel<Empty> => exprKernel(2, expr);

/** Sum of two tangent contributions, either of which may be a symbolic zero. */
export const addT = (a: NDArray | null, b: NDArray | null): NDArray | null =>
  a === null ? b : b === null ? a : add(a, b);

const U = isUndefinedPrimal;

// add and sub are linear, but keep a rule of their own rather than linearJvp's: a symbolic-zero
// tangent stays a zero (addT) instead of becoming an array of zeros to add.
export const addP = binary(
  "add",
  "a + b",
  (_, [t0, t1]) => [addT(t0!, t1!)],
  ([ct], [x, y]) => [U(x) ? ct! : null, U(y) ? ct! : null],
  slotwise("a + b"),
);
export const subP = binary(
  "sub",
  "a - b",
  (_, [t0, t1]) => [addT(t0!, t1 && neg(t1))],
  ([ct], [x, y]) => [U(x) ? ct! : null, U(y) ? neg(ct!) : null],
  slotwise("a - b"),
);
export const mulP = binary(
  "mul",
  "a * b",
  ([x, y], [t0, t1]) => [addT(t0 && mul(t0, y!), t1 && mul(x!, t1))],
  // Not conjugated for complex values (JAX's convention; see primitives/complex.ts).
  ([ct], [x, y]) => [U(x) ? mul(ct!, y as NDArray) : null, U(y) ? mul(x as NDArray, ct!) : null],
  ([x, y], out) => mulComplex(x!.data, y!.data, out),
);
// d(x/y) = dx/y − (x/y)·dy/y
export const divP = binary(
  "div",
  "a / b",
  ([, y], [t0, t1], [out]) => [addT(t0 && div(t0, y!), t1 && neg(mul(t1, div(out!, y!))))],
  ([ct], [x, y]) => {
    if (U(y)) throw new TypeError("div: the divisor is linear in a transpose, which is not a linear map");
    return [U(x) ? div(ct!, y) : null, null];
  },
  ([x, y], out) => divComplex(x!.data, y!.data, out),
);
// d(xʸ) = y·xʸ⁻¹ dx + log(x)·xʸ dy, with 0 where x = y = 0 (first term, not 0·∞) or x = 0 (second).
// Only where x = 0 too: elsewhere y·xʸ⁻¹ is finite, and its y-derivative xʸ⁻¹ at y = 0 is needed.
export const powP = binary("pow", "Math.pow(a, b)", ([x, y], [t0, t1], [out]) => {
  const zero = (z: NDArray) => fullLike(z, 0);
  const both0 = and(eq(y!, zero(y!)), eq(x!, zero(x!)));
  const dx = t0 && mul(t0, select(both0, zero(x!), mul(y!, pow(x!, sub(y!, fullLike(y!, 1))))));
  const safeLog = log(select(eq(x!, zero(x!)), fullLike(x!, 1), x!));
  const dy = t1 && mul(t1, mul(out!, safeLog));
  return [addT(dx, dy)];
});
// Ties share the derivative equally, as in autograd.
const tieWeights = (x: NDArray, y: NDArray): NDArray =>
  add(convert(gt(x, y), x.dtype), mul(fullLike(x, 0.5), convert(eq(x, y), x.dtype)));
// Complex values: NumPy's lexicographic order, a NaN operand wins.
export const maxP = binary(
  "max",
  "(a > b || a !== a) ? a : b",
  ([x, y], [t0, t1]) => [addT(t0 && mul(t0, tieWeights(x!, y!)), t1 && mul(t1, tieWeights(y!, x!)))],
  "nonlinear",
  ([x, y], out) => lexExtremumPairs(x!.data, y!.data, 1, out),
);
export const minP = binary(
  "min",
  "(a < b || a !== a) ? a : b",
  ([x, y], [t0, t1]) => [addT(t0 && mul(t0, tieWeights(y!, x!)), t1 && mul(t1, tieWeights(x!, y!)))],
  "nonlinear",
  ([x, y], out) => lexExtremumPairs(x!.data, y!.data, -1, out),
);
// d atan2(y, x) = (x dy − y dx) / (x² + y²)
export const atan2P = binary("atan2", "Math.atan2(a, b)", ([y, x], [ty, tx]) => {
  const r2 = add(mul(x!, x!), mul(y!, y!));
  return [addT(ty && div(mul(ty, x!), r2), tx && neg(div(mul(tx, y!), r2)))];
});
// Python's floor modulo; d mod(a, b) = da − floor(a/b) db.
export const modP = binary("mod", "H.floorMod(a, b)", ([x, y], [t0, t1]) => [
  addT(t0, t1 && neg(mul(t1, floor(div(x!, y!))))),
]);
// C's fmod (sign of the dividend); d fmod(a, b) = da − trunc(a/b) db.
export const fmodP = binary("fmod", "a % b", ([x, y], [t0, t1]) => {
  const q = div(x!, y!);
  return [addT(t0, t1 && neg(mul(t1, mul(sign(q), floor(mul(sign(q), q))))))];
});

const apply2 = (p: Primitive<Empty>) => (x: NDArray, y: NDArray): NDArray => bind1(p, [x, y], {});
export const add = apply2(addP);
export const sub = apply2(subP);
export const mul = apply2(mulP);
export const div = apply2(divP);
export const pow = apply2(powP);
export const max = apply2(maxP);
export const min = apply2(minP);
export const atan2 = apply2(atan2P);
export const mod = apply2(modP);
export const fmod = apply2(fmodP);

/** A concrete array shaped like `x`, filled with `v` (rules use it for constants). */
export function fullLike(x: { shape: readonly number[]; dtype: DType }, v: number): ConcreteArray {
  let n = 1;
  for (const d of x.shape) n *= d;
  const data = allocate(x.dtype, n);
  if (v !== 0) fillReal(data, x.dtype, v);
  return new ConcreteArray(data, x.shape, x.dtype);
}
