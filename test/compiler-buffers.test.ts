/**
 * @file Kernel calls writing into the memory plan's buffers (matrix products, transposes,
 * broadcasts), the fusion rule that keeps gradient sums from holding every product alive, strided
 * loops interleaved along their innermost axis, the layout simplifications (transpose/reshape chains
 * to one reshape), and random programs of matrix products under `grad` against the interpreter.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { grad, hessian } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import type { ConcreteArray, NDArray } from "../src/core/ndarray.ts";
import { countEqns, evalJaxpr, type ClosedJaxpr } from "../src/core/jaxpr.ts";
import { compile, optimize } from "../src/compiler/index.ts";
import { generate } from "../src/compiler/codegen-js.ts";
import { numRuns, seed } from "../property-tests/config.ts";
import { staged } from "./compiler-helpers.ts";

type A = np.NDArray;

/** The same numbers, NaN matching NaN and −0 matching 0 (`x + 0 → x` may change a zero's sign, as in XLA). */
function same(xs: readonly NDArray[], ys: readonly NDArray[]): void {
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

/** Deterministic data in [-1, 1]. */
const data = (shape: number[], seedValue: number): A => {
  const n = shape.reduce((a, b) => a * b, 1);
  return np.array(Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + seedValue))).reshape(...shape);
};

/**
 * Runs `closed` compiled on `first`, then on `second`: both results equal the interpreter's (as
 * `compare(interpreter's, compiled's, args)` says: by default `same`), and the first call's outputs
 * are unchanged by the second (the caller keeps them: never a pooled buffer).
 */
function checkTwoCalls(closed: ClosedJaxpr, first: NDArray[], second: NDArray[], compare: (xs: readonly NDArray[], ys: readonly NDArray[], args: NDArray[]) => void = same): void {
  const c = compile(closed);
  const r1 = c.run(first);
  const snapshot = r1.map((a) => Array.from((a as ConcreteArray).data));
  const r2 = c.run(second);
  r1.forEach((a, i) => expect(Array.from((a as ConcreteArray).data)).toEqual(snapshot[i]));
  compare(evalJaxpr(closed, first), r1, first);
  compare(evalJaxpr(closed, second), r2, second);
}

/**
 * For the Hessian of Σ tanh(A·x), Aᵀ·diag(w)·A (w = −2t(1 − t²), t = tanh(A·x)), which the compiler
 * computes as a symmetric product (src/compiler/symmetric.ts): exactly symmetric, the interpreter's
 * bits on and above the diagonal, and below it within (2k + 8)·ε·Σ_p |A[p,i]|·|w_p|·|A[p,j]| of the
 * interpreter's — two sums of the same k exact terms, each term formed with a few roundings (the
 * mirrored element sums A[p,j]·w_p·A[p,i] where the interpreter sums A[p,i]·w_p·A[p,j]).
 */
const mirroredHessian = (a: NDArray) => (xs: readonly NDArray[], ys: readonly NDArray[], [x]: NDArray[]): void => {
  const [k, n] = a.shape as [number, number];
  const ad = (a as ConcreteArray).data;
  const [want, got] = [(xs[0] as ConcreteArray).data, (ys[0] as ConcreteArray).data];
  const w = Array.from({ length: k }, (_, p) => {
    let z = 0;
    for (let q = 0; q < n; q++) z += ad[p * n + q]! * (x as ConcreteArray).data[q]!;
    const t = Math.tanh(z);
    return 2 * Math.abs(t) * (1 - t * t);
  });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      expect(got[i * n + j]).toBe(got[j * n + i]);
      if (i <= j) expect(got[i * n + j]).toBe(want[i * n + j]);
      else {
        let s = 0;
        for (let p = 0; p < k; p++) s += Math.abs(ad[p * n + i]!) * w[p]! * Math.abs(ad[p * n + j]!);
        expect(Math.abs(got[i * n + j]! - want[i * n + j]!)).toBeLessThanOrEqual((2 * k + 8) * 2 ** -53 * s * (1 + 1e-12));
      }
    }
  }
};

describe("kernel calls into the memory plan's buffers", () => {
  // Three layers, a transposed product, a broadcast materialised for a matmul, a reshape of a
  // product returned (it shares the product's memory, so the product must not be pooled).
  const net = (x: A, w: A, b: A) => {
    let h = x;
    for (let l = 0; l < 3; l++) h = np.tanh(h.matmul(w).add(b));
    const gram = np.transpose(h).matmul(h);
    const spread = np.broadcastTo(b, [9, 9]).matmul(gram);
    const last = h.matmul(w);
    return [gram.reshape(81), np.sum(spread, { axis: 0 }), last, np.transpose(h)];
  };
  const args = (s: number) => [data([6, 9], s), data([9, 9], s + 1).mul(0.3), data([9], s + 2)];

  it("call the kernels directly, write intermediates into reused buffers, and keep outputs fresh", () => {
    const closed = staged(net as never, ...args(1));
    const { text, memory } = generate(optimize(closed));
    // matmul, transpose, broadcast and sum are direct kernel calls, not `impl`s.
    for (const name of ["dotGeneral", "transpose", "broadcastInDim", "reduceSum"]) {
      expect(text).toMatch(new RegExp(`\\); // ${name}`));
      expect(text).not.toMatch(new RegExp(`\\.impl\\(.*// ${name}`));
    }
    // The three layers' products are intermediates of one size: they share buffers.
    const products = [...memory.slotOf.keys()].filter((v) => v.aval.shape.join() === "6,9");
    expect(products.length).toBeGreaterThanOrEqual(3);
    expect(new Set(products.map((v) => memory.slotOf.get(v))).size).toBeLessThan(products.length);
    checkTwoCalls(closed, args(1), args(5));
  });

  it("under grad and hessian, equal the interpreter", () => {
    const loss = (x: A, w: A, b: A) => (net(x, w, b) as A[]).reduce((s: A, v) => s.add(np.sum(np.sin(v))), np.array(0));
    checkTwoCalls(staged(grad(loss, { argnums: [0, 1, 2] }) as never, ...args(2)), args(2), args(7));
    const A0 = data([7, 7], 3).mul(0.2);
    const h = hessian((v: A) => np.sum(np.tanh(A0.matmul(v))));
    checkTwoCalls(staged(h as never, data([7], 4)), [data([7], 4)], [data([7], 9)], mirroredHessian(A0));
  });

  it("sum a gradient over many steps without holding every product alive", () => {
    // Σ_t x_tᵀ·d_t with d_t depending on the step before: 12 products of [9, 9].
    const xs = Array.from({ length: 12 }, (_, t) => data([4, 9], 10 + t));
    const f = (w: A) => {
      let h = np.zeros([4, 9]);
      for (const x of xs) h = np.tanh(x.add(h.matmul(w)));
      return np.sum(h.mul(h));
    };
    const g = grad(f);
    const w = data([9, 9], 30).mul(0.3);
    const closed = staged(g as never, w);
    const { memory } = generate(optimize(closed));
    const squares = new Set([...memory.slotOf].filter(([v]) => v.aval.shape.join() === "9,9").map(([, s]) => s));
    // Each product is added to the running sum right after it is computed: a few buffers, not 12.
    expect(squares.size).toBeLessThanOrEqual(3);
    checkTwoCalls(closed, [w], [w.mul(-0.7)]);
  });
});

describe("fusion across kernel calls", () => {
  it("an array from a later kernel starts a new loop; a 0-d value (a JS number) does not", () => {
    const x = data([6, 5], 1);
    const y = data([5, 5], 2);
    const afterMatmul = generate(optimize(staged((a: A, b: A) => np.sin(a).mul(a.matmul(b)), x, y))).text;
    expect(afterMatmul).toMatch(/fused loop: sin over/);
    const afterSum = generate(optimize(staged((a: A, b: A) => np.sin(a).mul(np.sum(b).mul(2)), x, y))).text;
    expect(afterSum).toMatch(/fused loop: sin, mul over/);
  });
});

describe("strided loops", () => {
  it("interleave four elements of the innermost axis, tails and reductions exact", () => {
    for (const cols of [8, 11, 13, 3]) {
      const f = (x: A, b: A, y: A) => {
        const z = np.tanh(x.add(b)).mul(np.transpose(y));
        return [z, np.max(z, { axis: 0 }), np.min(z.mul(2), { axis: 1 }), np.sin(np.transpose(x)).add(b.reshape(cols, 1))];
      };
      const a = [data([5, cols], 1), data([cols], 2), data([cols, 5], 3)];
      a[0] = np.where(np.greater(a[0]!, 0.9), NaN, a[0]!);
      const closed = staged(f as never, ...a);
      const { text } = generate(optimize(closed));
      if (cols >= 8) expect(text).toMatch(/j1 \+= 4/);
      checkTwoCalls(closed, a, [a[0]!.mul(-1), a[1]!, a[2]!.add(1)]);
    }
  });
});

describe("layout simplification", () => {
  it("turns order-keeping transpose/reshape chains and unit-axis broadcasts into one reshape", () => {
    const f = (x: A) => {
      const t = np.transpose(x.reshape(4, 1, 6, 1), [1, 2, 0, 3]); // a real transpose
      const back = np.transpose(t.reshape(6, 4)); // …undone: x's order again
      const unit = np.broadcastTo(x.reshape(4, 1, 6), [4, 1, 6]).reshape(1, 4, 6);
      return [back.add(1), np.sin(unit), np.transpose(x.reshape(4, 6, 1), [0, 2, 1])];
    };
    const x = data([24], 5);
    const closed = staged(f as never, x);
    const opt = optimize(closed);
    const text = String(opt);
    expect(text).not.toMatch(/transpose/);
    expect(countEqns(opt.jaxpr)).toBeLessThan(countEqns(closed.jaxpr));
    checkTwoCalls(closed, [x], [x.mul(3)]);
    // A transpose that changes the order stays.
    expect(String(optimize(staged((y: A) => np.transpose(y.reshape(4, 6)).add(1), x)))).toMatch(/transpose\[perm=\[1,0\]\]/);
  });
});

describe("constant operands of products laid out as the kernel reads them", () => {
  it("stores a constant read transposed in its reading order once, results equal to the bit", () => {
    const K = data([7, 5], 1);
    const B3 = data([2, 4, 3], 2);
    // Staging computes np.transpose of a constant eagerly; einsum contracts the constant's axes as they are.
    const f = (x: A, y: A, z: A) => [
      np.einsum("ji,jk->ik", K, x), // K read transposed, on the left
      np.einsum("ij,kj->ik", z.mul(2), K), // K read transposed, on the right
      np.einsum("bji,bjk->bik", B3, y), // a batched operand read transposed
      np.einsum("ji,jk->ik", K, x.add(1)),
    ];
    const args = [data([7, 6], 3), data([2, 4, 6], 4), data([3, 5], 5)];
    const closed = staged(f as never, ...args);
    const opt = optimize(closed);
    // The three products reading K share one re-laid-out constant, Kᵀ of shape [5, 7] (rows then
    // columns on the left, contraction then columns on the right); the batched one gets [2, 3, 4].
    expect(String(closed)).toMatch(/lhs_contract=\[0\]/);
    expect(opt.consts.filter((c) => c.size > 1).map((c) => c.shape.join()).sort()).toEqual(["2,3,4", "5,7"]);
    expect(String(opt)).not.toMatch(/lhs_contract=\[0\]|rhs_contract=\[1\] lhs_batch=\[\]|lhs_contract=\[1\] rhs_contract=\[1\] lhs_batch=\[0\]/);
    checkTwoCalls(closed, args, [args[0]!.mul(-3), args[1]!, args[2]!.add(1)]);
  });
});

describe("random programs of matrix products and fused loops", () => {
  const [R, C] = [5, 9];
  type Op = { k: "mm" | "tm" | "un" | "bin" | "bias" | "max"; a: number; b: number; f: number };
  const opArb: fc.Arbitrary<Op> = fc.record({
    k: fc.constantFrom("mm", "tm", "un", "bin", "bias", "max"),
    a: fc.nat(),
    b: fc.nat(),
    f: fc.nat(3),
  });
  const UN = [np.tanh, np.sin, (x: A) => x.mul(x), np.negative];
  const BIN = [np.add, np.multiply, np.subtract, np.maximum];
  /** Values of shape [R, C] and [C, C] in two pools; the last three of each are the outputs. */
  const program = (ops: readonly Op[]) => (x: A, w: A, b: A) => {
    const rows: A[] = [x];
    const squares: A[] = [w];
    for (const op of ops) {
      const pick = (pool: A[], i: number) => pool[i % pool.length]!;
      switch (op.k) {
        case "mm":
          rows.push(pick(rows, op.a).matmul(pick(squares, op.b)));
          break;
        case "tm":
          squares.push(np.transpose(pick(rows, op.a)).matmul(pick(rows, op.b)).mul(0.1));
          break;
        case "un":
          rows.push(UN[op.f]!(pick(rows, op.a)));
          break;
        case "bin":
          if (op.b % 2 === 0) rows.push(BIN[op.f]!(pick(rows, op.a), pick(rows, op.b >> 1)));
          else squares.push(BIN[op.f]!(pick(squares, op.a), np.transpose(pick(squares, op.b >> 1))));
          break;
        case "bias":
          rows.push(pick(rows, op.a).add(b));
          break;
        case "max":
          rows.push(pick(rows, op.a).sub(np.max(pick(rows, op.b), { axis: op.f % 2, keepdims: true })));
          break;
      }
    }
    return [...rows.slice(-3), ...squares.slice(-2)];
  };
  const value = fc.oneof({ weight: 20, arbitrary: fc.double({ min: -1, max: 1, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -0) });
  const arrayOf = (shape: number[]) => fc.array(value, { minLength: shape[0]! * (shape[1] ?? 1), maxLength: shape[0]! * (shape[1] ?? 1) }).map((v) => np.array(v).reshape(...shape));
  const inputs = fc.tuple(arrayOf([R, C]), arrayOf([C, C]), arrayOf([C]));

  it("equal the interpreter, plainly and under grad, over two calls", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 14 }), inputs, inputs, (ops, a1, a2) => {
        const p = program(ops);
        checkTwoCalls(staged(p as never, ...a1), [...a1], [...a2]);
        const loss = (x: A, w: A, b: A) => p(x, w, b).reduce((s: A, v) => s.add(np.sum(np.tanh(v))), np.array(0));
        checkTwoCalls(staged(grad(loss, { argnums: [0, 1, 2] }) as never, ...a1), [...a1], [...a2]);
      }),
      { numRuns: numRuns(40), seed },
    );
  });
});
