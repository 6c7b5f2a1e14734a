import { grad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
const tanh = (x: np.NDArray) => { const y = np.exp(x.neg()); return np.subtract(1, y).div(np.add(1, y)); };
const g = grad(tanh);
for (let r = 0; r < 3; r++) {
  const N = 20000; const t0 = performance.now();
  for (let i = 0; i < N; i++) g(0.1 * (i % 10));
  console.log("grad µs/call", ((performance.now() - t0) * 1000 / N).toFixed(2));
}
let d: any = tanh; for (let i = 0; i < 6; i++) d = grad(d);
for (let r = 0; r < 3; r++) { const t0 = performance.now(); for (let i = 0; i < 5; i++) d(0.3); console.log("6th ms", ((performance.now()-t0)/5).toFixed(2)); }
