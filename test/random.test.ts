/**
 * @file `np.random`: JAX parity of the bits, determinism, shapes, distributions (moments and CDFs
 * within 5-standard-error bounds, so a correct sampler fails with probability below 1e-6 per check),
 * independence of split keys, vmap over keys, derivatives in the distribution parameters, errors.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, grad, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import * as scipy from "autograd-ts/scipy";
import { threefry2x32, gammaincinv } from "../src/primitives/random.ts";

const r = np.random;
const N = 20000;
/** Five standard errors of a mean of N draws with variance `v`. */
const tol = (v: number, n = N) => 5 * Math.sqrt(v / n);
const mean = (x: np.NDArray) => np.mean(x).item();
const variance = (x: np.NDArray) => np.var(x).item();
const words = (...xs: number[]) => np.array(Int32Array.from(xs));

describe("Threefry-2x32 and keys match JAX bit for bit", () => {
  it("the Random123 known-answer vectors", () => {
    const kat = (k0: number, k1: number, x0: number, x1: number) =>
      threefry2x32(words(k0), words(k1), words(x0), words(x1)).map((y) => (y.item() >>> 0).toString(16));
    expect(kat(0, 0, 0, 0)).toEqual(["6b200159", "99ba4efe"]);
    expect(kat(-1, -1, -1, -1)).toEqual(["1cb996fc", "bb002be7"]);
    expect(kat(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3 | 0)).toEqual(["c4923a9c", "483df7a0"]);
  });
  it("key, split, foldIn", () => {
    const u32 = (x: np.NDArray) => (x.toArray() as number[][]).map((row) => row.map((v) => v >>> 0));
    expect(r.key(0).toArray()).toEqual([0, 0]);
    expect(r.key(0).dtype).toBe("int32");
    expect(r.PRNGKey(-5).toArray()).toEqual([-1, -5]); // JAX: [4294967295, 4294967291]
    expect(r.key(2 ** 40 + 3).toArray()).toEqual([256, 3]);
    expect(u32(r.split(r.key(0)))).toEqual([[1797259609, 2579123966], [928981903, 3453687069]]);
    expect(u32(r.split(r.key(123), 3))).toEqual([[969380169, 3408994049], [2095235069, 2959038751], [1896456402, 4081828428]]);
    expect(r.foldIn(r.key(0), 5).toArray()).toEqual([1524306142, 1887795613]);
    expect((r.foldIn(r.key(123), 2 ** 31 + 5).toArray() as number[]).map((v) => v >>> 0)).toEqual([358171669, 2138709829]);
    // foldIn(k, i) is the i-th key of a split.
    expect(r.foldIn(r.key(9), 4)).toBeAllclose(r.split(r.key(9), 6).get(4));
    expect(r.split(r.key(0), 0).shape).toEqual([0, 2]);
  });
  it("uniform, normal and the uniform-based samplers give JAX's float64 values", () => {
    expect(r.uniform(r.key(42), [5])).toBeAllclose(
      [0.4267275666499091, 0.015010069515314584, 0.5741444178995352, 0.7298188969046309, 0.687800341230566],
      { rtol: 0, atol: 0 },
    );
    expect(r.uniform(r.foldIn(r.key(7), 3), [2, 3], { minval: -2, maxval: 5 })).toBeAllclose(
      [[2.540458820131304, 4.639443532442719, -0.05736308105455423], [2.06581627572295, -0.9845540291085066, 1.8751987241195147]],
      { rtol: 1e-15, atol: 0 },
    );
    // erfinv is not XLA's, so normal agrees to rounding rather than bit for bit.
    expect(r.normal(r.key(42), [5])).toBeAllclose(
      [-0.18471174528191162, -2.169824560397754, 0.18693555179382582, 0.6122653570510959, 0.4896249504757018],
      { rtol: 1e-14, atol: 0 },
    );
    expect(r.categorical(r.key(3), [[0.1, 0.5, 2], [1, 1, 1]], { shape: [4, 2] }).toArray()).toEqual([[0, 2], [2, 0], [2, 1], [2, 2]]);
    expect(r.bernoulli(r.key(3), 0.3, [8]).toArray()).toEqual([false, false, true, true, false, false, false, false]);
    expect(r.exponential(r.key(3), [3])).toBeAllclose([2.005395114484557, 0.6036802410437376, 0.2725145904247457], { rtol: 1e-15 });
    expect(r.gumbel(r.key(3), [3])).toBeAllclose([1.9339800085872172, 0.23393656574686406, -0.35992923574975566], { rtol: 1e-15 });
    expect(r.truncatedNormal(r.key(3), -1, 2, [4])).toBeAllclose(
      [1.112606289563015, 0.07437988701031915, -0.3747561486643745, -0.4514214977050289],
      { rtol: 1e-13 },
    );
  });
});

describe("determinism, shapes, dtypes", () => {
  const k = r.key(11);
  it("same key, same numbers; other key, other numbers", () => {
    expect(r.normal(k, [4])).toBeAllclose(r.normal(r.key(11), [4]), { rtol: 0, atol: 0 });
    expect(r.uniform(k, [4]).toArray()).not.toEqual(r.uniform(r.key(12), [4]).toArray());
    expect(r.gamma(k, 2, [3])).toBeAllclose(r.gamma(k, 2, [3]), { rtol: 0, atol: 0 });
    expect(r.permutation(k, 10).toArray()).toEqual(r.permutation(k, 10).toArray());
  });
  it("shapes and dtypes", () => {
    expect(r.uniform(k).shape).toEqual([]);
    expect(r.uniform(k, 3).shape).toEqual([3]);
    expect(r.normal(k, [2, 0, 3]).shape).toEqual([2, 0, 3]);
    expect(r.randint(k, [4, 2], 0, 10).dtype).toBe("int32");
    expect(r.bernoulli(k, np.full([2, 3], 0.5)).shape).toEqual([2, 3]);
    expect(r.gamma(k, [1, 2, 3]).shape).toEqual([3]);
    expect(r.gamma(k, [1, 2, 3], [4, 3]).shape).toEqual([4, 3]);
    expect(r.beta(k, 2, 3, [5]).shape).toEqual([5]);
    expect(r.dirichlet(k, [1, 2, 3]).shape).toEqual([3]);
    expect(r.dirichlet(k, [1, 2, 3], [4]).shape).toEqual([4, 3]);
    expect(r.categorical(k, np.zeros([2, 5])).shape).toEqual([2]);
    expect(r.categorical(k, np.zeros([5, 2]), { axis: 0, shape: [3, 2] }).shape).toEqual([3, 2]);
    expect(r.permutation(k, np.zeros([4, 3]), { axis: 1 }).shape).toEqual([4, 3]);
    expect(r.choice(k, 5, { shape: [2, 3] }).shape).toEqual([2, 3]);
    expect(r.choice(k, np.ones([6, 2]), { shape: [3], replace: false }).shape).toEqual([3, 2]);
    expect(r.truncatedNormal(k, np.zeros([3]), 1).shape).toEqual([3]);
  });
});

describe("distributions (5-standard-error bounds)", () => {
  it("uniform: mean, variance, range", () => {
    const u = r.uniform(r.key(1), [N], { minval: -1, maxval: 3 });
    expect(Math.abs(mean(u) - 1)).toBeLessThan(tol(16 / 12));
    // Var of the sample variance of U(-1, 3): (μ4 − σ⁴)/n with μ4 = 16²/80.
    expect(Math.abs(variance(u) - 16 / 12)).toBeLessThan(tol(256 / 80 - (16 / 12) ** 2));
    expect(np.min(u).item()).toBeGreaterThanOrEqual(-1);
    expect(np.max(u).item()).toBeLessThan(3);
  });
  it("normal: mean, variance, and the CDF at a few points", () => {
    const z = r.normal(r.key(2), [N]);
    expect(Math.abs(mean(z))).toBeLessThan(tol(1));
    expect(Math.abs(variance(z) - 1)).toBeLessThan(tol(2));
    for (const [t, F] of [[-1.5, 0.0668072012688581], [0, 0.5], [0.7, 0.758036347776927]] as const) {
      expect(Math.abs(mean(np.less(z, t).astype("float64")) - F)).toBeLessThan(tol(F * (1 - F)));
    }
  });
  it("truncatedNormal: inside the bounds, SciPy's mean and variance", () => {
    const z = r.truncatedNormal(r.key(3), -1, 2, [N]);
    expect(np.min(z).item()).toBeGreaterThanOrEqual(-1);
    expect(np.max(z).item()).toBeLessThanOrEqual(2);
    expect(Math.abs(mean(z) - 0.22963717909132902)).toBeLessThan(tol(0.5197625392115339));
    expect(Math.abs(variance(z) - 0.5197625392115339)).toBeLessThan(0.03);
  });
  it("gamma: the CDF (regularized incomplete gamma) at its quartiles, for small and large a", () => {
    for (const a of [0.3, 1, 4.5, 60]) {
      const x = r.gamma(r.foldIn(r.key(4), Math.round(a * 10)), a, [N]);
      expect(np.min(x).item()).toBeGreaterThan(0);
      expect(Math.abs(mean(x) - a)).toBeLessThan(tol(a));
      for (const p of [0.25, 0.5, 0.75]) {
        const q = gammaincinv(a, p);
        expect(Math.abs(mean(np.less(x, q).astype("float64")) - p)).toBeLessThan(tol(p * (1 - p)));
      }
    }
  });
  it("gammaincinv agrees with SciPy's", () => {
    const ref: [number, number, number][] = [
      [0.3, 0.01, 1.5022226552360407e-7],
      [0.3, 0.999, 4.618936042791333],
      [1, 0.5, 0.6931471805599455],
      [2.5, 1e-8, 0.0010203686124682673],
      [7, 0.9999999, 30.19763865612138],
      [150, 0.3, 143.34387895250237],
      [0.05, 0.5, 5.573878440746256e-7],
    ];
    for (const [a, p, x] of ref) expect(gammaincinv(a, p)).toBeAllclose(x, { rtol: 1e-12 });
    const P = scipy.special.gammainc(2.5, gammaincinv(2.5, 0.37)).item();
    expect(P).toBeAllclose(0.37, { rtol: 1e-13 });
  });
  it("beta and dirichlet: means and variances", () => {
    const x = r.beta(r.key(5), 2, 5, [N]);
    const m = 2 / 7;
    const v = (2 * 5) / (49 * 8);
    expect(Math.abs(mean(x) - m)).toBeLessThan(tol(v));
    expect(Math.abs(variance(x) - v)).toBeLessThan(0.1 * v);
    const alpha = [0.5, 2, 3.5];
    const d = r.dirichlet(r.key(6), alpha, [N]);
    expect(np.sum(d, { axis: 1 })).toBeAllclose(np.ones([N]), { rtol: 1e-12 });
    alpha.forEach((ai, i) => {
      const mi = ai / 6;
      expect(Math.abs(mean(d.get(":", i)) - mi)).toBeLessThan(tol((mi * (1 - mi)) / 7));
    });
  });
  it("bernoulli, categorical, randint: frequencies", () => {
    const p = 0.3;
    expect(Math.abs(mean(r.bernoulli(r.key(7), p, [N]).astype("float64")) - p)).toBeLessThan(tol(p * (1 - p)));
    const logits = np.array([0, 1, -1, 2]);
    const probs = scipy.special.softmax(logits).toArray() as number[];
    const c = r.categorical(r.key(8), logits, { shape: [N] });
    probs.forEach((pi, i) => expect(Math.abs(mean(np.equal(c, i).astype("float64")) - pi)).toBeLessThan(tol(pi * (1 - pi))));
    const ri = r.randint(r.key(9), [N], -3, 4);
    const riv = ri.toArray() as number[];
    expect(Math.min(...riv)).toBe(-3);
    expect(Math.max(...riv)).toBe(3);
    for (let v = -3; v < 4; v++) expect(Math.abs(mean(np.equal(ri, v).astype("float64")) - 1 / 7)).toBeLessThan(tol((1 / 7) * (6 / 7)));
    expect(r.randint(r.key(9), [3], 5, 5).toArray()).toEqual([5, 5, 5]);
  });
  it("permutation and choice", () => {
    const perm = r.permutation(r.key(10), 50);
    expect(np.sort(perm).toArray()).toEqual(np.arange(50).toArray());
    const x = np.arange(12).reshape(4, 3);
    const px = r.permutation(r.key(10), x, { axis: 1 });
    expect(np.sort(px, { axis: 1 }).toArray()).toEqual(x.toArray());
    // Every position is uniform over the elements: the first entry's mean is (n − 1)/2.
    const firsts = vmap((k: np.NDArray) => r.permutation(k, 10).get(0))(r.split(r.key(11), 2000)) as np.NDArray;
    expect(Math.abs(mean(firsts.astype("float64")) - 4.5)).toBeLessThan(tol(99 / 12, 2000));
    const noRep = r.choice(r.key(12), 20, { shape: [20], replace: false });
    expect(np.sort(noRep).toArray()).toEqual(np.arange(20).toArray());
    const p = [0.1, 0.6, 0.3];
    const ws = r.choice(r.key(13), 3, { shape: [N], p });
    p.forEach((pi, i) => expect(Math.abs(mean(np.equal(ws, i).astype("float64")) - pi)).toBeLessThan(tol(pi * (1 - pi))));
    const wo = r.choice(r.key(14), np.array([10, 20, 30, 40]), { shape: [3], replace: false, p: [0.25, 0.25, 0.25, 0.25] });
    expect(new Set(wo.toArray() as number[]).size).toBe(3);
    expect(r.choice(r.key(15), np.array([7, 8]), { shape: [5] }).toArray()).toSatisfy((v: number[]) => v.every((e) => e === 7 || e === 8));
  });
});

describe("split keys are independent", () => {
  it("draws from the two halves of a split are uncorrelated", () => {
    const ks = r.split(r.key(20));
    const a = r.normal(ks.get(0), [N]);
    const b = r.normal(ks.get(1), [N]);
    const corr = mean(a.mul(b)) / Math.sqrt(variance(a) * variance(b));
    expect(Math.abs(corr)).toBeLessThan(tol(1));
    // Neither equals the parent's stream, nor a shift of it.
    const parent = r.normal(r.key(20), [N]);
    expect(Math.abs(mean(parent.mul(a)))).toBeLessThan(tol(1));
  });
  it("a thousand split keys are distinct, and so are their first draws", () => {
    const ks = r.split(r.key(21), 1000);
    const seen = new Set((ks.toArray() as number[][]).map((k) => k.join(",")));
    expect(seen.size).toBe(1000);
    const firsts = vmap((k: np.NDArray) => r.uniform(k))(ks) as np.NDArray;
    expect(new Set(firsts.toArray() as number[]).size).toBe(1000);
  });
});

describe("vmap over a batch of keys equals a loop", () => {
  const ks = r.split(r.key(30), 4);
  const fns: [string, (k: np.NDArray) => np.NDArray][] = [
    ["uniform", (k) => r.uniform(k, [3], { minval: 1, maxval: 2 })],
    ["normal", (k) => r.normal(k, [2, 2])],
    ["split", (k) => r.split(k, 3)],
    ["foldIn", (k) => r.foldIn(k, 7)],
    ["gamma", (k) => r.gamma(k, [0.5, 3])],
    ["beta", (k) => r.beta(k, 2, 3, [2])],
    ["dirichlet", (k) => r.dirichlet(k, [1, 2, 3])],
    ["truncatedNormal", (k) => r.truncatedNormal(k, -0.5, 1.5, [3])],
    ["bernoulli", (k) => r.bernoulli(k, 0.5, [5])],
    ["categorical", (k) => r.categorical(k, [[0, 1, 2], [2, 1, 0]])],
    ["randint", (k) => r.randint(k, [4], 0, 100)],
    ["permutation", (k) => r.permutation(k, 6)],
    ["permutation of an array", (k) => r.permutation(k, np.arange(8).reshape(4, 2))],
    ["choice", (k) => r.choice(k, 10, { shape: [3], replace: false })],
    ["choice with p", (k) => r.choice(k, 3, { shape: [4], p: [0.2, 0.3, 0.5] })],
    ["exponential", (k) => r.exponential(k, [2])],
  ];
  for (const [name, f] of fns) {
    it(name, () => {
      const out = vmap(f)(ks) as np.NDArray;
      for (let i = 0; i < 4; i++) expect(out.get(i)).toBeAllclose(f(ks.get(i)), { rtol: 0, atol: 0 });
    });
  }
  it("vmap over foldIn's data gives the keys of a split", () => {
    const k = r.key(32);
    expect(vmap((d: np.NDArray) => r.foldIn(k, d))(np.arange(5))).toBeAllclose(r.split(k, 5), { rtol: 0, atol: 0 });
  });
  it("vmap over keys and parameters together, and nested vmap", () => {
    const as = np.array([0.5, 1, 2, 4]);
    const out = vmap((k: np.NDArray, a: np.NDArray) => r.gamma(k, a, [2]))(ks, as) as np.NDArray;
    for (let i = 0; i < 4; i++) expect(out.get(i)).toBeAllclose(r.gamma(ks.get(i), as.get(i), [2]), { rtol: 0, atol: 0 });
    const grid = r.split(r.key(31), 6).reshape(2, 3, 2);
    const nested = vmap(vmap((k: np.NDArray) => r.normal(k, [2])))(grid) as np.NDArray;
    expect(nested.get(1, 2)).toBeAllclose(r.normal(grid.get(1, 2), [2]), { rtol: 0, atol: 0 });
  });
});

describe("derivatives in the distribution parameters", () => {
  const k = r.key(40);
  it("uniform in minval and maxval", () => {
    checkGrads((lo: np.NDArray) => np.sum(np.sin(r.uniform(k, [4], { minval: lo, maxval: 3 }))), [np.array(-1.2)], { order: 2 });
    checkGrads((hi: np.NDArray) => np.sum(np.sin(r.uniform(k, [2, 3], { minval: 0, maxval: hi }))), [np.array([1, 2, 3])], { order: 2 });
  });
  it("truncatedNormal in its bounds", () => {
    checkGrads((lo: np.NDArray) => np.sum(r.truncatedNormal(k, lo, 1.5, [5])), [np.array(-0.7)], { order: 2 });
    checkGrads((hi: np.NDArray) => np.sum(r.truncatedNormal(k, -0.3, hi, [5])), [np.array(0.9)], { order: 2 });
  });
  it("gamma in a (implicit reparameterization), to second order", () => {
    checkGrads((a: np.NDArray) => np.sum(r.gamma(k, a)), [np.array([0.7, 1.5, 3, 12])], { order: 2 });
    // E[x] = a, so d/da of a large-sample mean is close to 1.
    const g = grad((a: np.NDArray) => np.mean(r.gamma(k, a, [N])))(np.array(2.5)) as np.NDArray;
    expect(Math.abs(g.item() - 1)).toBeLessThan(0.05);
  });
  it("beta and dirichlet in their parameters", () => {
    checkGrads((a: np.NDArray) => np.sum(r.beta(k, a, 2.5, [3])), [np.array(1.7)], { order: 2 });
    checkGrads((alpha: np.NDArray) => np.sum(np.sin(r.dirichlet(k, alpha))), [np.array([0.8, 2, 3])], { order: 1 });
  });
  it("no derivative flows into keys (integers)", () => {
    const f = (lo: np.NDArray) => np.sum(r.normal(r.foldIn(k, 1), [3]).mul(lo));
    expect((grad(f)(np.array(2)) as np.NDArray).item()).toBeAllclose(np.sum(r.normal(r.foldIn(k, 1), [3])).item());
  });
});

describe("RandomState and the global generator", () => {
  it("seeded sequences repeat; shapes follow NumPy", () => {
    const a = new r.RandomState(5);
    const b = new r.RandomState(5);
    expect(a.randn(3, 2)).toBeAllclose(b.randn(3, 2), { rtol: 0, atol: 0 });
    expect(a.rand(4)).toBeAllclose(b.rand(4), { rtol: 0, atol: 0 });
    expect(a.rand(4).toArray()).not.toEqual(a.rand(4).toArray());
    expect(a.randn().shape).toEqual([]);
    expect(a.normal(1, 2, [3]).shape).toEqual([3]);
    expect(a.normal([0, 1], 1).shape).toEqual([2]);
    expect(a.uniform(-1, 1, 5).shape).toEqual([5]);
    expect(a.randomSample([2, 2]).shape).toEqual([2, 2]);
    const ints = a.randint(3, 6, [1000]).toArray() as number[];
    expect(Math.min(...ints)).toBe(3);
    expect(Math.max(...ints)).toBe(5);
    expect(Math.max(...(a.randint(4, null, 100).toArray() as number[]))).toBeLessThan(4);
    expect(np.sort(a.permutation(7)).toArray()).toEqual(np.arange(7).toArray());
    const x = np.arange(10).reshape(5, 2);
    expect(np.sort(a.shuffle(x), { axis: 0 }).toArray()).toEqual(x.toArray());
    expect(a.choice(5, 3, false).shape).toEqual([3]);
    expect(a.choice([1, 2, 3], [2, 2], true, [0, 0, 1]).toArray()).toEqual([[3, 3], [3, 3]]);
    expect(a.gamma(2, 3, [4]).shape).toEqual([4]);
    a.seed(5);
    const c = new r.RandomState(5);
    expect(a.randn(2)).toBeAllclose(c.randn(2), { rtol: 0, atol: 0 });
  });
  it("moments of RandomState.normal(loc, scale)", () => {
    const z = new r.RandomState(1).normal(3, 2, N);
    expect(Math.abs(mean(z) - 3)).toBeLessThan(tol(4));
  });
  it("np.random.seed / rand / randn", () => {
    r.seed(3);
    const first = r.randn(3);
    r.seed(3);
    expect(r.randn(3)).toBeAllclose(first, { rtol: 0, atol: 0 });
    expect(r.rand(2, 2).shape).toEqual([2, 2]);
  });
});

describe("errors", () => {
  it("bad keys and arguments name the function", () => {
    expect(() => r.uniform(0 as unknown as np.NDArray)).toThrow(/np\.random\.uniform: key must be a PRNG key, an int32 array of shape \(2,\)/);
    expect(() => r.normal(np.zeros([2]))).toThrow(/got an float64 array of shape \(2,\)/);
    expect(() => r.normal(r.split(r.key(0)))).toThrow(/for a batch of keys, vmap over them/);
    expect(() => r.key(1.5)).toThrow(/seed must be a safe integer/);
    expect(() => r.uniform(r.key(0), [2, -1])).toThrow(/np\.random\.uniform: negative dimensions are not allowed: shape \[2, -1\]/);
    expect(() => r.uniform(r.key(0), [3], { minval: [0, 1] })).toThrow(/could not be broadcast|do not broadcast/);
    expect(() => r.choice(r.key(0), 3, { shape: [4], replace: false })).toThrow(/cannot take a larger sample \(size 4\) than population \(size 3\)/);
    expect(() => r.choice(r.key(0), 3, { p: [0.5, 0.5] })).toThrow(/p must be 1-D with one entry per choice \(3\)/);
    expect(() => r.categorical(r.key(0), np.zeros([2, 3]), { shape: [4, 3] })).toThrow(/must end with the batch shape \(2,\)/);
    expect(() => r.permutation(r.key(0), -1)).toThrow(/non-negative integer/);
    expect(() => r.split(r.key(0), 1.5)).toThrow(/num must be a non-negative integer/);
    expect(() => r.foldIn(r.key(0), 0.5)).toThrow(/data must be an integer/);
    expect(() => r.dirichlet(r.key(0), 1)).toThrow(/alpha must have at least one axis/);
    expect(() => new r.RandomState(0).randint(5, 5)).toThrow(/low >= high/);
  });
});
