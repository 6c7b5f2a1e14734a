/**
 * @file Equation counts of the benchmark programs before and after each compiler pass
 * (`npx tsx bench/compiler-counts.ts`): W1 grad, W1b 6th derivative, W5 Hessian, W3 MLP, W7 RNN.
 */
import { grad, hessian, makeJaxpr, valueAndGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { countEqns } from "../src/core/jaxpr.ts";
import { cse, dce, optimize } from "../src/compiler/index.ts";
import { stagedWorkloads } from "./compiler-workloads.ts";

for (const w of stagedWorkloads()) {
  const closed = w.closed;
  const n0 = countEqns(closed.jaxpr);
  const n1 = countEqns(cse(dce(closed)).jaxpr);
  const opt = optimize(closed);
  const n2 = countEqns(opt.jaxpr);
  console.log(`${w.key.padEnd(8)} staged ${String(n0).padStart(6)}  dce+cse ${String(n1).padStart(6)}  pipeline ${String(n2).padStart(6)}  consts ${closed.consts.length} → ${opt.consts.length}`);
}
void grad; void hessian; void makeJaxpr; void valueAndGrad; void np;
