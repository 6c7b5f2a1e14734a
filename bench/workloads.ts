/**
 * @file The benchmark workloads, written against the public API exactly as a user would. Each has a
 * key shared with `bench/peers.py` (and `bench/autograd_ref.py`), which run the same workload in HIPS autograd and JAX on the same
 * data (both sides build it from `data()` below).
 */
import { grad, valueAndGrad, vmap, hessian, jit } from "autograd-ts";
import * as np from "autograd-ts/numpy";

type NDArray = np.NDArray;

export interface Workload {
  /** Identifier shared with the Python reference's JSON output. */
  readonly key: string;
  /** Row title in the table. */
  readonly label: string;
  /** Unit of the reported number: a time per call, or a rate. */
  readonly unit: "µs" | "ms" | "GFLOP/s";
  /** For rate rows: floating-point operations per call. */
  readonly flops?: number;
  /** Key of the peers' row to compare with, when they have no row `key` (HIPS autograd has no vmap). */
  readonly referenceKey?: string;
  /** For a `jit` row: the key of the eager row computing the same thing (shown side by side, with their ratio). */
  readonly jitOf?: string;
  /** Builds the inputs (untimed) and returns the call to time. */
  readonly setup: () => () => unknown;
}

/** Deterministic data, the same formula as in the Python reference: `scale · sin(0.7·i + seed)`. */
export function data(size: number, seed: number, scale = 1): Float64Array {
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = scale * Math.sin(0.7 * i + seed);
  return out;
}

export const matrix = (rows: number, cols: number, seed: number, scale = 1): NDArray =>
  np.array(data(rows * cols, seed, scale)).reshape(rows, cols);

/** One-hot targets, example i of class i mod `classes`. */
export function oneHot(count: number, classes: number): NDArray {
  const out = new Float64Array(count * classes);
  for (let i = 0; i < count; i++) out[i * classes + (i % classes)] = 1;
  return np.array(out).reshape(count, classes);
}

/** 20 elementwise operations: ten times `x ← sin(1.1·x)` or `tanh(1.1·x)`. */
export function chain20(x: NDArray): NDArray {
  let y = x;
  for (let i = 0; i < 10; i++) y = (i % 2 === 0 ? np.sin : np.tanh)(y.mul(1.1));
  return y;
}

/** tanh written through exp: (1 − e^{−x}) / (1 + e^{−x}) (which is tanh(x/2)). */
export const tanhViaExp = (x: np.ArrayLike): NDArray => {
  const e = np.exp(np.negative(x));
  return np.subtract(1, e).div(np.add(1, e));
};

interface Layer {
  w: NDArray;
  b: NDArray;
}

/** Weights of an MLP with the given layer sizes, scaled by 1/√fan-in. */
export function mlpParams(sizes: readonly number[], seed: number): Layer[] {
  const layers: Layer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l]!;
    const fanOut = sizes[l + 1]!;
    layers.push({
      w: matrix(fanIn, fanOut, seed + l, 1 / Math.sqrt(fanIn)),
      b: np.array(data(fanOut, seed + l + 0.5, 0.1)),
    });
  }
  return layers;
}

/** log-softmax along the last axis, shifted by the maximum for stability. */
function logSoftmax(z: NDArray): NDArray {
  const shifted = z.sub(np.max(z, { axis: -1, keepdims: true }));
  return shifted.sub(np.log(np.sum(np.exp(shifted), { axis: -1, keepdims: true })));
}

/** Mean cross-entropy of a tanh MLP; works for a batch [B, in] or a single example [in]. */
export function mlpLoss(params: Layer[], x: NDArray, y: NDArray): NDArray {
  let h = x;
  params.forEach(({ w, b }, l) => {
    h = h.matmul(w).add(b);
    if (l + 1 < params.length) h = np.tanh(h);
  });
  return np.mean(np.sum(logSoftmax(h).mul(y), { axis: -1 })).neg();
}

export interface RnnParams {
  wx: NDArray;
  wh: NDArray;
  b: NDArray;
}

/** Sum of squares of the final state of a tanh RNN, h ← tanh(x_t·Wx + h·Wh + b), from h = 0. */
export function rnnLoss(params: RnnParams, xs: readonly NDArray[], batch: number, hidden: number): NDArray {
  let h = np.zeros([batch, hidden]);
  for (const x of xs) h = np.tanh(x.matmul(params.wx).add(h.matmul(params.wh)).add(params.b));
  return np.sum(h.mul(h));
}

/** Workload (g)'s parameters and inputs: hidden 128, input 64, 100 steps, batch 32. */
export function rnnSetup(): { params: RnnParams; xs: NDArray[]; batch: number; hidden: number } {
  const [batch, hidden, input, steps] = [32, 128, 64, 100];
  const params: RnnParams = {
    wx: matrix(input, hidden, 9, 1 / Math.sqrt(input)),
    wh: matrix(hidden, hidden, 10, 1 / Math.sqrt(hidden)),
    b: np.array(data(hidden, 11, 0.1)),
  };
  const xs = Array.from({ length: steps }, (_, t) => matrix(batch, input, 100 + t));
  return { params, xs, batch, hidden };
}

export const workloads: Workload[] = [
  {
    key: "tanh_grad",
    label: "(a) grad of scalar tanh-via-exp",
    unit: "µs",
    setup: () => {
      const df = grad(tanhViaExp);
      return () => df(1.0);
    },
  },
  {
    key: "tanh_grad6",
    label: "(b) 6th derivative, grad nested 6×",
    unit: "ms",
    setup: () => {
      let f: (x: number) => number | NDArray = tanhViaExp;
      for (let i = 0; i < 6; i++) f = grad(f);
      return () => f(1.0);
    },
  },
  {
    key: "tanh_grad_jit",
    label: "(a) the same, jit(grad)",
    unit: "µs",
    jitOf: "tanh_grad",
    setup: () => {
      const df = jit(grad(tanhViaExp));
      return () => df(1.0);
    },
  },
  {
    key: "tanh_grad6_jit",
    label: "(b) the same, jit of the nested grads",
    unit: "ms",
    jitOf: "tanh_grad6",
    setup: () => {
      let f: (x: number) => number | NDArray = tanhViaExp;
      for (let i = 0; i < 6; i++) f = grad(f);
      const jf = jit(f);
      return () => jf(1.0);
    },
  },
  {
    key: "mlp_step",
    label: "(c) MLP 784-512-512-10, batch 256: valueAndGrad",
    unit: "ms",
    setup: () => {
      const params = mlpParams([784, 512, 512, 10], 1);
      const x = matrix(256, 784, 2);
      const y = oneHot(256, 10);
      const step = valueAndGrad(mlpLoss);
      return () => step(params, x, y);
    },
  },
  {
    key: "mlp_step_jit",
    label: "(c) the same, jit(valueAndGrad)",
    unit: "ms",
    jitOf: "mlp_step",
    setup: () => {
      const params = mlpParams([784, 512, 512, 10], 1);
      const x = matrix(256, 784, 2);
      const y = oneHot(256, 10);
      const step = jit(valueAndGrad(mlpLoss));
      return () => step(params, x, y);
    },
  },
  {
    key: "per_example_vmap",
    label: "(d) per-example grads, MLP 784-128-10, batch 64: vmap(grad)",
    unit: "ms",
    referenceKey: "per_example_loop",
    setup: () => {
      const params = mlpParams([784, 128, 10], 3);
      const xs = matrix(64, 784, 4);
      const ys = oneHot(64, 10);
      const perExample = vmap(grad(mlpLoss), { inAxes: [null, 0, 0] });
      return () => perExample(params, xs, ys);
    },
  },
  {
    key: "per_example_loop",
    label: "(d) per-example grads, same, loop of 64 grad calls",
    unit: "ms",
    setup: () => {
      const params = mlpParams([784, 128, 10], 3);
      const xs = matrix(64, 784, 4);
      const ys = oneHot(64, 10);
      // Rows are split outside the timed call, in the Python reference too.
      const rows = Array.from({ length: 64 }, (_, i) => [xs.get(i), ys.get(i)] as const);
      const g = grad(mlpLoss);
      return () => rows.map(([x, y]) => g(params, x, y));
    },
  },
  {
    key: "hessian",
    label: "(e) 100×100 Hessian of sum(tanh(A x))",
    unit: "ms",
    setup: () => {
      const A = matrix(100, 100, 5, 0.1);
      const x = np.array(data(100, 6));
      const H = hessian((v: NDArray) => np.sum(np.tanh(A.matmul(v))));
      return () => H(x);
    },
  },
  {
    key: "hessian_jit",
    label: "(e) the same, jit(hessian)",
    unit: "ms",
    jitOf: "hessian",
    setup: () => {
      const A = matrix(100, 100, 5, 0.1);
      const x = np.array(data(100, 6));
      const H = jit(hessian((v: NDArray) => np.sum(np.tanh(A.matmul(v)))));
      return () => H(x);
    },
  },
  {
    key: "matmul",
    label: "(f) 512×512 matmul, np.matmul eager",
    unit: "GFLOP/s",
    flops: 2 * 512 ** 3,
    setup: () => {
      const a = matrix(512, 512, 7);
      const b = matrix(512, 512, 8);
      return () => np.matmul(a, b);
    },
  },
  {
    key: "rnn_grad",
    label: "(g) RNN tanh, hidden 128, input 64, 100 steps, batch 32: grad",
    unit: "ms",
    setup: () => {
      const { params, xs, batch, hidden } = rnnSetup();
      const g = grad((p: RnnParams) => rnnLoss(p, xs, batch, hidden));
      return () => g(params);
    },
  },
  {
    key: "rnn_grad_jit",
    label: "(g) the same, jit(grad)",
    unit: "ms",
    jitOf: "rnn_grad",
    setup: () => {
      const { params, xs, batch, hidden } = rnnSetup();
      const g = jit(grad((p: RnnParams) => rnnLoss(p, xs, batch, hidden)));
      return () => g(params);
    },
  },
  {
    key: "chain20",
    label: "(h) 20 elementwise ops (sin/tanh, mul) on 1e6 float64",
    unit: "ms",
    setup: () => {
      const x = np.array(data(1_000_000, 12));
      return () => chain20(x);
    },
  },
  {
    key: "chain20_jit",
    label: "(h) the same, jit",
    unit: "ms",
    jitOf: "chain20",
    setup: () => {
      const x = np.array(data(1_000_000, 12));
      const f = jit(chain20);
      return () => f(x);
    },
  },
];
