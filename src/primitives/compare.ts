/**
 * @file Comparisons and logic (bool results, zero derivatives, as in autograd) and `select`,
 * NumPy's three-argument `where`, which is linear in its two value arguments.
 */
import { ConcreteArray, type NDArray } from "../core/ndarray.ts";
import { allocate } from "../core/dtype.ts";
import { bind1 } from "../core/trace.ts";
import { compileBinary, compileUnary } from "../kernels/elementwise.ts";
import { definePrimitive, isUndefinedPrimal, one, type Primitive } from "../core/primitive.ts";
import { batchElementwise } from "./binary.ts";
import { zerosLike } from "./structural.ts";

type Empty = Record<string, never>;
const zero = () => [null];

/**
 * A comparison of two arrays of one shape and dtype, with a bool result. (Its own small factory
 * rather than binary.ts's: a module may only call its own functions while the modules load.)
 */
function comparison(name: string, expr: string): Primitive<Empty> {
  const kernel = compileBinary(expr);
  const prim: Primitive<Empty> = definePrimitive<Empty>({
    name,
    impl: ([x, y]) => {
      const out = allocate("bool", x!.data.length);
      kernel(x!.data, y!.data, out);
      return one(new ConcreteArray(out, x!.shape, "bool"));
    },
    abstractEval: ([x]) => [{ shape: x!.shape, dtype: "bool" }],
    jvp: zero,
    transpose: "nonlinear",
    batch: (args, dims, params, size) => batchElementwise(prim)(args, dims, params, size),
  });
  return prim;
}

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
function predicate(name: string, expr: string): Primitive<Empty> {
  const kernel = compileUnary(expr);
  const prim: Primitive<Empty> = definePrimitive<Empty>({
    name,
    impl: ([x]) => {
      const out = allocate("bool", x!.data.length);
      kernel(x!.data, out);
      return one(new ConcreteArray(out, x!.shape, "bool"));
    },
    abstractEval: ([x]) => [{ shape: x!.shape, dtype: "bool" }],
    jvp: zero,
    transpose: "nonlinear",
    batch: ([x], [d]) => [[bind1(prim, [x!], {})], [d!]],
  });
  return prim;
}
export const notP = predicate("not", "a ? 0 : 1");
export const isnanP = predicate("isnan", "a !== a ? 1 : 0");
export const isinfP = predicate("isinf", "(a === Infinity || a === -Infinity) ? 1 : 0");
export const isfiniteP = predicate("isfinite", "Number.isFinite(a) ? 1 : 0");

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
export const selectP: Primitive<Empty> = definePrimitive<Empty>({
  name: "select",
  impl: ([c, x, y]) => {
    const out = allocate(x!.dtype, x!.data.length);
    const cd = c!.data;
    const xd = x!.data;
    const yd = y!.data;
    for (let i = 0; i < out.length; i++) out[i] = cd[i] ? xd[i]! : yd[i]!;
    return one(new ConcreteArray(out, x!.shape, x!.dtype));
  },
  abstractEval: ([, x]) => [x!],
  jvp: ([c, x], [, tx, ty]) => {
    const z = zerosLike(x!);
    return [select(c!, tx ?? z, ty ?? z)];
  },
  transpose: ([ct], [c, x, y]) => {
    const z = zerosLike(ct!);
    return [
      null,
      isUndefinedPrimal(x) ? select(c as NDArray, ct!, z) : null,
      isUndefinedPrimal(y) ? select(c as NDArray, z, ct!) : null,
    ];
  },
  batch: (args, dims, params, size) => batchElementwise(selectP)(args, dims, params, size),
});

export const select = (c: NDArray, x: NDArray, y: NDArray): NDArray => bind1(selectP, [c, x, y], {});
