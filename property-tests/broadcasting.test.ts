/**
 * @file NumPy-level broadcasting (the primitives take equal shapes; `np.*` broadcasts): random
 * broadcast-compatible shapes, JS numbers among the operands, checked against an elementwise
 * oracle, central differences (which test the sums that transpose broadcasting), VJP against JVP,
 * second order, and `vmap` against a loop.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import * as np from "autograd-ts/numpy";
import type { ConcreteArray, NDArray } from "../src/core/ndarray.ts";
import type { DType } from "../src/core/dtype.ts";
import { checkJvpVsFd, checkVjpVsJvp, checkVmap, randomInAxes, Rng, type Fn } from "./check.ts";
import { jvpOf, partial, property, vjpOf } from "./harness.ts";
import { array, bools, magnitude, offInteger, shape, sizeOf, uniform } from "./spec.ts";

/** A NumPy function of broadcasting operands, with each operand's domain and a scalar oracle. */
interface NpFn {
  readonly name: string;
  readonly f: (...xs: (NDArray | number)[]) => NDArray;
  readonly elems: readonly fc.Arbitrary<number>[];
  readonly dtypes?: readonly DType[];
  readonly oracle: (...v: number[]) => number;
}

const any = uniform(-3, 3);
// Operand values with disjoint fractional parts never tie, where max/min/clip have kinks.
const lowFrac = offInteger(-3, 2, [0.1, 0.3]);
const midFrac = offInteger(-3, 2, [0.4, 0.6]);
const highFrac = offInteger(-3, 2, [0.7, 0.9]);

const FNS: readonly NpFn[] = [
  { name: "add", f: np.add, elems: [any, any], oracle: (a, b) => a + b },
  { name: "subtract", f: np.subtract, elems: [any, any], oracle: (a, b) => a - b },
  { name: "multiply", f: np.multiply, elems: [any, any], oracle: (a, b) => a * b },
  { name: "divide", f: np.divide, elems: [any, magnitude(0.2, 3)], oracle: (a, b) => a / b },
  { name: "power", f: np.power, elems: [uniform(0.2, 3), uniform(-2, 2)], oracle: Math.pow },
  { name: "maximum", f: np.maximum, elems: [lowFrac, highFrac], oracle: Math.max },
  { name: "minimum", f: np.minimum, elems: [lowFrac, highFrac], oracle: Math.min },
  { name: "arctan2", f: np.arctan2, elems: [any, uniform(0.2, 3)], oracle: Math.atan2 },
  { name: "hypot", f: np.hypot, elems: [magnitude(0.2, 3), any], oracle: Math.hypot },
  { name: "logaddexp", f: np.logaddexp, elems: [any, any], oracle: (a, b) => Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b))) },
  {
    name: "where",
    f: (c, x, y) => np.where(c, x, y),
    elems: [fc.integer({ min: 0, max: 1 }), any, any],
    dtypes: ["bool", "float64", "float64"],
    oracle: (c, x, y) => (c ? x : y),
  },
  { name: "clip", f: (x, lo, hi) => np.clip(x, lo, hi), elems: [lowFrac, midFrac, highFrac], oracle: (x, lo, hi) => Math.min(Math.max(x, lo), hi) },
];

/** A shape that broadcasts to `out`: a suffix of it, some dimensions set to 1. */
const broadcastable = (out: readonly number[]): fc.Arbitrary<number[]> =>
  fc
    .integer({ min: 0, max: out.length })
    .chain((r) =>
      fc.array(fc.boolean(), { minLength: r, maxLength: r }).map((ones) => out.slice(out.length - r).map((d, i) => (ones[i] ? 1 : d))),
    );

/** Operand shapes (which may make the output smaller than `out`: only their broadcast counts). */
interface NpSetup {
  readonly shapes: number[][];
  /** Per operand: whether it is passed as a JS number (float operands only, never all of them). */
  readonly scalar: boolean[];
}

const setupOf = (fn: NpFn): fc.Arbitrary<NpSetup> =>
  shape().chain((out) =>
    fc
      .tuple(
        fc.tuple(...fn.elems.map(() => broadcastable(out))),
        fc.tuple(
          ...fn.elems.map((_, i) =>
            (fn.dtypes?.[i] ?? "float64") === "float64" ? fc.tuple(fc.boolean(), fc.boolean()).map(([a, b]) => a && b) : fc.constant(false),
          ),
        ),
      )
      .map(([shapes, scalar]) => ({ shapes, scalar: scalar.every((s) => s) ? scalar.map(() => false) : scalar })),
  );

const valuesOf = (fn: NpFn, s: NpSetup): fc.Arbitrary<ConcreteArray[]> =>
  fc.tuple(
    ...fn.elems.map((e, i) => {
      const dt = fn.dtypes?.[i] ?? "float64";
      return dt === "bool" ? bools(s.shapes[i]!) : array(s.scalar[i] ? [] : s.shapes[i]!, e, dt);
    }),
  );

interface NpCase {
  readonly setup: NpSetup;
  readonly args: ConcreteArray[];
  readonly seed: number;
}

const show = (xs: readonly NDArray[]) => xs.map((x) => `${x.dtype}(${x.shape}) ${JSON.stringify(x.toArray())}`).join("\n    ");

const npCases = (fn: NpFn): fc.Arbitrary<NpCase> =>
  setupOf(fn).chain((setup) =>
    fc.tuple(valuesOf(fn, setup), fc.integer()).map(([args, seed]) =>
      Object.defineProperty({ setup, args, seed }, fc.toStringMethod, {
        value: () => `scalar ${JSON.stringify(setup.scalar)}\n    ${show(args)}\n  seed ${seed}`,
      }),
    ),
  );

/**
 * The function of all operands as arrays (the ones marked scalar are passed as JS numbers: they
 * are never traced, so they are closed over as constants), and the indices of the array operands
 * that are float64, the differentiated ones.
 */
function asFn(fn: NpFn, c: { setup: NpSetup; args: readonly ConcreteArray[] }): { F: Fn; wrt: number[] } {
  const F: Fn = (...xs) => [fn.f(...xs.map((x, i) => (c.setup.scalar[i] ? c.args[i]!.item() : x)))];
  const wrt = c.args.map((_, i) => i).filter((i) => !c.setup.scalar[i] && c.args[i]!.dtype === "float64");
  return { F, wrt };
}

/** The oracle, elementwise under NumPy's broadcasting rule. */
function checkOracle(fn: NpFn, c: NpCase): void {
  const got = asFn(fn, c).F(...c.args)[0] as ConcreteArray;
  const shapes = c.args.map((a) => a.shape);
  const n = Math.max(...shapes.map((s) => s.length));
  // Operand dimensions are 1 or the output's (0 included) by construction.
  const out = Array.from({ length: n }, (_, k) => shapes.map((s) => s[k - (n - s.length)] ?? 1).find((d) => d !== 1) ?? 1);
  if (got.shape.join() !== out.join()) throw new Error(`${fn.name}: shape (${got.shape}), expected (${out})`);
  const size = sizeOf(out);
  for (let flat = 0; flat < size; flat++) {
    // Multi-index of `flat`, then each operand's element under broadcasting.
    const idx = new Array<number>(n);
    let rest = flat;
    for (let k = n - 1; k >= 0; k--) {
      idx[k] = rest % out[k]!;
      rest = Math.floor(rest / out[k]!);
    }
    const vals = c.args.map((a) => {
      let off = 0;
      a.shape.forEach((d, k) => (off = off * d + (d === 1 ? 0 : idx[k + n - a.shape.length]!)));
      return a.data[off]!;
    });
    const want = fn.oracle(...vals);
    const g = got.data[flat]!;
    if (!(Math.abs(g - want) <= 1e-13 * Math.max(1, Math.abs(want)))) {
      throw new Error(`${fn.name} at index [${idx}]: ${g}, the oracle gives ${want} for (${vals})`);
    }
  }
}

for (const fn of FNS) {
  describe(`np.${fn.name} with broadcasting`, () => {
    it("agrees with an elementwise oracle", () => {
      property(npCases(fn), 100, (c) => checkOracle(fn, c));
    });

    it("jvp ≈ central differences, vjp agrees with jvp", () => {
      property(npCases(fn), 100, (c) => {
        const rng = new Rng(c.seed);
        const { F, wrt } = asFn(fn, c);
        if (wrt.length === 0) return;
        const G = partial(F, c.args, wrt);
        const xs = wrt.map((i) => c.args[i]!);
        const vs = xs.map((x) => rng.like(x));
        const us = G(...xs).map((o) => rng.like(o));
        checkJvpVsFd(G, xs, vs, us);
        checkVjpVsJvp(G, xs, vs, us);
      });
    });

    it("second order: the same for (x, v) ↦ J(x)v and (x, u) ↦ J(x)ᵀu", () => {
      property(npCases(fn), 40, (c) => {
        const rng = new Rng(c.seed);
        const { F, wrt } = asFn(fn, c);
        if (wrt.length === 0) return;
        const n = c.args.length;
        const outs = F(...c.args);
        for (const which of ["jvp", "vjp"] as const) {
          const dirs = which === "jvp" ? wrt.map((i) => rng.like(c.args[i]!)) : outs.map((o) => rng.like(o));
          const full = (which === "jvp" ? jvpOf : vjpOf)(F, n, wrt);
          const G = partial(full, [...c.args, ...dirs], [...wrt, ...dirs.map((_, k) => n + k)]);
          const inputs = [...wrt.map((i) => c.args[i]!), ...dirs];
          const ws = inputs.map((x) => rng.like(x));
          const us = G(...inputs).map((o) => rng.like(o));
          checkJvpVsFd(G, inputs, ws, us);
          checkVjpVsJvp(G, inputs, ws, us);
        }
      });
    });

    it("vmap, and vmap of the vjp, agree with a loop", () => {
      const batches = setupOf(fn).chain((setup) =>
        fc.tuple(fc.constant(setup), fc.array(valuesOf(fn, setup), { minLength: 1, maxLength: 3 }), fc.integer()),
      );
      property(batches, 60, ([setup, examples, seed]) => {
        const rng = new Rng(seed);
        const { F, wrt } = asFn(fn, { setup, args: examples[0]! });
        // JS-number operands cannot carry a batch axis: they are fixed (inAxes null).
        const axes = randomInAxes(examples[0]!, rng).map((a, i) => (setup.scalar[i] ? null : a));
        if (axes.some((a) => a !== null)) checkVmap(F, examples, axes, rng);
        if (wrt.length === 0) return;
        const G = vjpOf(F, examples[0]!.length, wrt);
        const withCt = examples.map((args) => [...args, rng.like(F(...args)[0]!)]);
        const gAxes = randomInAxes(withCt[0]!, rng).map((a, i) => (setup.scalar[i] ? null : a));
        if (gAxes.some((a) => a !== null)) checkVmap(G, withCt, gAxes, rng);
      });
    });
  });
}
