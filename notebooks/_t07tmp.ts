import { valueAndGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { adam } from "autograd-ts/optimizers";
import { simulate, targetImage, initialSmoke, type Velocity } from "./07-fluid.ts";
import { imageGrid } from "./lib/plot.ts";
const [n, steps, iters, lr, radius] = process.argv.slice(2).map(Number) as number[];
const target = np.array(targetImage(n!)).reshape(n!, n!);
const smoke0 = np.array(initialSmoke(n!, radius)).reshape(n!, n!);
console.log("mass target", np.sum(target).item(), "smoke", np.sum(smoke0).item());
const loss = (v: Velocity) => np.mean(np.square(simulate(v, smoke0, steps!).sub(target)));
const vg = valueAndGrad(loss);
const t0 = performance.now();
const best = adam((v: Velocity, i: number) => { const [l, g] = vg(v); if (i % 5 === 0) console.log(i, (l as any).item().toExponential(3), ((performance.now()-t0)/1000).toFixed(1)); return g; },
  { vr: np.zeros([n!, n!]), vc: np.zeros([n!, n!]) }, { numIters: iters, stepSize: lr });
const res = simulate(best, smoke0, steps!);
console.log("final", np.mean(np.square(res.sub(target))).item().toExponential(3));
const flat = (a: np.NDArray) => Float64Array.from((a.toArray() as number[][]).flat());
await imageGrid({ file: "/tmp/exp07", images: [flat(smoke0), flat(res), flat(target)], width: n!, height: n!, pixel: 4 });
