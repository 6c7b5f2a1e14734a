/**
 * @file The elementwise primitives the compiler understands, each as the JS expression its kernel
 * evaluates per element (in `a`, `b`, `c`), so that generated loops compute exactly what eager does.
 */
import type { DType } from "../core/dtype.ts";
import type { Primitive } from "../core/primitive.ts";
import * as U from "../primitives/unary.ts";
import { logisticP } from "../primitives/logistic.ts";
import * as B from "../primitives/binary.ts";
import * as C from "../primitives/compare.ts";
import { convertP, type ConvertParams } from "../primitives/structural.ts";

/** An expression per element from the operands' expressions (already parenthesised) and the params. */
export type ElementExpr = (args: readonly string[], params: unknown) => string;

const un = (e: string): ElementExpr => ([a]) => e.replace(/\ba\b/g, a!);
const bin = (e: string): ElementExpr => ([a, b]) => e.replace(/\b[ab]\b/g, (m) => (m === "a" ? a! : b!));

/** How a value of each dtype is rounded when stored: what writing it into its typed array does. */
export function storeRounding(dtype: DType, expr: string): string {
  switch (dtype) {
    case "float64":
      return expr;
    case "float32":
      return `Math.fround(${expr})`;
    case "int32":
      return `((${expr}) | 0)`;
    case "bool":
      return `((${expr}) & 255)`;
    case "complex64":
    case "complex128":
      throw new Error(`storeRounding: a ${dtype} value is two numbers and is never fused into a loop of one (internal)`);
  }
}

// The expressions below are those of the kernels in src/primitives (unary.ts, binary.ts,
// compare.ts, structural.ts); test/compiler-elementwise.test.ts checks each against its `impl`,
// bit for bit, on values including ±0, ±∞ and NaN.
const entries: [Primitive<never>, ElementExpr][] = [
  [U.negP, un("-a")],
  [U.expP, un("Math.exp(a)")],
  [U.logP, un("Math.log(a)")],
  [U.sinP, un("Math.sin(a)")],
  [U.cosP, un("Math.cos(a)")],
  [U.tanP, un("Math.tan(a)")],
  [U.tanhP, un("Math.tanh(a)")],
  [U.sqrtP, un("Math.sqrt(a)")],
  [U.absP, un("Math.abs(a)")],
  [U.signP, un("H.sign(a)")],
  [U.log1pP, un("Math.log1p(a)")],
  [U.expm1P, un("Math.expm1(a)")],
  [U.sinhP, un("Math.sinh(a)")],
  [U.coshP, un("Math.cosh(a)")],
  [U.arcsinP, un("Math.asin(a)")],
  [U.arccosP, un("Math.acos(a)")],
  [U.arctanP, un("Math.atan(a)")],
  [U.arcsinhP, un("Math.asinh(a)")],
  [U.arccoshP, un("Math.acosh(a)")],
  [U.arctanhP, un("Math.atanh(a)")],
  [logisticP, un("H.logistic(a)")],
  [U.cbrtP, un("Math.cbrt(a)")],
  [U.floorP, un("Math.floor(a)")],
  [U.ceilP, un("Math.ceil(a)")],
  [U.roundP, un("H.rint(a)")],
  [U.truncP, un("Math.trunc(a)")],
  [U.exp2P, un("Math.pow(2, a)")],
  [U.log2P, un("Math.log2(a)")],
  [U.log10P, un("Math.log10(a)")],
  [U.stopGradientP, un("a")],
  [B.addP, bin("a + b")],
  [B.subP, bin("a - b")],
  [B.mulP, bin("a * b")],
  [B.divP, bin("a / b")],
  [B.powP, bin("Math.pow(a, b)")],
  [B.maxP, bin("((a > b || a !== a) ? a : b)")],
  [B.minP, bin("((a < b || a !== a) ? a : b)")],
  [B.atan2P, bin("Math.atan2(a, b)")],
  [B.modP, bin("H.floorMod(a, b)")],
  [B.fmodP, bin("a % b")],
  [C.eqP, bin("(a === b ? 1 : 0)")],
  [C.neP, bin("(a !== b ? 1 : 0)")],
  [C.ltP, bin("(a < b ? 1 : 0)")],
  [C.leP, bin("(a <= b ? 1 : 0)")],
  [C.gtP, bin("(a > b ? 1 : 0)")],
  [C.geP, bin("(a >= b ? 1 : 0)")],
  [C.andP, bin("(a && b ? 1 : 0)")],
  [C.orP, bin("(a || b ? 1 : 0)")],
  [C.xorP, bin("((a ? 1 : 0) ^ (b ? 1 : 0))")],
  [C.notP, un("(a ? 0 : 1)")],
  [C.isnanP, un("(a !== a ? 1 : 0)")],
  [C.isinfP, un("((a === Infinity || a === -Infinity) ? 1 : 0)")],
  [C.isfiniteP, un("(Number.isFinite(a) ? 1 : 0)")],
  [C.selectP, ([c, x, y]) => `(${c} ? ${x} : ${y})`],
  [
    convertP,
    ([a], p) => {
      const { dtype } = p as ConvertParams;
      // convert's kernel: bool ← nonzero (NaN too), int32 ← saturating truncation (NaN → 0), floats ← the value (rounded on store).
      return dtype === "bool" ? `(${a} !== 0 ? 1 : 0)` : dtype === "int32" ? `(Math.max(-2147483648, Math.min(2147483647, ${a})) || 0)` : a!;
    },
  ],
];
const table = new Map<Primitive<unknown>, ElementExpr>(entries as unknown as [Primitive<unknown>, ElementExpr][]);

/** The per-element expression of an elementwise primitive, or `undefined` for any other primitive. */
export const elementExpr = (prim: Primitive<unknown>): ElementExpr | undefined => table.get(prim);

/** Every primitive with an element expression (for tests). */
export const elementwisePrimitives = (): Primitive<unknown>[] => [...table.keys()];
