/**
 * @file The compiler against the interpreter on random programs: elementwise unary and binary
 * operations with broadcasting, reductions along axes (keepdims or not), reshapes, transposes,
 * `where`, matrix products, run plainly, under `grad` and under `vmap`, with NaN and ±∞ among the
 * inputs. The compiled program must give the interpreter's numbers (NaN where it has NaN).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { grad, makeJaxpr, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import type { ConcreteArray, NDArray } from "../src/core/ndarray.ts";
import { evalJaxpr, type ClosedJaxpr } from "../src/core/jaxpr.ts";
import { compile } from "../src/compiler/index.ts";
import { property } from "./harness.ts";

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
