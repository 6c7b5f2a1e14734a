/**
 * @file `lax.reduceWindow` with base and window dilation, strides and every padding form: values
 * against a loop over the definition (random configurations) and against JAX
 * (test/fixtures/gen-reduce-window-jax.py), derivatives as properties (central differences to
 * second order, forward vs reverse, vmap vs a loop, jit vs eager), and the errors.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkGrads, grad, jit, jvp, lax, vjp, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { numRuns, seed } from "../property-tests/config.ts";
import ref from "./fixtures/reduce-window-jax.json" with { type: "json" };

type Comp = "max" | "min" | "add";
type Pads = [number, number][];
const INIT: Record<Comp, number> = { max: -Infinity, min: Infinity, add: 0 };
const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** JAX's `padtype_to_pads`, written out: on the undilated shape, with the dilated window. */
function resolvePads(padding: string | Pads, shape: number[], span: number[], strides: number[]): Pads {
  if (typeof padding !== "string") return padding;
  if (padding.toUpperCase() === "VALID") return shape.map(() => [0, 0]);
  return shape.map((n, d) => {
    const total = Math.max(0, (Math.ceil(n / strides[d]!) - 1) * strides[d]! + span[d]! - n);
    const small = Math.floor(total / 2);
    return padding.toUpperCase() === "SAME" ? [small, total - small] : [total - small, small];
  });
}

/**
 * The definition, one output element at a time: window tap k of output y reads position
 * y·s + k·wd − lo of the base-dilated operand, which is an element where it is a multiple of the
 * base dilation inside the operand, and `init` anywhere else.
 */
function byLoops(x: Float64Array, shape: number[], comp: Comp, win: number[], strides: number[], pads: Pads, base: number[], wdil: number[]) {
  const nd = shape.length;
  const dil = (n: number, b: number) => (n === 0 ? 0 : 1 + b * (n - 1));
  const outShape = shape.map((n, d) => Math.max(0, Math.floor((dil(n, base[d]!) + pads[d]![0] + pads[d]![1] - dil(win[d]!, wdil[d]!)) / strides[d]!) + 1));
  const out = new Float64Array(prod(outShape));
  const multi = (flat: number, s: number[]) => {
    const idx = new Array<number>(s.length);
    for (let d = s.length - 1; d >= 0; d--) {
      idx[d] = flat % s[d]!;
      flat = Math.floor(flat / s[d]!);
    }
    return idx;
  };
  const f = comp === "max" ? Math.max : comp === "min" ? Math.min : (a: number, b: number) => a + b;
  for (let e = 0; e < out.length; e++) {
    const y = multi(e, outShape);
    let acc = INIT[comp];
    for (let t = 0; t < prod(win); t++) {
      const k = multi(t, win);
      let flat = 0;
      for (let d = 0; d < nd && flat >= 0; d++) {
        const p = y[d]! * strides[d]! + k[d]! * wdil[d]! - pads[d]![0];
        const i = p / base[d]!;
        flat = p >= 0 && Number.isInteger(i) && i < shape[d]! ? flat * shape[d]! + i : -1;
      }
      if (flat >= 0) acc = f(acc, x[flat]!);
    }
    out[e] = acc;
  }
  return { out, outShape };
}

/** One random reduceWindow configuration: 1–3 axes, each with its window, stride, dilations and padding. */
const config = fc
  .record({
    comp: fc.constantFrom<Comp>("max", "min", "add"),
    axes: fc.array(
      fc.record({
        n: fc.integer({ min: 1, max: 5 }),
        w: fc.integer({ min: 1, max: 3 }),
        s: fc.integer({ min: 1, max: 3 }),
        b: fc.integer({ min: 1, max: 3 }),
        wd: fc.integer({ min: 1, max: 3 }),
        lo: fc.integer({ min: -1, max: 2 }),
        hi: fc.integer({ min: -1, max: 2 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    padKind: fc.constantFrom("pairs", "SAME", "SAME_LOWER", "VALID", "same"),
  })
  .map(({ comp, axes, padKind }) => ({
    comp,
    shape: axes.map((a) => a.n),
    win: axes.map((a) => a.w),
    strides: axes.map((a) => a.s),
    base: axes.map((a) => a.b),
    wdil: axes.map((a) => a.wd),
    padding: padKind === "pairs" ? axes.map((a): [number, number] => [a.lo, a.hi]) : padKind,
  }));

type Config = typeof config extends fc.Arbitrary<infer T> ? T : never;
const run = (c: Config, x: np.NDArray) => lax.reduceWindow(x, INIT[c.comp], c.comp, c.win, c.strides, c.padding, c.base, c.wdil);
const oracle = (c: Config, x: Float64Array) => {
  const span = c.win.map((w, d) => 1 + c.wdil[d]! * (w - 1));
  return byLoops(x, c.shape, c.comp, c.win, c.strides, resolvePads(c.padding, c.shape, span, c.strides), c.base, c.wdil);
};
/** Distinct values a tenth apart at least (a random order of 0.1·k, shifted), so max/min have no ties within FD's reach. */
const distinct = (n: number) => fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }).map((p) => Float64Array.from(p, (k) => 0.1 * k - 0.05 * n));

describe("lax.reduceWindow with dilations: values", () => {
  it("equals the definition by loops on random configurations (every padding form)", () => {
    fc.assert(
      fc.property(config, fc.integer({ min: 0, max: 50 }), (c, s) => {
        const data = Float64Array.from({ length: prod(c.shape) }, (_, i) => Math.sin(1.3 * i + s));
        const { out, outShape } = oracle(c, data);
        const y = run(c, np.array(Array.from(data)).reshape(c.shape));
        expect(y.shape).toEqual(outShape);
        // max/min pick an element: exactly equal; sums may associate differently (pairwise): to rounding.
        if (c.comp === "add") expect(y.ravel()).toBeAllclose(Array.from(out), { rtol: 1e-14, atol: 1e-14 });
        else expect(Array.from(y.ravel().toArray() as number[])).toEqual(Array.from(out));
      }),
      { numRuns: numRuns(300), seed },
    );
  });

  for (const [name, r] of Object.entries(ref)) {
    it(`${name}: values, JVP and VJP as JAX's`, () => {
      const n = prod(r.shape);
      const data = Array.from({ length: n }, (_, i) => (r.ints ? (3 * i) % 5 : Math.sin(0.7 * i + 0.3)));
      const x = np.array(data).reshape(r.shape);
      const comp = r.comp as Comp;
      const f = (a: np.NDArray) => lax.reduceWindow(a, INIT[comp], comp, r.win, r.strides, r.padding as Parameters<typeof lax.reduceWindow>[5], r.base, r.wdil);
      const [y, back] = vjp(f, x);
      expect(y.shape).toEqual(r.yshape);
      expect(y.ravel()).toBeAllclose(r.y, { rtol: 1e-15, atol: 0 });
      const t = np.cos(np.arange(n).mul(1.3)).reshape(r.shape);
      expect((jvp(f, [x], [t])[1] as np.NDArray).ravel()).toBeAllclose(r.ty, { rtol: 1e-14, atol: 1e-15 });
      const ct = np.arange(1, y.size + 1).reshape(y.shape);
      const [g] = back(ct) as [np.NDArray];
      if (r.g !== null) expect(g.ravel()).toBeAllclose(r.g, { rtol: 1e-14, atol: 1e-15 });
      else {
        // JAX has no VJP for max/min with window dilation; ours must agree with the JVP: ⟨ct, J t⟩ = ⟨Jᵀct, t⟩.
        const lhs = np.sum(ct.mul(jvp(f, [x], [t])[1] as np.NDArray)).item();
        expect(np.sum(g.mul(t)).item()).toBeCloseTo(lhs, 12);
      }
    });
  }
});

describe("lax.reduceWindow with dilations: derivatives and batching", () => {
  /** Configurations whose every window holds at least one element (max/min of padding alone is ±∞). */
  const covered = config.filter((c) => {
    const { out, outShape } = oracle({ ...c, comp: "add" }, new Float64Array(prod(c.shape)).fill(1));
    return prod(outShape) > 0 && out.every((v) => v > 0);
  });

  it("central differences to second order, forward and reverse (checkGrads)", () => {
    fc.assert(
      fc.property(covered.chain((c) => fc.tuple(fc.constant(c), distinct(prod(c.shape)))), ([c, data]) => {
        const x = np.array(Array.from(data)).reshape(c.shape);
        checkGrads((a: np.NDArray) => run(c, a), [x], { order: 2 });
      }),
      { numRuns: numRuns(60), seed },
    );
  });

  it("forward vs reverse: ⟨u, J v⟩ = ⟨Jᵀ u, v⟩", () => {
    fc.assert(
      fc.property(covered.chain((c) => fc.tuple(fc.constant(c), distinct(prod(c.shape)))), fc.integer({ min: 0, max: 99 }), ([c, data], s) => {
        const x = np.array(Array.from(data)).reshape(c.shape);
        const f = (a: np.NDArray) => run(c, a);
        const v = np.sin(np.arange(x.size).add(s)).reshape(c.shape);
        const [y, back] = vjp(f, x);
        const u = np.cos(np.arange(y.size).mul(0.7).add(s)).reshape(y.shape);
        const jv = jvp(f, [x], [v])[1] as np.NDArray;
        const [jtu] = back(u) as [np.NDArray];
        expect(np.sum(jtu.mul(v)).item()).toBeCloseTo(np.sum(u.mul(jv)).item(), 12);
      }),
      { numRuns: numRuns(100), seed },
    );
  });

  it("vmap (over a middle axis) equals a loop, and jit equals eager", () => {
    fc.assert(
      fc.property(config, fc.integer({ min: 1, max: 3 }), (c, members) => {
        const f = (a: np.NDArray) => run(c, a);
        const xs = np.sin(np.arange(members * prod(c.shape)).mul(0.9)).reshape(c.shape[0]!, members, ...c.shape.slice(1));
        const loop = np.stack(Array.from({ length: members }, (_, m) => f(np.take(xs, m, { axis: 1 }))));
        expect(vmap(f, { inAxes: 1 })(xs)).toBeAllclose(loop, { rtol: 0, atol: 0 });
        const x = np.take(xs, 0, { axis: 1 });
        expect(jit(f)(x)).toBeAllclose(f(x), { rtol: 0, atol: 0 });
      }),
      { numRuns: numRuns(100), seed },
    );
  });

  it("the gradient of a gradient under vmap (second order, batched)", () => {
    const c: Config = { comp: "add", shape: [4, 3], win: [2, 2], strides: [1, 2], base: [2, 1], wdil: [1, 2], padding: [[1, 0], [0, 1]] };
    const h = (a: np.NDArray) => np.sum(np.square(np.sin(run(c, a))));
    const xs = np.sin(np.arange(2 * 12)).reshape(2, 4, 3);
    const hvp = (a: np.NDArray) => jvp(grad(h), [a], [np.onesLike(a)])[1] as np.NDArray;
    expect(hvp(xs.get(0)).shape).toEqual([4, 3]);
    expect(vmap(hvp)(xs)).toBeAllclose(np.stack([hvp(xs.get(0)), hvp(xs.get(1))]), { rtol: 1e-14, atol: 1e-14 });
  });
});

describe("lax.reduceWindow with dilations: errors", () => {
  const x = np.ones([3, 4]);
  it("names the argument and what it must be", () => {
    expect(() => lax.reduceWindow(x, 0, "add", [2, 2], [1, 1], "VALID", [0, 1])).toThrow(/lax.reduceWindow: baseDilation must be 2 positive integers \(one per spatial axis\), got \[0,1\]/);
    expect(() => lax.reduceWindow(x, 0, "add", [2, 2], [1, 1], "VALID", [1, 1], [2])).toThrow(/lax.reduceWindow: windowDilation must be 2 positive integers/);
    expect(() => lax.reduceWindow(x, 0, "add", [2, 2], [1, 1], "FULL" as never)).toThrow(/padding 'FULL' is not one of 'SAME', 'SAME_LOWER', 'VALID'/);
    expect(() => lax.reduceWindow(x, 0, "add", [2, 2], [1, 1], [[1, 2, 3], [0, 0]] as never)).toThrow(/padding must be 'SAME', 'VALID' or 2 \[low, high\] integer pairs/);
    expect(() => lax.reduceWindow(x, 0, "add", [2, 2], [1, 1], [[0, 0]])).toThrow(/2 \[low, high\] integer pairs/);
  });
});
