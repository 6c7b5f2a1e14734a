/**
 * @file Property: every public function that takes an options object rejects, with a `TypeError`
 * naming the function and the key, (1) a valid options object with one key misspelt (a letter
 * inserted, deleted, swapped with its neighbour, or its case changed) and (2) a valid key given a
 * value of the wrong type. The table below holds one call with valid options for every schema
 * declared with `options(…)`; a test checks that none is missing.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkGrads, elementwiseGrad, grad, hessian, holomorphicGrad, jacfwd, jacrev, jit, nn, valueAndGrad, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { integrate, linalg as sla, signal, special } from "autograd-ts/scipy";
import { adam, rmsprop, sgd } from "autograd-ts/optimizers";
import { declaredOptions } from "../src/core/parse.ts";
import { numRuns, seed } from "./config.ts";

type Opts = Record<string, unknown>;
type Call = (o: Opts) => unknown;
const any = (u: unknown) => u as never;

const x = np.array([[1, 2, 3], [4, 5, 6]]);
const v = np.array([1, 2, 3]);
const A = np.array([[1, 2], [3, 4]]);
const S = np.array([[4, 1], [1, 3]]);
const key = np.random.key(0);
const f = (a: np.NDArray) => np.sum(np.tanh(a).mul(a));
const gradFn = (p: { a: np.NDArray }) => ({ a: p.a.sub(1) });
const npf = np as unknown as Record<string, (...a: unknown[]) => unknown>;

/** One call per declared schema: the function's name, how to call it with options, and valid options. */
const table: [string, Call, Opts][] = [];
const add = (name: string, call: Call, valid: Opts) => table.push([name, call, valid]);

for (const fn of ["sum", "mean", "prod", "all", "any", "countNonzero", "ptp", "nansum", "nanprod", "nanmean", "max", "min", "nanmax", "nanmin", "median", "nanmedian"]) {
  add(`np.${fn}`, (o) => npf[fn]!(x, o), { axis: 0, keepdims: true });
}
for (const fn of ["var", "std", "nanvar", "nanstd"]) add(`np.${fn}`, (o) => npf[fn]!(x, o), { axis: 0, keepdims: false, ddof: 1 });
for (const fn of ["argmax", "argmin", "nanargmax", "nanargmin"]) add(`np.${fn}`, (o) => npf[fn]!(x, o), { axis: 0, keepdims: true });
for (const fn of ["cumsum", "cumprod", "nancumsum", "nancumprod", "sort", "argsort"]) add(`np.${fn}`, (o) => npf[fn]!(x, o), { axis: 0 });
for (const fn of ["partition", "argpartition"]) add(`np.${fn}`, (o) => npf[fn]!(v, 1, o), { axis: 0 });
for (const [fn, q] of [["quantile", 0.5], ["percentile", 50], ["nanquantile", 0.5], ["nanpercentile", 50]] as const) {
  add(`np.${fn}`, (o) => npf[fn]!(x, q, o), { axis: 0, keepdims: true });
}
add("np.diff", (o) => np.diff(x, any(o)), { n: 1, axis: 0, prepend: 0, append: 0 });
add("np.average", (o) => np.average(x, any(o)), { axis: 1, weights: [1, 2, 3], returned: false, keepdims: false });
for (const fn of ["isclose", "allclose"]) add(`np.${fn}`, (o) => npf[fn]!(v, v, o), { rtol: 1e-5, atol: 1e-8, equalNan: true });
add("np.arrayEqual", (o) => np.arrayEqual(v, v, any(o)), { equalNan: true });

add("np.array", (o) => np.array([1], any(o)), { dtype: "float64" });
add("np.full", (o) => np.full([2], 1, any(o)), { dtype: "float64" });
for (const fn of ["zeros", "ones", "empty"]) add(`np.${fn}`, (o) => npf[fn]!(2, o), { dtype: "int32" });
for (const fn of ["zerosLike", "onesLike"]) add(`np.${fn}`, (o) => npf[fn]!(v, o), { dtype: "float32" });
add("np.fullLike", (o) => np.fullLike(v, 1, any(o)), { dtype: "float64" });
add("np.eye", (o) => np.eye(2, 2, any(o)), { k: 1, dtype: "float64" });
add("np.identity", (o) => np.identity(2, any(o)), { dtype: "float64" });
add("np.arange", (o) => np.arange(0, 3, 1, any(o)), { dtype: "float64" });
add("np.linspace", (o) => np.linspace(0, 1, 3, any(o)), { endpoint: false });
add("np.logspace", (o) => np.logspace(0, 1, 3, any(o)), { endpoint: true, base: 2 });
add("np.geomspace", (o) => np.geomspace(1, 8, 4, any(o)), { endpoint: true });
add("np.tri", (o) => np.tri(2, 2, any(o)), { k: 0, dtype: "float64" });
add("np.indices", (o) => np.indices([2, 2], any(o)), { dtype: "int32", sparse: false });
add("np.round", (o) => np.round(v, any(o)), { decimals: 1 });
add("np.nanToNum", (o) => np.nanToNum(v, any(o)), { nan: 0, posinf: 1, neginf: -1 });

add("np.squeeze", (o) => np.squeeze(np.ones([1, 2]), any(o)), { axis: 0 });
for (const fn of ["concatenate", "stack"]) add(`np.${fn}`, (o) => npf[fn]!([v, v], o), { axis: 0 });
add("np.split", (o) => np.split(v, 3, any(o)), { axis: 0 });
add("np.arraySplit", (o) => np.arraySplit(v, 2, any(o)), { axis: 0 });
add("np.repeat", (o) => np.repeat(v, 2, any(o)), { axis: 0 });
add("np.flip", (o) => np.flip(x, any(o)), { axis: 0 });
add("np.roll", (o) => np.roll(x, 1, any(o)), { axis: 0 });
add("np.rot90", (o) => np.rot90(x, 1, any(o)), { axes: [0, 1] });
add("np.pad", (o) => np.pad(v, 1, any(o)), { mode: "constant", constantValues: 0 });
for (const fn of ["diagonal", "trace"]) add(`np.${fn}`, (o) => npf[fn]!(x, o), { offset: 0, axis1: 0, axis2: 1 });
add("np.meshgrid", (o) => np.meshgrid(v, v, any(o)), { indexing: "ij", sparse: false });
add("np.append", (o) => np.append(v, v, any(o)), { axis: 0 });
add("np.take", (o) => np.take(v, [0], any(o)), { axis: 0, mode: "clip" });
add("np.takeAlongAxis", (o) => np.takeAlongAxis(v, np.array([0], { dtype: "int32" }), any(o)), { axis: 0 });
add("np.searchsorted", (o) => np.searchsorted(v, 2, any(o)), { side: "right" });
for (const fn of ["convolve", "correlate"]) add(`np.${fn}`, (o) => npf[fn]!(v, v, o), { mode: "same" });
add("np.trapezoid", (o) => np.trapezoid(v, any(o)), { x: [0, 1, 2], axis: 0 });
add("np.gradient", (o) => np.gradient(v, 1, any(o)), { axis: 0, edgeOrder: 1 });
add("np.ediff1d", (o) => np.ediff1d(v, any(o)), { toEnd: [0], toBegin: [0] });
add("np.unwrap", (o) => np.unwrap(v, any(o)), { discont: 3.2, axis: 0, period: 6.3 });
add("np.interp", (o) => np.interp(1.5, v, v, any(o)), { left: 0, right: 0 });
add("np.vander", (o) => np.vander(v, any(o)), { N: 2, increasing: true });
add("np.cov", (o) => np.cov(x, any(o)), { y: x, rowvar: true, bias: false, ddof: 1 });
add("np.corrcoef", (o) => np.corrcoef(x, any(o)), { y: x, rowvar: true });
add("np.bincount", (o) => np.bincount([0, 1], any(o)), { weights: [1, 1], minlength: 3 });
add("np.digitize", (o) => np.digitize(v, [0, 2], any(o)), { right: true });
add("np.histogram", (o) => np.histogram(v, any(o)), { bins: 2, range: [0, 3], weights: [1, 1, 1], density: false });
add("np.unique", (o) => np.unique(v, any(o)), { returnIndex: true, returnInverse: true, returnCounts: true });
add("np.insert", (o) => np.insert(v, 0, 5, any(o)), { axis: 0 });
for (const fn of ["cumulativeSum", "cumulativeProd"]) add(`np.${fn}`, (o) => npf[fn]!(v, o), { axis: 0, includeInitial: true });
add("np.delete", (o) => np.delete(v, 0, any(o)), { axis: 0 });
add("np.cross", (o) => np.cross(v, v, any(o)), { axisa: -1, axisb: -1, axisc: -1 });

add("np.linalg.cholesky", (o) => np.linalg.cholesky(S, any(o)), { upper: true });
add("np.linalg.eigh", (o) => np.linalg.eigh(S, any(o)), { UPLO: "U" });
add("np.linalg.eigvalsh", (o) => np.linalg.eigvalsh(S, any(o)), { UPLO: "U" });
add("np.linalg.svd", (o) => np.linalg.svd(A, any(o)), { fullMatrices: false, computeUv: true });
add("np.linalg.qr", (o) => np.linalg.qr(A, any(o)), { mode: "complete" });
add("np.linalg.pinv", (o) => np.linalg.pinv(A, any(o)), { rcond: 1e-15 });
add("np.linalg.lstsq", (o) => np.linalg.lstsq(A, [1, 2], any(o)), { rcond: 1e-10 });
add("np.linalg.norm", (o) => np.linalg.norm(A, any(o)), { ord: 2, axis: [0, 1], keepdims: false });
add("np.linalg.matrixRank", (o) => np.linalg.matrixRank(A, any(o)), { tol: 0.5 });
add("np.linalg.cond", (o) => np.linalg.cond(A, any(o)), { p: 2 });
add("np.linalg.tensorinv", (o) => np.linalg.tensorinv(np.eye(4).reshape(4, 2, 2), any(o)), { ind: 1 });

for (const fn of ["fft", "ifft", "rfft", "irfft"] as const) add(`np.fft.${fn}`, (o) => np.fft[fn](v, any(o)), { n: 4, axis: 0, norm: "ortho" });
for (const fn of ["fft2", "ifft2", "fftn", "ifftn"] as const) add(`np.fft.${fn}`, (o) => np.fft[fn](A, any(o)), { s: [2, 2], axes: [0, 1], norm: "forward" });
for (const fn of ["fftshift", "ifftshift"] as const) add(`np.fft.${fn}`, (o) => np.fft[fn](v, any(o)), { axes: 0 });

add("np.random.uniform", (o) => np.random.uniform(key, [2], any(o)), { minval: 0, maxval: 2 });
add("np.random.categorical", (o) => np.random.categorical(key, v, any(o)), { axis: 0, shape: [2] });
add("np.random.permutation", (o) => np.random.permutation(key, v, any(o)), { axis: 0 });
add("np.random.choice", (o) => np.random.choice(key, 5, any(o)), { shape: [2], replace: false, p: [0.2, 0.2, 0.2, 0.2, 0.2], axis: 0 });

add("scipy.special.logsumexp", (o) => special.logsumexp(v, any(o)), { axis: 0, keepdims: false, b: [1, 1, 1], returnSign: false });
for (const fn of ["softmax", "logSoftmax"] as const) add(`scipy.special.${fn}`, (o) => special[fn](v, any(o)), { axis: 0 });
for (const fn of ["convolve", "correlate", "convolve2d", "correlate2d"] as const) add(`scipy.signal.${fn}`, (o) => signal[fn](A, A, any(o)), { mode: "same" });
add("scipy.linalg.solveTriangular", (o) => sla.solveTriangular(S, [1, 2], any(o)), { lower: true, trans: "T", unitDiagonal: false });
add("scipy.integrate.odeint", (o) => integrate.odeint((y: np.NDArray) => y.neg(), 1, [0, 0.1], any(o)), { args: [], rtol: 1e-6, atol: 1e-6, hmax: 1, mxstep: 100 });

add("nn.leakyRelu", (o) => nn.leakyRelu(v, any(o)), { negativeSlope: 0.1 });
for (const fn of ["elu", "celu"] as const) add(`nn.${fn}`, (o) => nn[fn](v, any(o)), { alpha: 1 });
add("nn.gelu", (o) => nn.gelu(v, any(o)), { approximate: false });
add("nn.glu", (o) => nn.glu(np.ones([4]), any(o)), { axis: 0 });
for (const fn of ["softmax", "logSoftmax"] as const) add(`nn.${fn}`, (o) => nn[fn](v, any(o)), { axis: 0 });
add("nn.logsumexp", (o) => nn.logsumexp(v, any(o)), { axis: 0, keepdims: true });
add("nn.standardize", (o) => nn.standardize(v, any(o)), { axis: 0, epsilon: 1e-5 });

const params = () => ({ a: np.zeros([2]) });
const common = { numIters: 2, stepSize: 0.1, callback: () => undefined };
add("sgd", (o) => sgd(gradFn, params(), any(o)), { ...common, mass: 0.9 });
add("rmsprop", (o) => rmsprop(gradFn, params(), any(o)), { ...common, gamma: 0.9, eps: 1e-8 });
add("adam", (o) => adam(gradFn, params(), any(o)), { ...common, b1: 0.9, b2: 0.999, eps: 1e-8 });

add("grad", (o) => grad(f, any(o)), { argnums: 0, hasAux: false, holomorphic: false });
add("holomorphicGrad", (o) => holomorphicGrad(f, any(o)), { argnums: 0, hasAux: false });
add("valueAndGrad", (o) => valueAndGrad(f, any(o)), { argnums: 0, hasAux: false });
add("elementwiseGrad", (o) => elementwiseGrad(f, any(o)), { argnums: 0 });
add("jacfwd", (o) => jacfwd(f, any(o)), { argnums: 0, holomorphic: false });
add("jacrev", (o) => jacrev(f, any(o)), { argnums: 0, holomorphic: false });
add("hessian", (o) => hessian(f, any(o)), { argnums: 0 });
add("vmap", (o) => vmap(f, any(o)), { inAxes: 0, outAxes: 0 });
add("jit", (o) => jit(f, any(o)), { staticArgnums: [] });
add("checkGrads", (o) => checkGrads(f, [v], any(o)), { order: 1, modes: ["fwd"], eps: 1e-6, rtol: 1e-5, atol: 1e-6, seed: 1 });

/** The `TypeError` `thunk` throws (fails the property when it throws something else or nothing). */
function typeErrorOf(thunk: () => unknown): TypeError {
  try {
    thunk();
  } catch (e) {
    if (e instanceof TypeError) return e;
    throw new Error(`expected a TypeError, got ${String(e)}`);
  }
  throw new Error("expected a TypeError, but the call succeeded");
}

/** A one-letter misspelling of `key`. */
function misspell(key: string, kind: number, pos: number, letter: string): string {
  const i = pos % (key.length + (kind === 0 ? 1 : 0));
  switch (kind) {
    case 0: // insert a letter
      return key.slice(0, i) + letter + key.slice(i);
    case 1: // delete a letter
      return key.slice(0, i) + key.slice(i + 1);
    case 2: // swap a letter with the next one (or with the previous, at the end)
      if (key.length < 2) return key + letter;
      {
        const j = i === key.length - 1 ? i - 1 : i;
        return key.slice(0, j) + key[j + 1] + key[j] + key.slice(j + 2);
      }
    default: {
      // change the case of a letter
      const c = key[i]!;
      const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
      return key.slice(0, i) + (flipped === c ? c + letter : flipped) + key.slice(i + 1);
    }
  }
}

// Values of the wrong type for most options; each pairing is kept only where the declared schema
// rejects the value (a number is a fine `axis`, a string a fine `mode`).
const wrongValues: unknown[] = ["0", "zzz", "", true, false, 1.5, -0.5, NaN, Infinity, null, {}, { axis: 0 }, [0.5], [1, "a"], () => 0, Symbol("s"), 10n];
const wrongTriples: [number, string, unknown][] = [];
table.forEach(([name, , valid], i) => {
  const schema = declaredOptions.get(name)!.schema;
  for (const k of Object.keys(valid)) {
    for (const w of wrongValues) if (schema[k]!(w)._tag === "Left") wrongTriples.push([i, k, w]);
  }
});

describe("options are parsed, not trusted", () => {
  it("every declared option schema has a call in the table, and each call succeeds with its valid options", () => {
    const names = table.map(([n]) => n);
    expect(new Set(names).size).toBe(names.length);
    expect([...declaredOptions.keys()].filter((n) => !names.includes(n))).toEqual([]);
    for (const [name, call, valid] of table) expect(() => call(valid), name).not.toThrow();
  });

  it("a valid options object with one key misspelt throws a TypeError naming the function and the key", () => {
    fc.assert(
      fc.property(
        fc.nat(table.length - 1),
        fc.nat(),
        fc.integer({ min: 0, max: 3 }),
        fc.nat(),
        fc.constantFrom(..."abcdexyzAEXZ_0".split("")),
        (t, k, kind, pos, letter) => {
          const [name, call, valid] = table[t]!;
          const keys = Object.keys(valid);
          const key = keys[k % keys.length]!;
          const wrong = misspell(key, kind, pos, letter);
          fc.pre(!(wrong in declaredOptions.get(name)!.schema));
          const opts = { ...valid };
          delete opts[key];
          opts[wrong] = valid[key];
          const err = typeErrorOf(() => call(opts));
          expect(err.message).toContain(`${name}:`);
          expect(err.message).toContain(`"${wrong}"`);
        },
      ),
      { numRuns: numRuns(300), ...(seed === undefined ? {} : { seed }) },
    );
  });

  it("a valid key given a value of the wrong type throws a TypeError naming the function and the key", () => {
    fc.assert(
      fc.property(fc.nat(wrongTriples.length - 1), (w) => {
        const [t, key, value] = wrongTriples[w]!;
        const [name, call, valid] = table[t]!;
        const err = typeErrorOf(() => call({ ...valid, [key]: value }));
        expect(err.message).toContain(`${name}: option ${key} must be`);
      }),
      { numRuns: numRuns(300), ...(seed === undefined ? {} : { seed }) },
    );
  });
});
