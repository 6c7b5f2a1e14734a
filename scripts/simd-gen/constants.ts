/**
 * @file The constants the SIMD math kernels share: the two-lane constant pool, the bits of doubles,
 * and ln2 in exact parts.
 */
import * as dd from "../double-double.ts";
import { CONST_TABLE, EXP_N } from "./layout.ts";

/** A double as a WAT hex float literal, exact (e.g. 0x1.62e42fefa39efp-1). */
export function hexFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0x0p+0" : "0x0p+0";
  const sign = x < 0 ? "-" : "";
  const a = Math.abs(x);
  const e = Math.max(dd.exponentOf(a), -1022);
  const mant = BigInt(dd.ldexp(a, 52 - e)); // < 2⁵³, with the leading 1 unless subnormal
  const lead = mant >> 52n;
  const frac = (mant & ((1n << 52n) - 1n)).toString(16).padStart(13, "0");
  return `${sign}0x${lead}.${frac}p${e >= 0 ? "+" : ""}${e}`;
}

/**
 * The two-lane constants of the kernels, by their 64-bit pattern, each at a 16-byte slot from
 * `CONST_TABLE`: V8 (TurboFan) rebuilds a `v128.const` at each use inside a loop with three
 * instructions (a 64-bit immediate moved to a register, then broadcast), but a load from memory
 * is one, so every constant is read from this pool.
 */
export const constPool = new Map<bigint, number>();
/** The load of the two-lane constant with these 64 bits. */
function pooled(bits: bigint): string {
  const key = BigInt.asUintN(64, bits);
  let slot = constPool.get(key);
  if (slot === undefined) {
    slot = constPool.size;
    constPool.set(key, slot);
  }
  return `(v128.load offset=${CONST_TABLE + 16 * slot} (i32.const 0))`;
}
/** A two-lane constant. */
export const c = (x: number): string => pooled(bitsOf(x));
/** A two-lane 64-bit integer constant. */
export const ci = (x: bigint): string => pooled(x);

/** The bits of a double, as a BigInt. */
export function bitsOf(x: number): bigint {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0);
}
/** The double with these bits. */
export function fromBits(b: bigint): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setBigUint64(0, b);
  return v.getFloat64(0);
}

/** x rounded toward zero to `bits` significant bits (so that products with small integers are exact). */
export const truncateBits = (x: number, bits: number): number => fromBits(bitsOf(x) & ~((1n << BigInt(53 - bits)) - 1n));

export const LN2 = dd.fixedToDoubles(dd.LN2_FIXED, 1600n, 3);
/** ln2/128 in two parts: the first with 35 bits (k · it is exact for |k| < 2¹⁸), the second the rest. */
export const LN2N_HI = truncateBits(LN2[0]! / EXP_N, 35);
export const LN2N_LO = dd.bigToDouble(dd.LN2_FIXED / BigInt(EXP_N) - dd.doubleToFixed(LN2N_HI, 1600n), 1600n);
/** ln2 in two parts for log: the first with 42 bits (e · it is exact for |e| < 2¹¹). */
export const LN2_HI = truncateBits(LN2[0]!, 42);
export const LN2_LO = dd.bigToDouble(dd.LN2_FIXED - dd.doubleToFixed(LN2_HI, 1600n), 1600n);
/** Rounds to an integer when added and subtracted (1.5 · 2⁵²), and leaves the integer in the low bits. */
export const SHIFT = 6755399441055744;
export const SHIFT_BITS = bitsOf(SHIFT);

/** 1/n! */
export const invFact = (n: number): number => {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return dd.div([1, 0], [f, 0])[0];
};
