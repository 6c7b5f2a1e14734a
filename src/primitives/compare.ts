/**
 * @file Comparisons and logic (bool results, zero derivatives, as in autograd) and `select`,
 * NumPy's three-argument `where`, which is linear in its two value arguments.
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { realDtype } from "../core/dtype.ts";
import { bind1 } from "../core/trace.ts";
import { isUndefinedPrimal, type Primitive } from "../core/primitive.ts";
import { zerosLike } from "./structural.ts";
import { elementwise, exprKernel, linearJvp, type ElementwiseKernel } from "./elementwise.ts";
import { compareComplex, selectComplex } from "../kernels/complex.ts";

type Empty = Record<string, never>;
const zero = () => [null];
const bool = () => "bool" as const;

/**
 * A comparison of two arrays of one shape and dtype, with a bool result and a zero derivative.
 * Complex operands (`complexOp`) compare as NumPy does: equal when both parts are, ordered
 * lexicographically (real parts first, then imaginary parts).
 */
const comparison = (name: string, expr: string, complexOp?: Parameters<typeof compareComplex>[0]): Primitive<Empty> =>
  elementwise<Empty>({
    name,
    kernel: exprKernel(2, expr),
    ...(complexOp && { complexKernel: ([x, y], out) => compareComplex(complexOp, x!.data, y!.data, out) }),
    outDtype: bool,
    jvp: zero,
  });

export const eqP = comparison("eq", "a === b ? 1 : 0", "eq");
export const neP = comparison("ne", "a !== b ? 1 : 0", "ne");
export const ltP = comparison("lt", "a < b ? 1 : 0", "lt");
export const leP = comparison("le", "a <= b ? 1 : 0", "le");
export const gtP = comparison("gt", "a > b ? 1 : 0", "gt");
export const geP = comparison("ge", "a >= b ? 1 : 0", "ge");
export const andP = comparison("and", "a && b ? 1 : 0");
export const orP = comparison("or", "a || b ? 1 : 0");
export const xorP = comparison("xor", "(a ? 1 : 0) ^ (b ? 1 : 0)");

/**
 * A predicate of one argument with a bool result. With `complexOf` it takes complex operands too:
 * the predicate of an element from those of its two parts (NumPy: NaN or infinite if either part
 * is, finite if both are).
 */
const predicate = (name: string, expr: string, complexOf?: "any" | "all"): Primitive<Empty> =>
  elementwise<Empty>({
    name,
    kernel: exprKernel(1, expr),
    ...(complexOf && { complexKernel: partsPredicate(exprKernel(1, expr), complexOf) }),
    outDtype: bool,
    jvp: zero,
  });
export const notP = predicate("not", "a ? 0 : 1");
export const isnanP = predicate("isnan", "a !== a ? 1 : 0", "any");
export const isinfP = predicate("isinf", "(a === Infinity || a === -Infinity) ? 1 : 0", "any");
export const isfiniteP = predicate("isfinite", "Number.isFinite(a) ? 1 : 0", "all");

/** A complex kernel from a real predicate: applied to every slot (part), then combined per element. */
function partsPredicate(real: ElementwiseKernel<Empty>, combine: "any" | "all"): ElementwiseKernel<Empty> {
  return ([x], out, params) => {
    const slots = new Uint8Array(2 * out.length);
    real([new ConcreteArray(x!.data, [2 * out.length], realDtype(x!.dtype))], slots, params);
    for (let k = 0; k < out.length; k++) out[k] = combine === "any" ? slots[2 * k]! | slots[2 * k + 1]! : slots[2 * k]! & slots[2 * k + 1]!;
  };
}

const apply2 = (p: Primitive<Empty>) => (x: NDArray, y: NDArray): NDArray => bind1(p, [x, y], {});
const apply1 = (p: Primitive<Empty>) => (x: NDArray): NDArray => bind1(p, [x], {});
export const eq = apply2(eqP);
export const ne = apply2(neP);
export const lt = apply2(ltP);
export const le = apply2(leP);
export const gt = apply2(gtP);
export const ge = apply2(geP);
export const and = apply2(andP);
export const or = apply2(orP);
export const xor = apply2(xorP);
export const not = apply1(notP);
export const isnan = apply1(isnanP);
export const isinf = apply1(isinfP);
export const isfinite = apply1(isfiniteP);

/** `select(c, x, y)`: `x` where `c` is true, else `y` (all of one shape; `x`, `y` of one dtype). */
// Linear in the two value arguments (not in the condition).
export const selectP: Primitive<Empty> = elementwise<Empty>({
  name: "select",
  kernel: ([c, x, y], out) => {
    const cd = c!.data;
    const xd = x!.data;
    const yd = y!.data;
    for (let i = 0; i < out.length; i++) out[i] = cd[i] ? xd[i]! : yd[i]!;
  },
  complexKernel: ([c, x, y], out) => selectComplex(c!.data, x!.data, y!.data, out),
  outDtype: (avals) => avals[1]!.dtype,
  jvp: linearJvp(() => selectP, [1, 2]),
  transpose: ([ct], [c, x, y]) => {
    const z = zerosLike(ct!);
    return [
      null,
      isUndefinedPrimal(x) ? select(c as NDArray, ct!, z) : null,
      isUndefinedPrimal(y) ? select(c as NDArray, z, ct!) : null,
    ];
  },
});

export const select = (c: NDArray, x: NDArray, y: NDArray): NDArray => bind1(selectP, [c, x, y], {});
