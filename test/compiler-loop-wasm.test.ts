/**
 * @file Fused loops of float64 arithmetic as generated Wasm SIMD functions in the matrix kernel's
 * memory (`compiler/loop-wasm.ts`) and the constant matrix–vector kernel (`kernels/matvec-wasm.ts`,
 * `compiler/matvec-call.ts`): bit for bit eager's results — leaves contiguous, broadcast along rows,
 * per row and numbers, odd row lengths, NaN, ±∞ and −0 — the Wasm functions demonstrably running,
 * and the JavaScript loops where an operand is outside that memory or the memory is not shared.
 */
import { describe, expect, it, vi } from "vitest";
import { jit, hessian } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { ConcreteArray, type NDArray } from "../src/core/ndarray.ts";
import { matmulData } from "../src/kernels/matmul.ts";
import { kernelMemoryArray } from "../src/kernels/matmul-wasm.ts";
import { constantMatVec } from "../src/kernels/matvec-wasm.ts";
import { constantMatVecCall } from "../src/compiler/matvec-call.ts";
import { compileWasmLoop, planWasmLoop, type WasmLoopPlan } from "../src/compiler/loop-wasm.ts";
import { mockNoKernelMemory, sameBits, staged, values } from "./compiler-helpers.ts";

type A = np.NDArray;

/** [rows, cols]: one row, odd and even row lengths (tails of one and of two pairs), one column. */
const SHAPES: [number, number][] = [[1, 129], [3, 65], [8, 8], [17, 101], [100, 100], [13, 7], [9, 30], [64, 1], [5, 2051]];

/**
 * The program under test: a loop over [r, c] reading a constant (contiguous), a row of maxima
 * (broadcast along rows), a column of sums (one value per row) and a number, computing every Wasm
 * operation, whose two results only a kernel reads (so the loop's buffers are in the kernel's memory);
 * their concatenation gives their bits back.
 */
function program(n: typeof np, r: number, c: number): (x: A) => A[] {
  const m = n.array(values(r * c, 3, 40)).reshape([r, c]);
  return (x: A) => {
    const row = n.max(x, { axis: 0 });
    const col = n.sum(x, { axis: 1, keepdims: true });
    const t = m.mul(row).sub(col).div(3).neg();
    const u = n.floor(n.sqrt(n.abs(t))).add(n.ceil(t)).sub(n.trunc(m.mul(0.25)));
    return [n.concatenate([t, u])];
  };
}

/**
 * A loop reading a reshape that a product reads too (so a kernel call makes it, sharing the memory
 * of the sums it reshapes): those sums must be placed in the kernel's memory for the loop to run in Wasm.
 */
function reshaped(n: typeof np, r: number, c: number): (x: A) => A[] {
  const m = n.array(values(r * c, 3, 40)).reshape([r, c]);
  const w = n.array(values(r * r, 8, 1)).reshape([r, r]);
  return (x: A) => {
    const q = n.sum(x, { axis: 1 }).reshape([r, 1]);
    const t = m.sub(q).mul(m);
    return [n.concatenate([t, t]), w.matmul(q)];
  };
}

/** Finite arguments (sums and maxima of NaN would hide everything); the constant holds NaN, ±∞ and −0. */
const arg = (r: number, c: number): A => np.array(values(r * c, 1).map((v) => (Number.isFinite(v) ? v : -0))).reshape([r, c]);

/**
 * Makes the next imports a module graph of their own in which every compiled loop function counts
 * its calls (read them with `calls()`).
 */
function countWasmLoopCalls(): { calls: () => number } {
  vi.resetModules();
  let calls = 0;
  vi.doMock("../src/compiler/loop-wasm.ts", async (importOriginal) => {
    const real = await importOriginal<typeof import("../src/compiler/loop-wasm.ts")>();
    const counted = (p: WasmLoopPlan) => {
      const fn = real.compileWasmLoop(p);
      return fn && ((...a: number[]) => (calls++, fn(...a)));
    };
    return { ...real, compileWasmLoop: counted };
  });
  return { calls: () => calls };
}

describe("fused loops as Wasm functions", () => {
  it("equal eager bit for bit on every shape, and run in Wasm", async () => {
    // A module graph of its own, in which every compiled loop function counts its calls.
    const loops = countWasmLoopCalls();
    const lib = await import("../src/index.ts");
    const npm = await import("../src/numpy/index.ts");
    for (const [k, [r, c]] of [...SHAPES.map((sh) => [0, sh] as const), [1, [40, 30]] as const, [1, [7, 64]] as const]) {
      const f = (k === 0 ? program : reshaped)(npm as unknown as typeof np, r, c) as unknown as (x: unknown) => unknown[];
      const x = npm.array(Array.from((arg(r, c) as ConcreteArray).data)).reshape([r, c]);
      const g = lib.jit(f);
      const text = g.lower(x).text;
      expect(text).toContain("fused loop as Wasm");
      const before = loops.calls();
      const [expected, got] = [f(x), g(x)] as [NDArray[], NDArray[]];
      expect(loops.calls()).toBe(before + 1);
      sameBits(expected, got);
      sameBits(expected, g(x) as NDArray[]); // a second call, buffers reused
    }
    vi.doUnmock("../src/compiler/loop-wasm.ts");
  });

  it("plans only float64 IEEE arithmetic over at most two levels, rows or per-row leaves", () => {
    const plan = (f: (...a: never[]) => unknown, ...args: unknown[]) => {
      const { jaxpr } = staged(f, ...args);
      const members = jaxpr.eqns.filter((e) => e.prim.name !== "broadcastInDim");
      const rows = new Set(jaxpr.eqns.filter((e) => e.prim.name === "broadcastInDim").map((e) => e.outs[0]!));
      const shape = members[0]!.outs[0]!.aval.shape;
      const own = new Set(members.map((e) => e.outs[0]!));
      const inputs = [...new Set(members.flatMap((e) => e.inputs))].filter((v) => !own.has(v));
      const leaves = inputs.map((v) => ({ v, base: v, strides: rows.has(v) ? [0, 1] : [shape[1]!, 1] }));
      return planWasmLoop(members, shape, leaves, [members[members.length - 1]!.outs[0]!]);
    };
    const [x, y] = [np.ones([10, 10]), np.ones([10])];
    expect(plan((a: A, b: A) => a.mul(b).neg(), x, y)).toMatchObject({ rows: 10, cols: 10, leaves: [{ outer: 10, splat: false }, { outer: 0, splat: false }] });
    expect(plan((a: A, b: A) => np.exp(a.mul(b)), x, y)).toBeUndefined(); // exp is not a Wasm operation
    expect(plan((a: A, b: A) => a.mul(b), np.ones([4, 4]), np.ones([4]))).toBeUndefined(); // 16 elements: JavaScript
  });

  it("compiled for a plan, computes each operation as JavaScript does (one row, odd rows, per-row values)", () => {
    const [r, c] = [5, 67];
    const [x, row, col] = [kernelMemoryArray(r * c)!, kernelMemoryArray(c)!, kernelMemoryArray(r)!];
    x.set(values(r * c, 2, 50));
    row.set(values(c, 4, 5));
    col.set(values(r, 6, 5));
    const out = [kernelMemoryArray(r * c)!, kernelMemoryArray(r * c)!];
    // slots: 0 x, 1 row, 2 col, 3 the number; 4 x·row, 5 4−col, 6 5÷number, 7 −6, 8 |7|, 9 √8, 10 ⌊9⌋, 11 ⌈6⌉, 12 trunc 6, 13 10+11, 14 13−12
    const plan: WasmLoopPlan = {
      rows: r,
      cols: c,
      leaves: [{ outer: c, splat: false }, { outer: 0, splat: false }, { outer: 1, splat: true }, null],
      ops: [
        { op: "mul", args: [0, 1] }, { op: "sub", args: [4, 2] }, { op: "div", args: [5, 3] }, { op: "neg", args: [6] },
        { op: "abs", args: [7] }, { op: "sqrt", args: [8] }, { op: "floor", args: [9] }, { op: "ceil", args: [6] },
        { op: "trunc", args: [6] }, { op: "add", args: [10, 11] }, { op: "sub", args: [13, 12] },
      ],
      stores: [7, 14],
    };
    const fn = compileWasmLoop(plan)!;
    expect(fn).toBeDefined();
    for (const k of [-0.3, 0, -0, NaN, Infinity]) {
      fn(x.byteOffset, row.byteOffset, col.byteOffset, k, out[0]!.byteOffset, out[1]!.byteOffset);
      for (let i = 0; i < r; i++) {
        for (let j = 0; j < c; j++) {
          const t6 = (x[i * c + j]! * row[j]! - col[i]!) / k;
          const t7 = -t6;
          const t14 = Math.floor(Math.sqrt(Math.abs(t7))) + Math.ceil(t6) - Math.trunc(t6);
          if (!Object.is(out[0]![i * c + j], t7) || !Object.is(out[1]![i * c + j], t14)) {
            expect({ k, i, j, t7: out[0]![i * c + j], t14: out[1]![i * c + j] }).toEqual({ k, i, j, t7, t14 });
          }
        }
      }
    }
  });

  it("stay JavaScript loops where they read an argument or write an output (never in the kernel's memory)", () => {
    const m = np.array(values(50 * 40, 3, 40)).reshape([50, 40]);
    const f = (x: A, y: A) => np.transpose(m.mul(y).sub(x).neg());
    const g = (x: A) => m.mul(np.max(x, { axis: 0 })).neg();
    const [x, y] = [np.array(values(50 * 40, 1)).reshape([50, 40]), np.array(values(40, 2))];
    expect(jit(f).lower(x, y).text).not.toContain("fused loop as Wasm");
    expect(jit(g).lower(x).text).not.toContain("fused loop as Wasm");
    sameBits([f(x, y), g(x)], [jit(f)(x, y), jit(g)(x)]);
  });

  it("run their JavaScript loop where, at run time, an operand is not in the kernel's memory", async () => {
    const loops = countWasmLoopCalls();
    vi.doMock("../src/kernels/matmul-wasm.ts", async (importOriginal) => ({
      ...(await importOriginal<typeof import("../src/kernels/matmul-wasm.ts")>()),
      inKernelMemory: () => false,
    }));
    const lib = await import("../src/index.ts");
    const npm = await import("../src/numpy/index.ts");
    const f = program(npm as unknown as typeof np, 17, 101) as unknown as (x: unknown) => unknown[];
    const x = npm.array(Array.from((arg(17, 101) as ConcreteArray).data)).reshape([17, 101]);
    const g = lib.jit(f);
    expect(g.lower(x).text).toContain("fused loop as Wasm");
    sameBits(f(x) as NDArray[], g(x) as NDArray[]);
    expect(loops.calls()).toBe(0);
    vi.doUnmock("../src/compiler/loop-wasm.ts");
    vi.doUnmock("../src/kernels/matmul-wasm.ts");
  });

  it("leave loops of three levels to JavaScript", () => {
    const m = np.array(values(4 * 5 * 6, 3)).reshape([4, 5, 6]);
    const f = (x: A) => np.transpose(m.mul(np.sum(x, { axis: 1, keepdims: true })).neg());
    const x = np.array(values(4 * 5 * 6, 1).map((v) => (Number.isFinite(v) ? v : 1))).reshape([4, 5, 6]);
    expect(jit(f).lower(x).text).not.toContain("fused loop as Wasm");
    sameBits([f(x)], [jit(f)(x)]);
  });

  it("W5, the Hessian of sum(tanh(A·v)): its loop in Wasm and its A·v on the constant kernel, bit for bit", () => {
    const a = np.array(values(100 * 100, 5, 0.3)).reshape([100, 100]);
    const h = hessian((v: A) => np.sum(np.tanh(a.matmul(v))));
    const v = np.array(values(100, 6, 1).map((x) => (Number.isFinite(x) ? x : -0)));
    const text = jit(h).lower(v).text;
    expect(text).toContain("fused loop as Wasm");
    sameBits([h(v) as A], [jit(h)(v) as A]);
  });
});

describe("without shared kernel memory", () => {
  it("compiles every loop to JavaScript and still equals eager", async () => {
    vi.resetModules();
    mockNoKernelMemory();
    const lib = await import("../src/index.ts");
    const npm = await import("../src/numpy/index.ts");
    for (const [r, c] of [[17, 101], [100, 100]] as const) {
      const f = program(npm as unknown as typeof np, r, c) as unknown as (x: unknown) => unknown[];
      const x = npm.array(Array.from((arg(r, c) as ConcreteArray).data)).reshape([r, c]);
      const g = lib.jit(f);
      expect(g.lower(x).text).not.toContain("fused loop as Wasm");
      sameBits(f(x) as NDArray[], g(x) as NDArray[]);
    }
    vi.doUnmock("../src/kernels/matmul-wasm.ts");
  });
});

describe("A·x of a constant A on the Wasm kernel", () => {
  const rowsOf = [1, 8, 15, 16, 17, 100, 129];
  const depths = [1, 2, 3, 100, 1024];
  it("equals matmulData bit for bit (every row length, tails of the row blocks, NaN, ±∞, −0)", () => {
    for (const m of rowsOf) {
      for (const k of depths) {
        const a = new Float64Array(values(m * k, m + k, 4));
        if (m > 2) a.fill(-0, 0, k); // row 0: products −0, so its sum is +0 as the JavaScript kernel's (0 + −0)
        const x = new Float64Array(values(k, 7, 2));
        const expected = new Float64Array(m);
        matmulData(a, x, expected, 1, m, k, 1);
        const mv = constantMatVec(a, m, k)!;
        const got = new Float64Array(m);
        mv(x, got);
        for (let i = 0; i < m; i++) if (!Object.is(got[i], expected[i])) expect({ m, k, i, got: got[i] }).toEqual({ m, k, i, got: expected[i] });
      }
    }
  });

  it("takes products of a constant by a vector, up to the depth eager sums in one pass", () => {
    const call = (m: number, k: number, batch = false) => {
      const a = np.array(values(m * k * (batch ? 2 : 1), 1)).reshape(batch ? [2, m, k] : [m, k]);
      const f = batch ? (x: A) => np.matmul(a, x) : (x: A) => a.matmul(x);
      const x = np.ones(batch ? [2, k, 1] : [k]);
      const { jaxpr, consts } = staged(f, x);
      const value = new Map(jaxpr.constvars.map((v, i) => [v, consts[i]!]));
      const dot = jaxpr.eqns.find((e) => e.prim.name === "dotGeneral")!;
      return constantMatVecCall(dot, (v) => value.get(v));
    };
    expect(call(100, 100)).toBeDefined();
    expect(call(8, 1024)).toBeDefined();
    expect(call(7, 100)).toBeUndefined(); // few rows: the JavaScript kernel
    expect(call(8, 1025)).toBeUndefined(); // summed blockwise beyond 1024 by eager
    expect(call(8, 10, true)).toBeUndefined(); // batched
  });

  it("runs under jit, bit for bit eager's", () => {
    for (const [m, k] of [[100, 100], [33, 5], [9, 1024]] as const) {
      const a = np.array(values(m * k, 2, 3)).reshape([m, k]);
      const f = (x: A) => a.matmul(x).mul(2);
      const x = np.array(values(k, 9));
      expect(jit(f).lower(x).text).toMatch(/K\[\d+\]\(v\d+\.data, b\d+\); \/\/ dotGeneral/);
      sameBits([f(x)], [jit(f)(x)]);
    }
  });
});
