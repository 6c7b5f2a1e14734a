/**
 * @file Where WebAssembly SIMD is missing (`simdMath()` null), compiled loops keep their `Math`
 * expressions and still equal eager (which falls back to its JavaScript loops) bit for bit; a
 * kernel that leaves lanes to `Math` makes a compiled loop throw rather than differ from eager.
 */
import { describe, expect, it, vi } from "vitest";

type Data = ArrayLike<number>;
function same(xs: readonly Data[], ys: readonly Data[]): void {
  xs.forEach((a, k) => {
    const b = ys[k]!;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) expect({ output: k, index: i, jit: b[i] }).toEqual({ output: k, index: i, jit: a[i] });
  });
}

const data = (x: unknown): Data => (x as { data: Data }).data;

/** The library imported afresh, in a module graph of its own in which the SIMD module reports itself unavailable. */
async function withoutSimd() {
  vi.resetModules();
  vi.doMock("../src/kernels/simd.ts", async (importOriginal) => ({
    ...(await importOriginal<typeof import("../src/kernels/simd.ts")>()),
    simdMath: () => null,
    simdUnary: () => false,
    simdPow: () => false,
  }));
  const { grad, jit } = await import("../src/index.ts");
  const np = await import("../src/numpy/index.ts");
  return { grad, jit, np };
}

describe("without WebAssembly SIMD", () => {
  it("generates plain Math loops that equal eager bit for bit", async () => {
    const { grad, jit, np } = await withoutSimd();
    type A = InstanceType<typeof np.NDArray>;
    const f = (x: A, y: A) => np.tanh(np.exp(x.mul(0.5))).add(np.expm1(x)).mul(np.power(np.abs(x), y));
    for (const n of [255, 256, 2049, 4097]) {
      const xs = Array.from({ length: n }, (_, i) => 3 * Math.sin(i));
      const ys = Array.from({ length: n }, (_, i) => Math.cos(i));
      const [x, y] = [np.array(xs), np.array(ys)];
      const text = jit(f).lower(x, y).text;
      expect(text).not.toContain("simd_");
      expect(text).toContain("Math.tanh(");
      const expected = xs.map((v, i) => (Math.tanh(Math.exp(v * 0.5)) + Math.expm1(v)) * Math.pow(Math.abs(v), ys[i]!));
      same([expected, data(f(x, y))], [data(jit(f)(x, y)), data(jit(f)(x, y))]);
      const g = grad((a: A, b: A) => np.sum(f(a, b)), { argnums: [0, 1] });
      const [e, j] = [g(x, y) as A[], jit(g)(x, y) as A[]];
      same(e.map(data), j.map(data));
    }
    vi.doUnmock("../src/kernels/simd.ts");
  });
  it("keeps a bias before tanh and the gradient's moved 1 − h² in JavaScript loops, bit for bit eager's", async () => {
    const { grad, jit, np } = await withoutSimd();
    type A = InstanceType<typeof np.NDArray>;
    const wave = (n: number, seed: number) => Array.from({ length: n }, (_, i) => (i % 29 === 3 ? [NaN, Infinity, -Infinity, -0][i % 4]! : 2 * Math.sin(0.3 * i + seed)));
    const [r, c] = [70, 301];
    const x = np.array(wave(r * c, 1)).reshape(r, c);
    const w = np.array(wave(c * c, 2).map((v) => (Number.isFinite(v) ? 0.1 * v : 0.5))).reshape(c, c);
    const b = np.array(wave(c, 3));
    const layer = (u: A, bias: A) => np.tanh(u.add(bias));
    const text = jit(layer).lower(x, b).text;
    expect(text).not.toContain("simd_");
    same([data(layer(x, b))], [data(jit(layer)(x, b))]);
    const loss = (u: A, bias: A) => np.sum(np.tanh(np.tanh(u.add(bias)).matmul(w)));
    const g = grad(loss, { argnums: [0, 1] });
    expect(jit(g).lower(x, b).text).toMatch(/fused loop: mul, sub, mul over/);
    same((g(x, b) as A[]).map(data), (jit(g)(x, b) as A[]).map(data));
    vi.doUnmock("../src/kernels/simd.ts");
  });
  it("fails loudly if exp, expm1 or tanh's kernel starts leaving lanes to Math (compiled loops do not redo them)", async () => {
    vi.resetModules();
    vi.doMock("../src/kernels/simd.ts", async (importOriginal) => {
      const real = await importOriginal<typeof import("../src/kernels/simd.ts")>();
      const m = real.simdMath()!;
      const tanh = m.exports["tanh"] as (p: number, n: number) => number;
      const leaving = { ...m, exports: { ...m.exports, tanh: (p: number, n: number) => (tanh(p, n), 1) } };
      return { ...real, simdMath: () => leaving };
    });
    const { jit } = await import("../src/index.ts");
    const np = await import("../src/numpy/index.ts");
    const f = jit((x: InstanceType<typeof np.NDArray>) => np.tanh(x.mul(2)));
    expect(() => f(np.ones([300]))).toThrow(/tanh: the SIMD kernel left lanes to Math, which compiled loops do not redo \(internal\)/);
    vi.doUnmock("../src/kernels/simd.ts");
  });
});
