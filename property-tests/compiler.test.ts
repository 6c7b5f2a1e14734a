/**
 * @file The compiler against the interpreter on random programs: elementwise unary and binary
 * operations with broadcasting, reductions along axes (keepdims or not), reshapes, transposes,
 * `where`, matrix products, run plainly, under `grad` and under `vmap`, with NaN and ±∞ among the
 * inputs. The compiled program must give the interpreter's numbers (NaN where it has NaN); programs
 * whose products the compiler batches (products sharing an operand, sums of products) give them
 * within the summation error bound.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { grad, makeJaxpr, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import type { ConcreteArray, NDArray } from "../src/core/ndarray.ts";
import { evalJaxpr, type ClosedJaxpr } from "../src/core/jaxpr.ts";
import { compile } from "../src/compiler/index.ts";
import { property } from "./harness.ts";
import { batchProducts } from "../src/compiler/batch-products.ts";

const N = 3;
type Op =
  | { k: "unary"; f: number; a: number }
  | { k: "binary"; f: number; a: number; b: number }
  | { k: "reduce"; max: boolean; a: number; axis: number; keepdims: boolean }
  | { k: "transpose"; a: number }
  | { k: "reshape"; a: number; to: number }
  | { k: "where"; a: number; b: number }
  | { k: "matmul"; a: number; b: number };

const UNARY: readonly ((x: NDArray) => NDArray)[] = [np.sin, np.tanh, np.exp, np.negative, np.abs, (x) => np.sqrt(np.abs(x)), (x) => np.log(np.abs(x).add(1)), (x) => x.mul(x)];
const BINARY: readonly ((x: NDArray, y: NDArray) => NDArray)[] = [np.add, np.subtract, np.multiply, np.divide, np.maximum, (x, y) => x.mul(2).sub(y.mul(0.5))];
/** Shapes of the value pool: every pair broadcasts. */
const SHAPES: readonly (readonly number[])[] = [[N, N], [N], [N, 1], [1, N], []];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant("unary" as const), f: fc.nat(UNARY.length - 1), a: fc.nat() }),
  fc.record({ k: fc.constant("binary" as const), f: fc.nat(BINARY.length - 1), a: fc.nat(), b: fc.nat() }),
  fc.record({ k: fc.constant("reduce" as const), max: fc.boolean(), a: fc.nat(), axis: fc.nat(1), keepdims: fc.boolean() }),
  fc.record({ k: fc.constant("transpose" as const), a: fc.nat() }),
  fc.record({ k: fc.constant("reshape" as const), a: fc.nat(), to: fc.nat(2) }),
  fc.record({ k: fc.constant("where" as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ k: fc.constant("matmul" as const), a: fc.nat(), b: fc.nat() }),
);

/** Runs the ops on a pool starting with the inputs; returns the last three values. */
function program(ops: readonly Op[]) {
  return (x: NDArray, y: NDArray): NDArray[] => {
    const pool: NDArray[] = [x, y];
    const pick = (i: number) => pool[i % pool.length]!;
    for (const op of ops) {
      const a = pick(op.a);
      let r: NDArray;
      switch (op.k) {
        case "unary":
          r = UNARY[op.f]!(a);
          break;
        case "binary":
          r = BINARY[op.f]!(a, pick(op.b));
          break;
        case "reduce": {
          if (a.ndim === 0) continue;
          const axis = op.axis % a.ndim;
          r = (op.max ? np.max : np.sum)(a, { axis, keepdims: op.keepdims });
          if (!SHAPES.some((s) => s.length === r.ndim && s.every((d, i) => d === r.shape[i]))) r = np.sum(r);
          break;
        }
        case "transpose":
          r = np.transpose(a);
          break;
        case "reshape": {
          // [N] ↔ [N,1] ↔ [1,N]
          if (a.size !== N) continue;
          r = a.reshape(...([[N], [N, 1], [1, N]][op.to] as number[]));
          break;
        }
        case "where":
          r = np.where(np.greater(a, pick(op.b)), a, pick(op.b));
          break;
        case "matmul": {
          const b = pick(op.b);
          if (a.ndim !== 2 || a.shape[1] !== N || b.ndim === 0 || b.shape[0] !== N) continue;
          r = np.matmul(a, b);
          break;
        }
      }
      pool.push(r);
    }
    return pool.slice(-3);
  };
}

const value = fc.oneof({ weight: 12, arbitrary: fc.double({ min: -2, max: 2, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 0, -0) });
const arrayOf = (shape: readonly number[]) =>
  fc.array(value, { minLength: shape.reduce((n, d) => n * d, 1), maxLength: shape.reduce((n, d) => n * d, 1) }).map((v) => np.array(v).reshape(...shape));

/** The same numbers, NaN matching NaN (and −0 matching 0: `x + 0 → x` may change the sign of a zero, as in XLA). */
function expectSame(xs: readonly NDArray[], ys: readonly NDArray[]): void {
  expect(ys.length).toBe(xs.length);
  xs.forEach((x, k) => {
    const [a, b] = [(x as ConcreteArray).data, (ys[k] as ConcreteArray).data];
    expect(ys[k]!.shape).toEqual(x.shape);
    for (let i = 0; i < a.length; i++) {
      const [u, v] = [a[i]!, b[i]!];
      if (!(u === v || (u !== u && v !== v))) expect({ output: k, index: i, compiled: v }).toEqual({ output: k, index: i, compiled: u });
    }
  });
}

const check = (closed: ClosedJaxpr, args: NDArray[]) => expectSame(evalJaxpr(closed, args), compile(closed).run(args));
const stage = (f: (...a: never[]) => unknown, args: NDArray[]) => (makeJaxpr(f) as unknown as (...a: NDArray[]) => { closed: ClosedJaxpr })(...args).closed;

describe("compiled programs equal the interpreter", () => {
  const opsArb = fc.array(opArb, { minLength: 1, maxLength: 12 });
  it("on random programs", () => {
    property(fc.tuple(opsArb, arrayOf([N, N]), arrayOf([N])), 60, ([ops, x, y]) => check(stage(program(ops) as never, [x, y]), [x, y]));
  });
  it("under grad", () => {
    property(fc.tuple(opsArb, arrayOf([N, N]), arrayOf([N])), 40, ([ops, x, y]) => {
      const p = program(ops);
      const loss = (a: NDArray, b: NDArray) => p(a, b).reduce((s, v) => s.add(np.sum(v)), np.array(0));
      check(stage(grad(loss, { argnums: [0, 1] }) as never, [x, y]), [x, y]);
    });
  });
  it("under vmap", () => {
    property(fc.tuple(opsArb, arrayOf([2, N, N]), arrayOf([2, N])), 40, ([ops, x, y]) => check(stage(vmap(program(ops)) as never, [x, y]), [x, y]));
  });
});

describe("programs with batched matrix products equal the interpreter to rounding", () => {
  // Matrices [R, R]: products of R³ multiply-adds, in the range the batch-products pass batches.
  const R = 32;
  const EPS = 2 ** -52;
  const ELEMENTWISE: readonly ((x: NDArray) => NDArray)[] = [np.sin, np.tanh, (x) => x.mul(0.5), np.cos];
  interface Prog {
    /** Pool values made from earlier ones by an elementwise function (computed alike by both sides). */
    readonly derived: readonly { f: number; a: number }[];
    /** Outputs pool[a]·pool[w] (products sharing `w` may be batched). */
    readonly products: readonly { a: number; w: number }[];
    /** Outputs Σ pool[a]ᵀ·pool[b] (batched into one product). */
    readonly sums: readonly (readonly [number, number])[][];
  }
  const progArb: fc.Arbitrary<Prog> = fc.record({
    derived: fc.array(fc.record({ f: fc.nat(ELEMENTWISE.length - 1), a: fc.nat() }), { maxLength: 4 }),
    products: fc.array(fc.record({ a: fc.nat(), w: fc.nat(2) }), { minLength: 1, maxLength: 5 }),
    sums: fc.array(fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }), { maxLength: 2 }),
  });
  /** Data sin(0.7·i + seed) with a few elements replaced by special values. */
  const matrixArb = fc
    .record({ seed: fc.integer({ min: 0, max: 1000 }), specials: fc.array(fc.tuple(fc.nat(R * R - 1), fc.constantFrom(NaN, Infinity, -Infinity, -0)), { maxLength: 2 }) })
    .map(({ seed, specials }) => {
      const d = Float64Array.from({ length: R * R }, (_, i) => 2 * Math.sin(0.7 * i + seed));
      for (const [i, v] of specials) d[i] = v;
      return np.array(d).reshape(R, R);
    });

  /** The program's outputs, from `ops` applied to the pool (`abs` on every product operand: the bound's scale). */
  const run = (p: Prog, abs: boolean) => (...inputs: NDArray[]): NDArray[] => {
    const pool = [...inputs];
    for (const { f, a } of p.derived) pool.push(ELEMENTWISE[f]!(pool[a % pool.length]!));
    const at = (i: number) => (abs ? np.abs(pool[i % pool.length]!) : pool[i % pool.length]!);
    return [
      ...p.products.map(({ a, w }) => at(a).matmul(at(w))),
      ...p.sums.map((terms) => terms.map(([a, b]) => np.transpose(at(a)).matmul(at(b))).reduce((s, t) => s.add(t))),
    ];
  };

  it("products sharing an operand, and sums of products", () => {
    let batched = 0;
    property(fc.tuple(progArb, fc.array(matrixArb, { minLength: 3, maxLength: 3 })), 30, ([p, inputs]) => {
      const closed = stage(run(p, false) as never, inputs);
      if (batchProducts(closed) !== closed) batched++;
      const want = evalJaxpr(closed, inputs);
      const got = compile(closed).run(inputs);
      const scales = run(p, true)(...inputs);
      // Each output element is a sum of N products: R for a product, R per term for a sum. Any
      // order of addition is within N·ε·Σ|terms| of the exact sum, so the two within twice that.
      const terms = [...p.products.map(() => R), ...p.sums.map((t) => R * t.length)];
      want.forEach((w, k) => {
        const [a, b, s] = [(w as ConcreteArray).data, (got[k] as ConcreteArray).data, (scales[k] as ConcreteArray).data];
        for (let i = 0; i < a.length; i++) {
          const [u, v] = [a[i]!, b[i]!];
          const ok = Number.isFinite(s[i]!) ? Math.abs(u - v) <= 2.02 * terms[k]! * EPS * s[i]! : u === v || (u !== u && v !== v);
          if (!ok) expect({ output: k, index: i, compiled: v }).toEqual({ output: k, index: i, compiled: u });
        }
      });
    });
    // The generator reaches the pass: most programs have products to batch.
    expect(batched).toBeGreaterThan(0);
  });
});
