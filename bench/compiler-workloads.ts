/**
 * @file The benchmark workloads (bench/workloads.ts) as staged programs with their arguments, for
 * the compiler's equation counts and timings: W1 grad of tanh-via-exp, W1b its 6th derivative, W5
 * the 100×100 Hessian, W3 the MLP value and gradient, W7 the RNN gradient, and a chain of 20
 * elementwise operations on 10⁶ float64 values (transcendental, and plain arithmetic).
 */
import { grad, hessian, makeJaxpr, valueAndGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import type { ClosedJaxpr } from "../src/core/jaxpr.ts";
import type { ConcreteArray, NDArray } from "../src/core/ndarray.ts";
import { flatten, type Tree } from "../src/tree/index.ts";
import { chain20, data, matrix, mlpLoss, mlpParams, oneHot, rnnLoss, rnnSetup, tanhViaExp, type RnnParams } from "./workloads.ts";

export interface StagedWorkload {
  readonly key: string;
  readonly label: string;
  readonly closed: ClosedJaxpr;
  /** The program's flat inputs. */
  readonly args: ConcreteArray[];
}

export { chain20 };

/** 20 cheap elementwise operations: ten times `x ← 0.9·x + 0.1` (memory-bound where sin/tanh are not). */
export function chain20Arith(x: NDArray): NDArray {
  let y = x;
  for (let i = 0; i < 10; i++) y = y.mul(0.9).add(0.1);
  return y;
}

function stage(key: string, label: string, f: (...a: never[]) => unknown, args: unknown[]): StagedWorkload {
  const j = makeJaxpr(f as (...a: unknown[]) => unknown)(...args);
  const leaves = flatten(args as Tree)[0].map((l) => (typeof l === "number" ? np.array(l) : l)) as ConcreteArray[];
  return { key, label, closed: j.closed, args: leaves };
}

/** Stages each workload at its benchmark inputs. */
export function stagedWorkloads(): StagedWorkload[] {
  let g6: (x: number) => unknown = tanhViaExp as (x: number) => unknown;
  for (let i = 0; i < 6; i++) g6 = grad(g6 as never) as (x: number) => unknown;
  const A = matrix(100, 100, 5, 0.1);
  const { params: rnn, xs, batch, hidden } = rnnSetup();
  return [
    stage("W1", "grad of scalar tanh-via-exp", grad(tanhViaExp) as never, [1.0]),
    stage("W1b", "6th derivative (nested grad)", g6 as never, [1.0]),
    stage("W5", "Hessian 100×100 of sum(tanh(Ax))", hessian((v: NDArray) => np.sum(np.tanh(A.matmul(v)))) as never, [np.array(data(100, 6))]),
    stage("W3", "MLP 784-512-512-10 batch 256, value+grad", valueAndGrad(mlpLoss) as never, [mlpParams([784, 512, 512, 10], 1), matrix(256, 784, 2), oneHot(256, 10)]),
    stage("W7", "RNN T=100 H=128 B=32, grad", grad((p: RnnParams) => rnnLoss(p, xs, batch, hidden)) as never, [rnn]),
    stage("chain20", "20 elementwise ops (sin/tanh, mul) on 1e6 f64", chain20 as never, [np.array(data(1_000_000, 12))]),
    stage("chain20a", "20 elementwise ops (mul, add) on 1e6 f64", chain20Arith as never, [np.array(data(1_000_000, 12))]),
  ];
}
