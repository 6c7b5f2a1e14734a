/**
 * @file Sorting and order statistics: `sort`, `argsort`, `partition`, `argpartition`, `median`,
 * `quantile`, `percentile`. Values against NumPy (pasted from NumPy 2.4) and JS's sort,
 * derivatives (the gradient follows each element to its sorted place), `vmap` against a loop, errors.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, grad, jvp, vmap, hessian, jacrev, AxisError, IndexError } from "autograd-ts";
import * as np from "autograd-ts/numpy";

type NDArray = np.NDArray;
const N = NaN;
const I = Infinity;

/** `np.cos(np.arange(24)*0.37).reshape(2,3,4)`. */
const Z = np.cos(np.arange(24).mul(0.37)).reshape(2, 3, 4);
const flat = (x: NDArray): number[] => [x.toArray()].flat(Infinity as 1).map(Number);

describe("sort and argsort", () => {
  it("sort along the last axis by default, along any axis, or flattened", () => {
    const x = np.array([[3, 1, 2], [0, -5, 4]]);
    expect(np.sort(x)).toBeAllclose([[1, 2, 3], [-5, 0, 4]], { rtol: 0, atol: 0 });
    expect(np.sort(x, { axis: 0 })).toBeAllclose([[0, -5, 2], [3, 1, 4]], { rtol: 0, atol: 0 });
    expect(np.sort(x, { axis: null })).toBeAllclose([-5, 0, 1, 2, 3, 4], { rtol: 0, atol: 0 });
    // np.sort(Z, axis=1)
    expect(np.sort(Z, { axis: 1 })).toBeAllclose([
      [[-0.9835573130340064, -0.9823037763382317, -0.848100031710408, -0.8516909814865656], [0.09067162446430968, -0.27559024682451294, -0.6045522710579293, -0.599109926407685], [1.0, 0.9323273456060345, 0.7384685587295879, 0.44466151674170695]],
      [[-0.2690331031173999, 0.08388294956272228, -0.28213459215955655, -0.6099665403862415], [0.43854732757439036, 0.09745608858848573, 0.45075505589109877, 0.7338563821173814], [0.934769976045349, 0.9999767800707431, 0.9298414180167014, 0.7430464409664099]],
    ], { rtol: 1e-14 });
    const lanes = flat(np.sort(Z.reshape(6, 4)));
    for (let r = 0; r < 6; r++) {
      const want = flat(Z.reshape(6, 4).get(r)).sort((a, b) => a - b);
      expect(lanes.slice(4 * r, 4 * r + 4)).toEqual(want);
    }
  });

  it("NaN sorts last and ±inf in place; argsort is stable (ties keep their order)", () => {
    // np.sort([3, 1, nan, -inf, 2, inf])
    expect(np.sort([3, 1, N, -I, 2, I])).toBeAllclose([-I, 1, 2, 3, I, N], { rtol: 0, atol: 0 });
    // np.argsort([3, 1, 2, 1, 3, nan, 0, 1], kind="stable")
    expect(np.argsort([3, 1, 2, 1, 3, N, 0, 1]).toArray()).toEqual([6, 1, 3, 7, 2, 0, 4, 5]);
    // np.argsort(Z, axis=0)
    expect(np.argsort(Z, { axis: 0 }).toArray()).toEqual([[[1, 1, 1, 0], [0, 0, 0, 0], [0, 0, 0, 1]], [[0, 0, 0, 1], [1, 1, 1, 1], [1, 1, 1, 0]]]);
    expect(np.argsort([[2, 1], [0, 3]], { axis: null }).toArray()).toEqual([2, 1, 0, 3]);
  });

  it("dtypes: argsort gives int32; sort keeps int32 and bool", () => {
    const i = np.array([3, -1, 2], { dtype: "int32" });
    expect(np.argsort(i).dtype).toBe("int32");
    expect(np.sort(i).dtype).toBe("int32");
    expect(np.sort(i).toArray()).toEqual([-1, 2, 3]);
    expect(np.sort(np.array([true, false, true])).toArray()).toEqual([false, true, true]);
    expect(np.sort(np.zeros([2, 0])).shape).toEqual([2, 0]);
    expect(() => np.sort(5)).toThrow(AxisError); // as NumPy: a 0-d array has no axis -1
    expect(np.sort(5, { axis: null }).toArray()).toEqual([5]);
  });

  it("sort(x) equals x gathered by argsort(x)", () => {
    const idx = np.argsort(Z, { axis: 2 });
    expect(np.sort(Z, { axis: 2 })).toBeAllclose(np.takeAlongAxis(Z, idx, 2), { rtol: 0, atol: 0 });
  });
});

describe("partition and argpartition", () => {
  it("the k-th element is in sorted place, smaller before, larger after (NumPy's contract)", () => {
    const x = [7, 1, 5, 3, 9, 2, 8];
    const sorted = [...x].sort((a, b) => a - b);
    for (const kth of [0, 3, 6, -1]) {
      const p = flat(np.partition(x, kth));
      const k = kth < 0 ? kth + x.length : kth;
      expect(p[k]).toBe(sorted[k]); // np.partition(x, 3)[3] == 5
      expect(p.slice(0, k).every((v) => v <= p[k]!)).toBe(true);
      expect(p.slice(k + 1).every((v) => v >= p[k]!)).toBe(true);
      const ip = flat(np.argpartition(x, kth));
      expect(x[ip[k]!]).toBe(sorted[k]);
    }
    const m = np.partition(Z, [1, 2], { axis: 1 });
    expect(m.get(":", 1)).toBeAllclose(np.sort(Z, { axis: 1 }).get(":", 1), { rtol: 0, atol: 0 });
  });
});

describe("median, quantile, percentile", () => {
  it("median: the middle element, or the mean of the two middle ones; NaN if any NaN", () => {
    expect(np.median([3, 1, 4, 2])).toBeAllclose(2.5);
    expect(np.median([3, 1, 4])).toBeAllclose(3);
    expect(np.median([[1, 2, 3], [4, 5, 6]], { axis: 1 })).toBeAllclose([2, 5]);
    // np.median(Z, axis=[0, 2])
    expect(np.median(Z, { axis: [0, 2] })).toBeAllclose([0.5946118073103434, 0.4122640032908455, -0.6045382333969633], { rtol: 1e-14 });
    expect(np.median(Z, { axis: [2, 0], keepdims: true }).shape).toEqual([1, 3, 1]);
    expect(np.median([[1, N], [3, 4]], { axis: 1 })).toBeAllclose([N, 3.5]);
    expect(np.median(np.array([1, 2, 4], { dtype: "int32" })).dtype).toBe("float64");
  });

  it("quantile with linear interpolation; percentile in percent (NumPy's values)", () => {
    // np.quantile(arange(1, 11), [0, 0.05, 0.333, 0.5, 0.999, 1])
    expect(np.quantile(np.arange(1, 11), [0, 0.05, 0.333, 0.5, 0.999, 1])).toBeAllclose([1.0, 1.45, 3.997, 5.5, 9.991, 10.0], { rtol: 1e-14 });
    // np.quantile(Z, [0.2, 0.9], axis=2)
    expect(np.quantile(Z, [0.2, 0.9], { axis: 2 })).toBeAllclose([
      [[0.6209457419344355, -0.7034077552293838, -0.9828051910165416], [-0.04913958809386851, 0.8514474036569734, -0.4132673714502305]],
      [[0.9796982036818104, -0.019206936922337034, -0.6738069579985019], [0.6553590254438166, 0.9804147388631248, 0.33214801417089]],
    ], { rtol: 1e-14 });
    expect(np.percentile(Z, [10, 50], { axis: [0, 1], keepdims: true }).shape).toEqual([2, 1, 1, 4]);
    expect(np.percentile([1, 2, 3], 50)).toBeAllclose(2);
    expect(np.quantile(Z, 0.5, { axis: 1 })).toBeAllclose(np.median(Z, { axis: 1 }), { rtol: 1e-15 });
  });
});

describe("nanmedian, nanquantile, nanpercentile", () => {
  /** Z with NaN at [0,1,2], along [1,:,3] and the whole lane [0,0,:]. */
  const W = Z.at(0, 1, 2).set(N).at(1, ":", 3).set(N).at(0, 0, ":").set(N);

  it("ignore NaN, and give NaN for an all-NaN lane (NumPy's values)", () => {
    // np.nanmedian(W, axis=2)
    expect(np.nanmedian(W, { axis: 2 })).toBeAllclose([[N, -0.27559024682451294, -0.9152019040243199], [0.09745608858848573, 0.934769976045349, 0.08388294956272228]], { rtol: 1e-14 });
    // np.nanquantile(W, [0.1, 0.75], axis=1)
    expect(np.nanquantile(W, [0.1, 0.75], { axis: 1 })).toBeAllclose([
      [[-0.8761344192841748, -0.9116324233868599, -0.848100031710408, -0.8264328759786775], [-0.12751701697904186, 0.08659757736787498, -0.1355566625494255, N]],
      [[-0.17788560991026933, -0.45226862920294264, -0.848100031710408, -0.6622551901774052], [0.6866586518098696, 0.5487164343296145, 0.6902982369539001, N]],
    ], { rtol: 1e-14 });
    // np.nanpercentile(W, [30])
    expect(np.nanpercentile(W, [30])).toBeAllclose([-0.44062225928362075], { rtol: 1e-14 });
    expect(np.nanmedian([3, N, 1, 2])).toBeAllclose(2);
    expect(np.nanmedian(Z, { axis: 1 })).toBeAllclose(np.median(Z, { axis: 1 }), { rtol: 1e-15 });
    expect(np.nanquantile(Z, [0.3, 0.6], { axis: 0 })).toBeAllclose(np.quantile(Z, [0.3, 0.6], { axis: 0 }), { rtol: 1e-15 });
  });

  it("derivatives: to the middle valid elements; NaN elements get 0", () => {
    expect(grad((x: NDArray) => np.nanmedian(x))(np.array([3, N, 1, 2, N]))).toBeAllclose([0, 0, 0, 1, 0]);
    expect(grad((x: NDArray) => np.nanmedian(x))(np.array([3, N, 1, 4]))).toBeAllclose([1, 0, 0, 0]);
    expect(grad((x: NDArray) => np.nanmedian(x))(np.array([3, N, 1, 2, 4]))).toBeAllclose([0.5, 0, 0, 0.5, 0]);
    checkGrads((x: NDArray) => np.nanmedian(x, { axis: 2 }), [Z], { order: 2 });
    checkGrads((x: NDArray) => np.nanquantile(x, [0.1, 0.75], { axis: 1 }), [Z], { order: 2 });
  });

  it("vmap against a loop, with NaN in some lanes", () => {
    for (const f of [(x: NDArray) => np.nanmedian(x, { axis: 0 }), (x: NDArray) => np.nanpercentile(x, [20, 80])]) {
      const out = vmap(f)(W) as NDArray;
      for (let i = 0; i < 2; i++) expect(out.get(i)).toBeAllclose(f(W.get(i)), { rtol: 0, atol: 0 });
    }
  });
});

describe("derivatives", () => {
  it("the gradient follows each element to its sorted place", () => {
    const w = np.array([1, 2, 3, 4]);
    const g = grad((x: NDArray) => np.sum(np.sort(x).mul(w)))(np.array([0.5, -2, 3, 1])) as NDArray;
    expect(g).toBeAllclose([2, 1, 4, 3], { rtol: 0, atol: 0 });
    // The Jacobian of sort is the permutation matrix.
    const J = jacrev((x: NDArray) => np.sort(x))(np.array([0.5, -2, 3])) as NDArray;
    expect(J).toBeAllclose([[0, 1, 0], [1, 0, 0], [0, 0, 1]], { rtol: 0, atol: 0 });
    const [, t] = jvp((x: NDArray) => np.sort(x), [np.array([0.5, -2, 3])], [np.array([10, 20, 30])]) as NDArray[];
    expect(t).toBeAllclose([20, 10, 30], { rtol: 0, atol: 0 });
  });

  it("sort, partition, median, quantile against finite differences (orders 1–3)", () => {
    checkGrads((x: NDArray) => np.sort(x, { axis: 1 }), [Z], { order: 3 });
    checkGrads((x: NDArray) => np.sort(x, { axis: null }), [Z], { order: 2 });
    checkGrads((x: NDArray) => np.partition(x, 1, { axis: 0 }), [Z], { order: 2 });
    checkGrads((x: NDArray) => np.median(x, { axis: [0, 2] }), [Z], { order: 2 });
    checkGrads((x: NDArray) => np.quantile(x, [0.2, 0.9], { axis: 2 }), [Z], { order: 2 });
    checkGrads((x: NDArray) => np.percentile(x, 37), [Z], { order: 2 });
  });

  it("the Hessian of a function of the sorted values", () => {
    // f(x) = Σ i·sort(x)ᵢ²: Hessian diagonal 2·(rank of xⱼ).
    const f = (x: NDArray) => np.sum(np.sort(x).pow(2).mul(np.array([0, 1, 2])));
    const h = hessian(f)(np.array([5, -1, 2])) as NDArray;
    expect(h).toBeAllclose([[4, 0, 0], [0, 0, 0], [0, 0, 2]], { rtol: 0, atol: 0 });
  });

  it("median: the gradient goes to the middle element(s)", () => {
    expect(grad((x: NDArray) => np.median(x))(np.array([3, 1, 4, 2]))).toBeAllclose([0.5, 0, 0, 0.5]);
    expect(grad((x: NDArray) => np.median(x))(np.array([3, 1, 4]))).toBeAllclose([1, 0, 0]);
  });

  it("argsort has zero derivative", () => {
    const g = grad((x: NDArray) => np.sum(np.argsort(x).astype("float64").mul(x)))(np.array([3, 1, 2])) as NDArray;
    expect(g).toBeAllclose([1, 2, 0]); // d/dx Σ argsort(x)ᵢ·xᵢ with argsort held fixed
  });
});

describe("vmap against a loop", () => {
  const fs: [string, (x: NDArray) => NDArray][] = [
    ["sort", (x) => np.sort(x)],
    ["sort axis 0", (x) => np.sort(x, { axis: 0 })],
    ["sort axis null", (x) => np.sort(x, { axis: null })],
    ["argsort", (x) => np.argsort(x, { axis: 0 })],
    ["partition", (x) => np.partition(x, 1)],
    ["median", (x) => np.median(x, { axis: -1 })],
    ["quantile", (x) => np.quantile(x, [0.3, 0.6])],
    ["grad of median", (x) => grad((u: NDArray) => np.median(u))(x) as NDArray],
  ];
  for (const [name, f] of fs) {
    it(`np.${name}`, () => {
      for (const inAxes of [0, 1, 2]) {
        const out = vmap(f, { inAxes })(Z) as NDArray;
        for (let i = 0; i < Z.shape[inAxes]!; i++) {
          const zi = Z.get(...Array.from({ length: inAxes }, () => ":"), i);
          expect(out.get(i)).toBeAllclose(f(zi), { rtol: 0, atol: 0 });
        }
      }
    });
  }
  it("per-example gradients through sort", () => {
    const w = np.array([1, 2, 3, 4]);
    const loss = (x: NDArray) => np.sum(np.sort(x).mul(w));
    const per = vmap(grad(loss))(Z.reshape(6, 4)) as NDArray;
    for (let i = 0; i < 6; i++) expect(per.get(i)).toBeAllclose(grad(loss)(Z.reshape(6, 4).get(i)), { rtol: 0, atol: 0 });
  });
});

describe("errors", () => {
  it("bad axes are AxisErrors naming the function", () => {
    expect(() => np.nanmedian(Z, { axis: 3 })).toThrow(/^np\.nanmedian: /);
    expect(() => np.nanquantile(Z, 0.5, { axis: [1, 1] })).toThrow(/^np\.nanquantile: repeated axis/);
    expect(() => np.sort(Z, { axis: 3 })).toThrow(AxisError);
    expect(() => np.sort(Z, { axis: 3 })).toThrow(/^np\.sort: axis 3 is out of bounds/);
    expect(() => np.argsort(Z, { axis: -4 })).toThrow(/^np\.argsort: /);
    expect(() => np.sort(5, { axis: 0 })).toThrow(/^np\.sort: /);
    expect(() => np.median(Z, { axis: [0, 0] })).toThrow(/^np\.median: repeated axis/);
    expect(() => np.quantile(Z, 0.5, { axis: 4 })).toThrow(/^np\.quantile: /);
  });
  it("kth and q out of range", () => {
    expect(() => np.partition([1, 2, 3], 3)).toThrow(IndexError);
    expect(() => np.partition([1, 2, 3], 3)).toThrow(/np\.partition: kth\(=3\) out of bounds \(3\)/);
    expect(() => np.partition([[1, 2, 3]], 0, { axis: 2 })).toThrow(/^np\.partition: axis 2 is out of bounds/);
    expect(() => np.argpartition([1, 2, 3], -4)).toThrow(/np\.argpartition: kth/);
    expect(() => np.quantile([1, 2], 1.5)).toThrow(/np\.quantile: q must be in the range \[0, 1\]/);
    expect(() => np.percentile([1, 2], [50, 101])).toThrow(/np\.percentile: q must be in the range \[0, 100\]/);
    expect(() => np.quantile(np.zeros([0]), 0.5)).toThrow(/np\.quantile: cannot take a quantile of an empty array/);
  });
  it("wrong argument types are TypeErrors", () => {
    expect(() => np.sort("abc" as never)).toThrow(/np\.sort: argument a/);
    expect(() => np.median(undefined as never)).toThrow(/np\.median: argument a/);
  });
});
