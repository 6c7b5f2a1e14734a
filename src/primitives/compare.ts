/**
 * @file Comparisons and logic (bool results, zero derivatives, as in autograd) and `select`,
 * NumPy's three-argument `where`, which is linear in its two value arguments.
 */
import type { NDArray } from "../core/ndarray.ts";
import { bind1 } from "../core/trace.ts";
import { isUndefinedPrimal, type Primitive } from "../core/primitive.ts";
import { zerosLike } from "./structural.ts";
import { elementwise, exprKernel, linearJvp, NO_PARAMS } from "./elementwise.ts";

type Empty = Record<string, never>;
const zero = () => [null];
const bool = () => "bool" as const;

/** A comparison of two arrays of one shape and dtype, with a bool result and a zero derivative. */
const comparison = (name: string, expr: string): Primitive<Empty> =>
  elementwise<Empty>({ name, kernel: exprKernel(2, expr), outDtype: bool, jvp: zero });

export const eqP = comparison("eq", "a === b ? 1 : 0");
export const neP = comparison("ne", "a !== b ? 1 : 0");
export const ltP = comparison("lt", "a < b ? 1 : 0");
export const leP = comparison("le", "a <= b ? 1 : 0");
export const gtP = comparison("gt", "a > b ? 1 : 0");
export const geP = comparison("ge", "a >= b ? 1 : 0");
export const andP = comparison("and", "a && b ? 1 : 0");
export const orP = comparison("or", "a || b ? 1 : 0");
export const xorP = comparison("xor", "(a ? 1 : 0) ^ (b ? 1 : 0)");

/** A predicate of one argument with a bool result. */
const predicate = (name: string, expr: string): Primitive<Empty> =>
  elementwise<Empty>({ name, kernel: exprKernel(1, expr), outDtype: bool, jvp: zero });
export const notP = predicate("not", "a ? 0 : 1");
export const isnanP = predicate("isnan", "a !== a ? 1 : 0");
export const isinfP = predicate("isinf", "(a === Infinity || a === -Infinity) ? 1 : 0");
export const isfiniteP = predicate("isfinite", "Number.isFinite(a) ? 1 : 0");

const apply2 = (p: Primitive<Empty>) => (x: NDArray, y: NDArray): NDArray => bind1(p, [x, y], NO_PARAMS);
const apply1 = (p: Primitive<Empty>) => (x: NDArray): NDArray => bind1(p, [x], NO_PARAMS);
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

export const select = (c: NDArray, x: NDArray, y: NDArray): NDArray => bind1(selectP, [c, x, y], NO_PARAMS);
