/**
 * @file Bad and edge inputs of the options/arguments class (issue 11 §2): unknown or misspelt option
 * keys, options of the wrong type, positional-vs-keyword mix-ups, unknown dtypes, impossible sizes and
 * unsupported typed arrays, over every public namespace. Each bad input must raise the named error
 * class with a message naming the function and the offending option, value or shape; where NumPy
 * accepts the input, the NumPy value is checked instead. After every case a canary (grad,
 * vmap(grad), jit) must still give the right answer.
 */
import { describe, expect, it } from "vitest";
import { checkGrads, elementwiseGrad, grad, hessian, jacfwd, jacrev, jit, nn, valueAndGrad, vmap, ShapeError } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { canary, expectError, type ErrorClass } from "./bad-inputs-helpers.ts";

/** A small function for the transformations' option cases: f(x) = Σ x·tanh(x). */
const f = (x: np.NDArray) => np.sum(np.tanh(x).mul(x));
import { integrate, linalg as sla, signal, special, stats } from "autograd-ts/scipy";
import { adam, rmsprop, sgd } from "autograd-ts/optimizers";


interface BadCase {
  readonly label: string;
  readonly thunk: () => unknown;
  readonly cls: ErrorClass;
  readonly parts: readonly (string | RegExp)[];
}
interface ValueCase {
  readonly label: string;
  readonly thunk: () => unknown;
  /** NumPy's (or JAX's) value for the same input. */
  readonly value: unknown;
}

const bad = (label: string, thunk: () => unknown, cls: ErrorClass, ...parts: (string | RegExp)[]): BadCase => ({ label, thunk, cls, parts });
const same = (label: string, thunk: () => unknown, value: unknown): ValueCase => ({ label, thunk, value });

const x = np.array([[1, 2, 3], [4, 5, 6]]);
const v = np.array([1, 2, 3]);
const A = np.array([[1, 2], [3, 4]]);
const S = np.array([[4, 1], [1, 3]]);
const key = np.random.key(0);
const any = (u: unknown) => u as never;
const gradFn = (p: { a: np.NDArray }) => ({ a: p.a.sub(1) });
const params = () => ({ a: np.zeros([2]) });

const numpyCases: BadCase[] = [
  bad("np.sum misspelt axis", () => np.sum(x, any({ axes: 0 })), TypeError, "np.sum", 'unknown option "axes"', 'did you mean "axis"?'),
  bad("np.sum keepDims", () => np.sum(x, any({ keepDims: true })), TypeError, "np.sum", '"keepDims"', 'did you mean "keepdims"?'),
  bad("np.sum axis as a string", () => np.sum(x, any({ axis: "0" })), TypeError, "np.sum", "option axis", '"0" (a string)'),
  bad("np.sum keepdims: 1", () => np.sum(x, any({ keepdims: 1 })), TypeError, "np.sum", "option keepdims", "true or false", "got 1"),
  bad("np.sum positional axis", () => np.sum(x, any(0)), TypeError, "np.sum", "options argument", "{axis: 0}"),
  bad("np.sum options as an array", () => np.sum(x, any([0])), TypeError, "np.sum", "options argument", "[0]"),
  bad("np.mean fractional axis", () => np.mean(x, { axis: 1.5 }), TypeError, "np.mean", "option axis", "1.5"),
  bad("np.max misspelt", () => np.max(x, any({ axiss: 0 })), TypeError, "np.max", '"axiss"', 'did you mean "axis"?'),
  bad("np.argmax axis list", () => np.argmax(x, any({ axis: [0, 1] })), TypeError, "np.argmax", "option axis", "[0, 1]"),
  bad("np.var ddof string", () => np.var(x, any({ ddof: "1" })), TypeError, "np.var", "option ddof", '"1"'),
  bad("np.std dof", () => np.std(x, any({ dof: 1 })), TypeError, "np.std", '"dof"', 'did you mean "ddof"?'),
  bad("np.cumsum axis list", () => np.cumsum(x, any({ axis: [0] })), TypeError, "np.cumsum", "option axis", "[0]"),
  bad("np.prod keepdims string", () => np.prod(x, any({ keepdims: "yes" })), TypeError, "np.prod", "option keepdims", '"yes"'),
  bad("np.all Axis", () => np.all(x, any({ Axis: 0 })), TypeError, "np.all", '"Axis"', 'did you mean "axis"?'),
  bad("np.average weight", () => np.average(x, any({ weight: [1, 2, 3] })), TypeError, "np.average", '"weight"', 'did you mean "weights"?'),
  bad("np.diff fractional n", () => np.diff(v, { n: 1.5 }), TypeError, "np.diff", "option n", "1.5"),
  bad("np.isclose rtol string", () => np.isclose(v, v, any({ rtol: "1e-5" })), TypeError, "np.isclose", "option rtol", '"1e-5"'),
  bad("np.allclose equal_nan", () => np.allclose(v, v, any({ equal_nan: true })), TypeError, "np.allclose", '"equal_nan"', 'did you mean "equalNan"?'),
  bad("np.nanmean keepdim", () => np.nanmean(x, any({ keepdim: true })), TypeError, "np.nanmean", '"keepdim"', 'did you mean "keepdims"?'),
  bad("np.median axis string", () => np.median(x, any({ axis: "all" })), TypeError, "np.median", "option axis", '"all"'),
  bad("np.quantile method", () => np.quantile(x, 0.5, any({ method: "linear" })), TypeError, "np.quantile", 'unknown option "method"', "{axis, keepdims}"),
  bad("np.sort kind", () => np.sort(v, any({ kind: "stable" })), TypeError, "np.sort", 'unknown option "kind"'),
  bad("np.argsort axis boolean", () => np.argsort(v, any({ axis: true })), TypeError, "np.argsort", "option axis", "true"),
  bad("np.round decimals fractional", () => np.round(v, { decimals: 0.5 }), TypeError, "np.round", "decimals", "0.5"),
  bad("np.take mode", () => np.take(v, [0], any({ mode: "warp" })), TypeError, "np.take", "option mode", '"warp"'),
  bad("np.searchsorted side", () => np.searchsorted(v, 2, any({ side: "middle" })), TypeError, "np.searchsorted", "option side", '"middle"'),
  bad("np.convolve mode", () => np.convolve(v, v, any({ mode: "circular" })), TypeError, "np.convolve", "option mode", '"circular"'),
  bad("np.cov row_var", () => np.cov(x, any({ row_var: false })), TypeError, "np.cov", '"row_var"', 'did you mean "rowvar"?'),
  bad("np.histogram range", () => np.histogram(v, any({ range: [0] })), TypeError, "np.histogram", "option range", "[0]"),
  bad("np.bincount minlength", () => np.bincount([0, 1], { minlength: -1 }), TypeError, "np.bincount", "option minlength", "-1"),
  bad("np.unique return_counts", () => np.unique(v, any({ return_counts: true })), TypeError, "np.unique", '"return_counts"', 'did you mean "returnCounts"?'),
  bad("np.trapezoid dx string", () => np.trapezoid(v, any({ dx: "1" })), TypeError, "np.trapezoid", "option dx", '"1"'),
  bad("np.gradient edge_order", () => np.gradient(v, 1, any({ edge_order: 2 })), TypeError, "np.gradient", '"edge_order"', 'did you mean "edgeOrder"?'),
  bad("np.interp left string", () => np.interp(1.5, v, v, any({ left: "0" })), TypeError, "np.interp", "option left", '"0"'),
  bad("np.vander n", () => np.vander(v, any({ n: 2 })), TypeError, "np.vander", '"n"', 'did you mean "N"?'),
  bad("np.cross axis string", () => np.cross(v, v, any({ axis: "-1" })), TypeError, "np.cross", "option axis", '"-1"'),
  bad("np.cumulativeSum include_initial", () => np.cumulativeSum(v, any({ include_initial: true })), TypeError, "np.cumulativeSum", 'did you mean "includeInitial"?'),
  bad("np.delete axis string", () => np.delete(v, 0, any({ axis: "0" })), TypeError, "np.delete", "option axis", '"0"'),
  bad("np.insert axes", () => np.insert(v, 0, 5, any({ axes: 0 })), TypeError, "np.insert", '"axes"', 'did you mean "axis"?'),
];

const creationCases: BadCase[] = [
  bad("np.zeros complex256", () => np.zeros(3, any({ dtype: "complex256" })), TypeError, "np.zeros", "option dtype", '"complex256"', "complex128, complex64, float64, float32, int32, bool"),
  bad("np.ones int64", () => np.ones(3, any({ dtype: "int64" })), TypeError, "np.ones", '"int64"', "float64, float32, int32, bool"),
  bad("np.array float16", () => np.array([1], any({ dtype: "float16" })), TypeError, "np.array", '"float16"'),
  bad("np.full banana", () => np.full([2], 1, any({ dtype: "banana" })), TypeError, "np.full", '"banana"'),
  bad("np.astype int64", () => np.astype(v, any("int64")), TypeError, "np.astype", '"int64"', "float64, float32, int32, bool"),
  bad("x.astype banana", () => v.astype(any("banana")), TypeError, "astype", '"banana"', "supported dtypes"),
  bad("x.astype complex32", () => v.astype(any("complex32")), TypeError, "astype", '"complex32"', "complex128, complex64"),
  bad("np.asarray int8", () => np.asarray(v, any("int8")), TypeError, "np.asarray", '"int8"'),
  bad("np.zerosLike dtype", () => np.zerosLike(v, any({ dtype: "uint8" })), TypeError, "np.zerosLike", '"uint8"'),
  bad("np.eye dtype", () => np.eye(2, 2, any({ dtype: "float128" })), TypeError, "np.eye", '"float128"'),
  bad("np.zeros 1e10", () => np.zeros([1e10]), ShapeError, "np.zeros", "10000000000", "2147483647"),
  bad("np.ones negative", () => np.ones([-1]), ShapeError, "np.ones", "negative dimensions", "[-1]"),
  bad("np.zeros fractional", () => np.zeros([2.5]), TypeError, "np.zeros", "2.5"),
  bad("np.zeros string shape", () => np.zeros(any("3")), TypeError, "np.zeros", '"3"'),
  bad("np.zeros NaN", () => np.zeros([NaN, 2]), TypeError, "np.zeros", "NaN"),
  bad("np.empty Infinity", () => np.empty([Infinity]), TypeError, "np.empty", "Infinity"),
  bad("np.full fill string", () => np.full([2], any("1")), TypeError, "np.full", "fill_value", '"1"'),
  bad("np.arange to Infinity", () => np.arange(0, Infinity), ShapeError, "np.arange", "arange(0, Infinity, 1)"),
  bad("np.arange step 0", () => np.arange(0, 10, 0), RangeError, "np.arange", "step", "0"),
  bad("np.arange step NaN", () => np.arange(0, 10, NaN), RangeError, "np.arange", "NaN"),
  bad("np.arange too long", () => np.arange(0, 1e10), ShapeError, "np.arange", "arange(0, 10000000000, 1)", "2147483647"),
  bad("np.arange stop string", () => np.arange(any("5")), TypeError, "np.arange", "stop", '"5"'),
  bad("np.arange options second", () => np.arange(5, any({ dtype: "float64" })), TypeError, "np.arange", "stop", "options go last"),
  bad("np.linspace -1", () => np.linspace(0, 1, -1), ShapeError, "np.linspace", "number of samples, -1"),
  bad("np.linspace 2.5", () => np.linspace(0, 1, 2.5), TypeError, "np.linspace", "2.5"),
  bad("np.linspace retstep", () => np.linspace(0, 1, 5, any({ retstep: true })), TypeError, "np.linspace", 'unknown option "retstep"'),
  bad("np.logspace base string", () => np.logspace(0, 1, 3, any({ base: "10" })), TypeError, "np.logspace", "option base", '"10"'),
  bad("np.geomspace NaN count", () => np.geomspace(1, 10, NaN), TypeError, "np.geomspace", "NaN"),
  bad("np.eye 1e6", () => np.eye(1e6), ShapeError, "np.eye", "(1000000, 1000000)", "2147483647"),
  bad("np.eye fractional", () => np.eye(2.5), TypeError, "np.eye", "N", "2.5"),
  bad("np.identity negative", () => np.identity(-2), ShapeError, "np.identity", "-2"),
  bad("np.tri k fractional", () => np.tri(3, 3, { k: 0.5 }), TypeError, "np.tri", "option k", "0.5"),
  bad("np.indices negative", () => np.indices([2, -1]), ShapeError, "np.indices", "negative", "[2, -1]"),
  bad("np.reshape fractional", () => np.reshape(v, [1.5, 2]), TypeError, "np.reshape", "1.5"),
  bad("x.reshape huge", () => v.reshape(1e6, 1e6), ShapeError, "np.reshape", "1000000000000"),
  bad("np.reshape two -1", () => np.reshape(v, [-1, -1]), ShapeError, "np.reshape", "one unknown dimension"),
  bad("np.broadcastTo negative", () => np.broadcastTo(v, [2, -3]), ShapeError, "np.broadcastTo", "[2, -3]"),
  bad("np.resize fractional", () => np.resize(v, [2.5]), TypeError, "np.resize", "2.5"),
  bad("np.array BigInt64Array", () => np.array(any(new BigInt64Array(2))), TypeError, "np.array", "BigInt64Array", "object"),
  bad("np.array BigUint64Array", () => np.array(any(new BigUint64Array(2))), TypeError, "np.array", "BigUint64Array"),
  bad("np.asarray Int16Array", () => np.asarray(any(new Int16Array(2))), TypeError, "np.asarray", "Int16Array"),
  bad("np.array Uint8Array 2", () => np.array(new Uint8Array([0, 2])), TypeError, "np.array", "Uint8Array", "[1] is 2"),
  bad("np.array Uint8ClampedArray", () => np.array(any(new Uint8ClampedArray(2))), TypeError, "np.array", "Uint8ClampedArray"),
  bad("np.triuIndices huge", () => np.triuIndices(1e6), ShapeError, "np.triuIndices", "1000000 × 1000000"),
  bad("np.diagIndices fractional", () => np.diagIndices(2.5), TypeError, "np.diagIndices", "n", "2.5"),
  bad("np.tile huge", () => np.tile(v, [1e5, 1e5]), ShapeError, "np.tile", "[100000, 100000]"),
  bad("np.zeros bigint dimension", () => np.zeros(any([3n])), TypeError, "np.zeros", "3n"),
];

const shapeCases: BadCase[] = [
  bad("np.concatenate axis string", () => np.concatenate([v, v], any({ axis: "0" })), TypeError, "np.concatenate", "option axis", '"0"'),
  bad("np.concatenate two arrays", () => np.concatenate(any(v), any(v)), TypeError, "np.concatenate", "arrays must be a JS array"),
  bad("np.stack axes", () => np.stack([v, v], any({ axes: 1 })), TypeError, "np.stack", '"axes"', 'did you mean "axis"?'),
  bad("np.squeeze axis string", () => np.squeeze(v, any("0")), TypeError, "np.squeeze", "axis", '"0"'),
  bad("np.flip axis string", () => np.flip(x, any({ axis: "1" })), TypeError, "np.flip", "option axis", '"1"'),
  bad("np.roll axes", () => np.roll(x, 1, any({ axes: 0 })), TypeError, "np.roll", '"axes"', 'did you mean "axis"?'),
  bad("np.rot90 one axis", () => np.rot90(x, 1, any({ axes: [0] })), TypeError, "np.rot90", "option axes", "[0]"),
  bad("np.pad constant_values", () => np.pad(v, 1, any({ constant_values: 1 })), TypeError, "np.pad", 'did you mean "constantValues"?'),
  bad("np.diagonal offset fractional", () => np.diagonal(x, { offset: 0.5 }), TypeError, "np.diagonal", "option offset", "0.5"),
  bad("np.meshgrid indexing", () => np.meshgrid(v, v, any({ indexing: "ji" })), TypeError, "np.meshgrid", "option indexing", '"ji"'),
  bad("np.split axis null", () => np.split(v, 3, any({ axis: null })), TypeError, "np.split", "option axis", "null"),
  bad("np.repeat axis string", () => np.repeat(v, 2, any({ axis: "0" })), TypeError, "np.repeat", "option axis", '"0"'),
  bad("np.expandDims axis string", () => np.expandDims(v, any("0")), TypeError, "np.expandDims", "axis", '"0"'),
  bad("np.swapaxes axis fractional", () => np.swapaxes(x, 0.5, 1), TypeError, "np.swapaxes", "axis", "0.5"),
  bad("np.tril k as options", () => np.tril(A, any({ k: 1 })), TypeError, "np.tril", "k must be an integer", "{k}"),
  bad("np.triu k string", () => np.triu(A, any("1")), TypeError, "np.triu", "k", '"1"'),
  bad("np.tensordot axes as options", () => np.tensordot(A, A, any({ axes: 1 })), TypeError, "np.tensordot", "axes", "{axes}"),
  bad("np.tensordot axes fractional", () => np.tensordot(A, A, 1.5), TypeError, "np.tensordot", "1.5"),
  bad("np.moveaxis source as options", () => np.moveaxis(A, any({ source: 0 }), 1), TypeError, "np.moveaxis", "source", "{source}"),
  bad("np.tile reps as options", () => np.tile(v, any({ reps: 2 })), TypeError, "np.tile", "reps", "{reps}"),
  bad("np.split sections as options", () => np.split(v, any({ indices: 3 })), TypeError, "np.split", "indices_or_sections", "{indices}"),
  bad("np.transpose axes as options", () => np.transpose(A, any({ axes: [1, 0] })), TypeError, "np.transpose", "axes", "{axes}"),
  bad("np.pad width string", () => np.pad(v, any("1")), TypeError, "np.pad", "pad_width", '"1"'),
  bad("np.triuIndices k string", () => np.triuIndices(3, any("1")), TypeError, "np.triuIndices", "k", '"1"'),
  bad("np.takeAlongAxis axis string", () => np.takeAlongAxis(v, np.array([0], { dtype: "int32" }), any("0")), TypeError, "np.takeAlongAxis", "axis", '"0"'),
];

const linalgFftRandomCases: BadCase[] = [
  bad("norm ord frob", () => np.linalg.norm(A, any({ ord: "frob" })), TypeError, "np.linalg.norm", "option ord", '"frob"'),
  bad("norm order", () => np.linalg.norm(A, any({ order: 2 })), TypeError, "np.linalg.norm", '"order"', 'did you mean "ord"?'),
  bad("norm ord positional string", () => np.linalg.norm(A, any("two")), TypeError, "np.linalg.norm", "ord", '"two"'),
  bad("svd full_matrices", () => np.linalg.svd(A, any({ full_matrices: false })), TypeError, "np.linalg.svd", 'did you mean "fullMatrices"?'),
  bad("qr economic", () => np.linalg.qr(A, any({ mode: "economic" })), TypeError, "np.linalg.qr", "option mode", '"economic"'),
  bad("eigh uplo", () => np.linalg.eigh(S, any({ uplo: "U" })), TypeError, "np.linalg.eigh", '"uplo"', 'did you mean "UPLO"?'),
  bad("cholesky lower", () => np.linalg.cholesky(S, any({ lower: true })), TypeError, "np.linalg.cholesky", 'unknown option "lower"', "{upper}"),
  bad("pinv rcond negative", () => np.linalg.pinv(A, { rcond: -1 }), TypeError, "np.linalg.pinv", "option rcond", "-1"),
  bad("matrixRank tol string", () => np.linalg.matrixRank(A, any({ tol: "0" })), TypeError, "np.linalg.matrixRank", "option tol", '"0"'),
  bad("tensorinv ind 0", () => np.linalg.tensorinv(np.eye(4), { ind: 0 }), TypeError, "np.linalg.tensorinv", "option ind", "0"),
  bad("cond p string", () => np.linalg.cond(A, any({ p: "2" })), TypeError, "np.linalg.cond", "option p", '"2"'),
  bad("lstsq rcond string", () => np.linalg.lstsq(A, v.get(":2"), any({ rcond: "warn" })), TypeError, "np.linalg.lstsq", "option rcond", '"warn"'),
  bad("fft n 0", () => np.fft.fft(v, { n: 0 }), TypeError, "np.fft.fft", "option n", "0"),
  bad("fft norm unitary", () => np.fft.fft(v, any({ norm: "unitary" })), TypeError, "np.fft.fft", "option norm", '"unitary"'),
  bad("fft2 axis", () => np.fft.fft2(A, any({ axis: 0 })), TypeError, "np.fft.fft2", '"axis"', 'did you mean "axes"?'),
  bad("rfft n fractional", () => np.fft.rfft(v, { n: 2.5 }), TypeError, "np.fft.rfft", "option n", "2.5"),
  bad("fftshift axis", () => np.fft.fftshift(v, any({ axis: 0 })), TypeError, "np.fft.fftshift", 'did you mean "axes"?'),
  bad("ifftn s fractional", () => np.fft.ifftn(A, { s: [2.5, 2] }), TypeError, "np.fft.ifftn", "option s", "[2.5, 2]"),
  bad("random.normal 1e12", () => np.random.normal(key, [1e12]), ShapeError, "np.random.normal", "1000000000000"),
  bad("random.uniform fractional", () => np.random.uniform(key, [2.5]), TypeError, "np.random.uniform", "2.5"),
  bad("random.uniform min", () => np.random.uniform(key, [2], any({ min: 0 })), TypeError, "np.random.uniform", 'unknown option "min"', "{minval, maxval}"),
  bad("random.choice size", () => np.random.choice(key, 5, any({ size: [3] })), TypeError, "np.random.choice", 'unknown option "size"'),
  bad("random.categorical axis string", () => np.random.categorical(key, v, any({ axis: "0" })), TypeError, "np.random.categorical", "option axis", '"0"'),
  bad("random.permutation axis fractional", () => np.random.permutation(key, v, { axis: 0.5 }), TypeError, "np.random.permutation", "option axis", "0.5"),
  bad("RandomState.rand negative", () => new np.random.RandomState(0).rand(2, -1), ShapeError, "RandomState.rand", "[2, -1]"),
  bad("RandomState.randn huge", () => new np.random.RandomState(0).randn(1e5, 1e5), ShapeError, "RandomState.randn", "10000000000"),
];

const scipyNnOptCases: BadCase[] = [
  bad("logsumexp axes", () => special.logsumexp(v, any({ axes: 0 })), TypeError, "scipy.special.logsumexp", 'did you mean "axis"?'),
  bad("logsumexp return_sign", () => special.logsumexp(v, any({ return_sign: true })), TypeError, "scipy.special.logsumexp", 'did you mean "returnSign"?'),
  bad("softmax axis string", () => special.softmax(v, any({ axis: "-1" })), TypeError, "scipy.special.softmax", "option axis", '"-1"'),
  bad("signal.convolve mode", () => signal.convolve(v, v, any({ mode: "circular" })), TypeError, "scipy.signal.convolve", "option mode", '"circular"'),
  bad("signal.convolve2d boundary", () => signal.convolve2d(A, A, any({ boundary: "fill" })), TypeError, "scipy.signal.convolve2d", 'unknown option "boundary"'),
  bad("solveTriangular trans", () => sla.solveTriangular(A, v.get(":2"), any({ trans: "X" })), TypeError, "scipy.linalg.solveTriangular", "option trans", '"X"'),
  bad("solveTriangular unit_diagonal", () => sla.solveTriangular(A, v.get(":2"), any({ unit_diagonal: true })), TypeError, "scipy.linalg.solveTriangular", 'did you mean "unitDiagonal"?'),
  bad("odeint rtol negative", () => integrate.odeint((y) => y, 1, [0, 1], { rtol: -1 }), TypeError, "scipy.integrate.odeint", "option rtol", "-1"),
  bad("odeint mxsteps", () => integrate.odeint((y) => y, 1, [0, 1], any({ mxsteps: 10 })), TypeError, "scipy.integrate.odeint", 'did you mean "mxstep"?'),
  bad("stats.norm.pdf loc object", () => stats.norm.pdf(v, any({ loc: 1 })), TypeError, "norm", "loc"),
  bad("nn.softmax axes", () => nn.softmax(v, any({ axes: 0 })), TypeError, "nn.softmax", 'did you mean "axis"?'),
  bad("nn.elu alpha string", () => nn.elu(v, any({ alpha: "1" })), TypeError, "nn.elu", "option alpha", '"1"'),
  bad("nn.gelu approximate string", () => nn.gelu(v, any("false")), TypeError, "nn.gelu", "approximate", '"false"'),
  bad("nn.oneHot int64", () => nn.oneHot([1], 3, any("int64")), TypeError, "nn.oneHot", '"int64"', "supported dtypes"),
  bad("nn.oneHot negative", () => nn.oneHot([1], -1), ShapeError, "nn.oneHot", "numClasses", "-1"),
  bad("nn.glu axis fractional", () => nn.glu(np.ones([4]), 0.5), TypeError, "nn.glu", "axis", "0.5"),
  bad("nn.standardize eps", () => nn.standardize(v, any({ eps: 1e-5 })), TypeError, "nn.standardize", 'unknown option "eps"', "{axis, epsilon}"),
  bad("sgd stepsize", () => sgd(gradFn, params(), any({ stepsize: 0.1 })), TypeError, "sgd", '"stepsize"', 'did you mean "stepSize"?'),
  bad("adam num_iters", () => adam(gradFn, params(), any({ num_iters: 10 })), TypeError, "adam", 'did you mean "numIters"?'),
  bad("adam numIters fractional", () => adam(gradFn, params(), { numIters: 1.5 }), TypeError, "adam", "option numIters", "1.5"),
  bad("rmsprop callback number", () => rmsprop(gradFn, params(), any({ callback: 5 })), TypeError, "rmsprop", "option callback", "a function"),
];

const transformCases: BadCase[] = [
  bad("grad argnum", () => grad(f, any({ argnum: 0 })), TypeError, "grad", '"argnum"', 'did you mean "argnums"?'),
  bad("grad has_aux", () => grad(f, any({ has_aux: true })), TypeError, "grad", 'did you mean "hasAux"?'),
  bad("grad argnums string", () => grad(f, any({ argnums: "0" })), TypeError, "grad", "option argnums", '"0"'),
  bad("valueAndGrad hasAux 1", () => valueAndGrad(f, any({ hasAux: 1 })), TypeError, "valueAndGrad", "option hasAux", "1"),
  bad("elementwiseGrad argnums booleans", () => elementwiseGrad(f, any({ argnums: [true] })), TypeError, "elementwiseGrad", "option argnums", "[true]"),
  bad("vmap in_axes", () => vmap(f, any({ in_axes: 0 })), TypeError, "vmap", '"in_axes"', 'did you mean "inAxes"?'),
  bad("vmap inAxes string", () => vmap(f, any({ inAxes: "0" })), TypeError, "vmap", "option inAxes", '"0"'),
  bad("vmap inAxes as an object", () => vmap(f, any({ inAxes: { x: 0 } })), TypeError, "vmap", "option inAxes", "one entry per argument"),
  bad("vmap inAxes boolean", () => vmap(f, any({ inAxes: true })), TypeError, "vmap", "option inAxes", "true"),
  bad("jit static_argnums", () => jit(f, any({ static_argnums: [0] })), TypeError, "jit", 'did you mean "staticArgnums"?'),
  bad("jit staticArgnums string", () => jit(f, any({ staticArgnums: "0" })), TypeError, "jit", "option staticArgnums", '"0"'),
  bad("checkGrads modes", () => checkGrads(f, [v], any({ modes: ["forward"] })), TypeError, "checkGrads", "option modes", '"fwd" and "rev"'),
  bad("checkGrads orders", () => checkGrads(f, [v], any({ orders: 2 })), TypeError, "checkGrads", 'did you mean "order"?'),
  bad("hessian argnums string", () => hessian(f, any({ argnums: "0" })), TypeError, "hessian", "option argnums", '"0"'),
  bad("jacrev argnum", () => jacrev(f, any({ argnum: 0 })), TypeError, "jacrev", 'did you mean "argnums"?'),
  bad("jacfwd options number", () => jacfwd(f, any(0)), TypeError, "jacfwd", "options argument", "{argnums: 0}"),
];

// Inputs NumPy accepts (positional forms, edge sizes): NumPy's values, obtained with NumPy 2.4 /
// JAX 0.10.2 on CPU (`np.linalg.norm(A, 2)`, `jnp.array([nan, inf, -inf, 3e9]).astype(jnp.int32)`, …).
const valueCases: ValueCase[] = [
  same("norm(A, 2) is the spectral norm", () => np.linalg.norm(A, 2), 5.464985704219043),
  same("norm(A, 1)", () => np.linalg.norm(A, 1), 6),
  same('norm(A, "nuc")', () => np.linalg.norm(A, "nuc"), 5.8309518948453),
  same("norm(A, Infinity)", () => np.linalg.norm(A, Infinity), 7),
  same("norm(A, null) is Frobenius", () => np.linalg.norm(A, null), Math.sqrt(30)),
  same("cond(A, 1)", () => np.linalg.cond(A, 1), 20.999999999999993),
  same("matrixRank(A, 0.5)", () => np.linalg.matrixRank(A, 0.5), 1),
  same('eigvalsh(A, "U") reads the upper triangle', () => np.linalg.eigvalsh(A, "U"), [0, 5]),
  same('qr(A, "r")', () => np.linalg.qr(A, "r").abs(), [[3.16227766016838, 4.427188724235731], [0, 0.6324555320336759]]),
  same("tensorinv(a, 1) shape", () => np.linalg.tensorinv(np.eye(4).reshape(4, 2, 2), 1).shape, [2, 2, 4]),
  same("round(x, 1)", () => np.round([1.234, 5.678], 1), [1.2, 5.7]),
  same("takeAlongAxis axis positional", () => np.takeAlongAxis(np.array([[10, 30, 20]]), np.array([[2, 0, 1]], { dtype: "int32" }), 1), [[20, 10, 30]]),
  same("takeAlongAxis {axis}", () => np.takeAlongAxis(np.array([[10, 30, 20]]), np.array([[2, 0, 1]], { dtype: "int32" }), { axis: 1 }), [[20, 10, 30]]),
  same("takeAlongAxis default axis -1", () => np.takeAlongAxis(np.array([[10, 30, 20]]), np.array([[2, 0, 1]], { dtype: "int32" })), [[20, 10, 30]]),
  same("fft(x, 4) zero-pads (real part)", () => np.fft.fft([1, 2, 3], 4).real, [6, -2, 2, -2]),
  same("fft(x, 4) zero-pads (imaginary part)", () => np.fft.fft([1, 2, 3], 4).imag, [0, -2, 0, 2]),
  same("concatenate(xs, 0)", () => np.concatenate([[1, 2], [3]], 0), [1, 2, 3]),
  same("stack(xs, 1)", () => np.stack([[1, 2], [3, 4]], 1), [[1, 3], [2, 4]]),
  same("squeeze(x, 0)", () => np.squeeze(np.ones([1, 2, 1]), 0).shape, [2, 1]),
  same("eye(2, {k: 1})", () => np.eye(2, { k: 1 }), [[0, 1], [0, 0]]),
  same("linspace(0, 1, 0) is empty", () => np.linspace(0, 1, 0).shape, [0]),
  same("arange(0, 0) is empty", () => np.arange(0, 0).shape, [0]),
  same("arange(0, 10, Infinity) is [0]", () => np.arange(0, 10, Infinity), [0]),
  same("arange(5, 0, -2)", () => np.arange(5, 0, -2), [5, 3, 1]),
  same("zeros([]) is 0-d", () => np.zeros([]).shape, []),
  same("zeros([0, 3])", () => np.zeros([0, 3]).shape, [0, 3]),
  same("eye(0)", () => np.eye(0).shape, [0, 0]),
  same("astype int32 of NaN/±∞/3e9 saturates as JAX", () => np.array([NaN, Infinity, -Infinity, 3e9, -3e9, 2.7, -2.7]).astype("int32"), [0, 2147483647, -2147483648, 2147483647, -2147483648, 2, -2]),
  same("astype bool of NaN is true", () => np.array([NaN, 0, -0, 2]).astype("bool"), [true, false, false, true]),
  same("sum with {axis: undefined} is the full sum", () => np.sum(x, { axis: undefined }), 21),
  same("nn.elu(x, {alpha: 2}) = nn.elu(x, 2)", () => nn.elu([-1, 1], { alpha: 2 }), nn.elu([-1, 1], 2).toArray()),
  same("nn.softmax(x, {axis: 0})", () => nn.softmax(A, { axis: 0 }), nn.softmax(A, 0).toArray()),
  same("arange of a 0-d array stop", () => np.arange(np.array(3) as never), [0, 1, 2]),
  same("linspace of 0-d array ends", () => np.linspace(np.array(0) as never, np.array(1) as never, 3), [0, 0.5, 1]),
  same("full with a 0-d array fill value", () => np.full([2], np.array(3) as never), [3, 3]),
  same("grad through nn.elu's alpha (an array parameter)", () => grad((a: np.NDArray) => np.sum(nn.elu(np.array([-1, 2]), a)))(2.0), Math.expm1(-1)),
  // Σ of 2 parameters after 3 plain steps from 0 towards 1: 2(1 − (1 − lr)³); d/dlr = 6(1 − lr)².
  same("grad through sgd's stepSize", () => grad((lr: number) => np.sum(sgd(gradFn, params(), { stepSize: lr, numIters: 3, mass: 0 }).a))(0.1), 6 * 0.9 ** 2),
  same("grad through trapezoid's dx", () => grad((dx: number) => np.trapezoid([1, 2, 3], { dx }))(0.5), 4),
  same("array(Uint8Array of 0/1) is bool", () => np.array(new Uint8Array([0, 1])).dtype, "bool"),
];

const all = [
  ["numpy options", numpyCases],
  ["dtypes, sizes and typed arrays", creationCases],
  ["shape functions", shapeCases],
  ["linalg, fft, random", linalgFftRandomCases],
  ["scipy, nn, optimizers", scipyNnOptCases],
  ["transformations", transformCases],
] as const;

describe("bad options and arguments raise a typed error naming the function and the value", () => {
  for (const [group, cases] of all) {
    describe(group, () => {
      for (const c of cases) {
        it(c.label, () => {
          expectError(c.thunk, c.cls, c.parts);
          canary();
        });
      }
    });
  }
});

describe("inputs NumPy accepts give NumPy's value", () => {
  for (const c of valueCases) {
    it(c.label, () => {
      const got = c.thunk();
      if (got instanceof np.NDArray) expect(got).toBeAllclose(c.value as never, { rtol: 1e-12, atol: 1e-12 });
      else if (typeof got === "number" && typeof c.value === "number") expect(got).toBeCloseTo(c.value, 12);
      else expect(got).toEqual(c.value);
      canary();
    });
  }
});

it("the catalogue holds at least 90 bad inputs", () => {
  const n = all.reduce((s, [, cases]) => s + cases.length, 0);
  expect(n + valueCases.length).toBeGreaterThanOrEqual(90);
});
