/** @file `jet`: Taylor-mode forward differentiation, as JAX's `jax.experimental.jet`. */
import type { NDArray } from "../core/ndarray.ts";
import { withMainTrace } from "../core/trace.ts";
import { isComplex, isFloat } from "../core/dtype.ts";
import { fmtShape, ShapeError } from "../core/errors.ts";
import { JetTracer, makeJetTrace, primalAndSeries, type JetGlobals } from "../interpreters/jet.ts";
import { flatten, unflatten, type Tree, type Leaf } from "../tree/index.ts";
import { leafToArray, likeInput, checkNotAsync, checkNotPromise } from "../transforms/common.ts";
import { convert, zerosLike } from "../primitives/structural.ts";
import { jetRuleFor } from "./rules.ts";
import { scale } from "./series.ts";

/** The series of an output tree: each array (or number) leaf becomes its list of terms. */
export type SeriesOf<T> = T extends NDArray | number
  ? NDArray[]
  : T extends readonly unknown[]
    ? { [K in keyof T]: SeriesOf<T[K]> }
    : T extends object
      ? { [K in keyof T]: SeriesOf<T[K]> }
      : never;

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

/**
 * `jet(f, primals, series)` → `[primalOut, seriesOut]`: Taylor-mode forward AD, as JAX's
 * `jax.experimental.jet`. `series[i]` lists the higher-order terms of primal `i`, `[x₁, …, x_K]`,
 * the derivatives of a curve x(t) through `primals[i]` (x_k = dᵏx/dtᵏ at t = 0); the result holds
 * `f(primals)` and the derivatives dᵏf(x(t))/dtᵏ for k = 1…K, each output array's terms as a list.
 * With `series = [[v, 0, 0, …]]` the k-th term is the k-th directional derivative of `f` along `v`.
 * Elementwise, linear and product primitives cost O(K²) array operations (nested `jvp`/`grad` of
 * order K cost O(2ᴷ)); the others (linear algebra, Bessel functions, custom JVP rules) use a generic
 * rule built from their JVP, exact but up to O(2ᴷ). Custom JVP rules are kept; `customVjp`
 * functions, `lax.cond`, `scan` and `whileLoop` run on the jet values (a loop's predicate and a
 * cond's index read the concrete primal, as under `jvp`).
 * @example
 * const [y, [d1, d2, d3]] = jet(np.sin, [0.5], [[1, 0, 0]]);
 * d3.item(); // −cos(0.5), the third derivative of sin
 */
export function jet<Out extends Tree>(
  f: (...args: never[]) => Out,
  primals: readonly (NDArray | number)[],
  series: readonly (readonly (NDArray | number)[])[],
): [Out, SeriesOf<Out>] {
  checkNotAsync("jet", f);
  if (!Array.isArray(primals)) throw new TypeError(`jet: primals must be a list of arrays (one per argument of f), got ${typeof primals}`);
  if (!Array.isArray(series) || series.some((s) => !Array.isArray(s))) {
    throw new TypeError("jet: series must be a list, per primal, of lists of terms (e.g. [[v, 0, 0]] for one primal)");
  }
  if (series.length !== primals.length) {
    throw new TypeError(`jet: series has ${series.length} entries but there are ${primals.length} primals: give one list of terms per primal`);
  }
  const orders = series.map((s) => s.length);
  if (orders.some((k) => k !== orders[0])) {
    throw new TypeError(`jet: terms have inconsistent lengths for different arguments (${orders.join(", ")}); every primal needs the same number of terms`);
  }
  const order = orders[0] ?? 0;
  const ps = primals.map((p, i) => {
    const x = leafToArray(p as Leaf, "jet", `primal ${i}`);
    if (!isFloat(x.dtype)) throw new TypeError(`jet: primal ${i} has dtype ${x.dtype}; Taylor series need a float array`);
    return x;
  });
  const lists: readonly (readonly (NDArray | number)[])[] = series;
  const coeffs = lists.map((terms, i) =>
    terms.map((t, k) => {
      const term = leafToArray(t as Leaf, "jet", `series[${i}][${k}]`);
      const p = ps[i]!;
      if (term.shape.length !== p.shape.length || term.shape.some((d, j) => d !== p.shape[j])) {
        throw new ShapeError(`jet: series[${i}][${k}] has shape ${fmtShape(term.shape)}, but primal ${i} has shape ${fmtShape(p.shape)}`);
      }
      if (isComplex(term.dtype)) throw new TypeError(`jet: series[${i}][${k}] has dtype ${term.dtype}, shape ${fmtShape(term.shape)}; jet takes real series only`);
      // Derivatives in, Taylor coefficients (derivative / k!) inside.
      return scale(convert(term, p.dtype), 1 / factorial(k + 1));
    }),
  );
  const globals: JetGlobals = { order, ruleFor: jetRuleFor };
  return withMainTrace(makeJetTrace, globals, (main) => {
    const ins = ps.map((p, i) => new JetTracer(main.trace as never, p, order === 0 ? null : coeffs[i]!));
    const out = f(...(ins as never[]));
    checkNotPromise("jet", out);
    const [ol, od] = flatten(out);
    const primalsOut: Leaf[] = [];
    const seriesOut: NDArray[][] = [];
    ol.forEach((o, i) => {
      const [p, s] = primalAndSeries(main.trace, leafToArray(o, "jet", `output leaf ${i}`));
      primalsOut.push(likeInput(p, o));
      if (isComplex(p.dtype)) throw new TypeError(`jet: output leaf ${i} has dtype ${p.dtype}, shape ${fmtShape(p.shape)}; jet propagates real Taylor series only`);
      const float = isFloat(p.dtype) ? p : convert(p, "float64");
      seriesOut.push(Array.from({ length: order }, (_, k) => (s === null ? zerosLike(float) : scale(s[k]!, factorial(k + 1)))));
    });
    const seriesTree = unflatten(od, seriesOut as never) as unknown;
    return [unflatten<Out>(od, primalsOut), seriesTree as SeriesOf<Out>];
  });
}
