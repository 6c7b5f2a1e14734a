/**
 * @file `scipy.special`'s Bessel functions: J, Y and I of orders 0 and 1 and of any integer order,
 * and the exponentially scaled I, on the Bessel primitives (differentiable in x to any order).
 */
import type { NDArray, ArrayLike } from "../core/ndarray.ts";
import * as s from "../primitives/special.ts";
import * as b from "../primitives/binary.ts";
import { fn1, floats, k } from "./special-args.ts";

/**
 * I₀(x), the modified Bessel function of the first kind of order 0.
 * @example
 * scipy.special.i0(0); // 1
 */
export const i0 = fn1("i0", (x) => s.besselI(x, 0));
/**
 * I₁(x).
 * @example
 * scipy.special.i1(1); // 0.5651591039924851
 */
export const i1 = fn1("i1", (x) => s.besselI(x, 1));
/**
 * J₀(x), the Bessel function of the first kind of order 0.
 * @example
 * scipy.special.j0(0); // 1
 */
export const j0 = fn1("j0", (x) => s.besselJ(x, 0));
/**
 * J₁(x).
 * @example
 * scipy.special.j1(1); // 0.44005058574493355
 */
export const j1 = fn1("j1", (x) => s.besselJ(x, 1));
/**
 * Y₀(x), the Bessel function of the second kind of order 0 (x > 0).
 * @example
 * scipy.special.y0(1); // 0.08825696421567697
 */
export const y0 = fn1("y0", (x) => s.besselY(x, 0));
/**
 * Y₁(x).
 * @example
 * scipy.special.y1(1); // -0.7812128213002888
 */
export const y1 = fn1("y1", (x) => s.besselY(x, 1));

const order = (name: string, n: number): number => {
  if (!Number.isInteger(n)) throw new TypeError(`scipy.special.${name}: the order n must be an integer; got ${n}`);
  return Math.abs(n);
};
/**
 * Jₙ(x) for an integer order n (a JS number).
 * @example
 * scipy.special.jn(2, 1); // 0.11490348493190048
 */
export function jn(n: number, x: ArrayLike): NDArray {
  const m = order("jn", n);
  const sign = n < 0 && m % 2 === 1 ? -1 : 1; // J₋ₙ = (−1)ⁿ Jₙ
  const xx = floats("jn", [x], ["x"])[0]!;
  return b.mul(k(xx, sign), s.besselJ(xx, m));
}
/**
 * Yₙ(x) for an integer order n (a JS number).
 * @example
 * scipy.special.yn(0, 1); // 0.08825696421567697
 */
export function yn(n: number, x: ArrayLike): NDArray {
  const m = order("yn", n);
  const sign = n < 0 && m % 2 === 1 ? -1 : 1;
  const xx = floats("yn", [x], ["x"])[0]!;
  return b.mul(k(xx, sign), s.besselY(xx, m));
}
/**
 * Iₙ(x) for an integer order n (a JS number); I₋ₙ = Iₙ.
 * @example
 * scipy.special.iv(1, 1); // 0.565159103992485
 */
export function iv(n: number, x: ArrayLike): NDArray {
  const m = order("iv", n);
  return s.besselI(floats("iv", [x], ["x"])[0]!, m);
}
/**
 * `ive(n, x)`: Iₙ(x)·e^(−|x|) for an integer order n, finite where Iₙ overflows (|x| ≳ 713).
 * @example
 * scipy.special.ive(0, 800); // 0.014106945005869181
 */
export function ive(n: number, x: ArrayLike): NDArray {
  const m = order("ive", n);
  return s.besselIe(floats("ive", [x], ["x"])[0]!, m);
}
/**
 * `i0e(x)` = I₀(x)e^(−|x|), the exponentially scaled modified Bessel function of order 0.
 * @example
 * scipy.special.i0e(1); // 0.46575960759364043
 */
export const i0e = fn1("i0e", (x) => s.besselIe(x, 0));
/**
 * `i1e(x)` = I₁(x)e^(−|x|), the exponentially scaled modified Bessel function of order 1.
 * @example
 * scipy.special.i1e(1); // 0.2079104153497085
 */
export const i1e = fn1("i1e", (x) => s.besselIe(x, 1));
