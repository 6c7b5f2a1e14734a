/**
 * @file Notebook 13: a neural ODE (autograd's `ode_net` example): an MLP as the vector field of
 * an ODE, trained through `scipy.integrate.odeint` to reproduce an observed spiral trajectory.
 * Run: `npx tsx notebooks/13-ode-net.ts [--quick]`.
 */

/*
 * # Learning a vector field through an ODE solver
 *
 * The data is one trajectory of the decaying spiral
 *
 *     dy/dt = y A,   A = [[−0.1, 2], [−2, −0.1]],   y(0) = (2, 0),
 *
 * sampled at 60 times over two turns. The model is dy/dt = MLP(y), a 2-50-2 tanh network, which
 * knows nothing of the linear structure; its prediction is the
 * `odeint` solution from the same starting point, and the loss the mean squared distance to the
 * samples. `grad` differentiates through every step of the adaptive Dormand–Prince solver (the
 * steps are those the solver chose), and `adam` follows that gradient.
 */
import { join } from "node:path";
import { grad, valueAndGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { integrate } from "autograd-ts/scipy";
import { adam } from "autograd-ts/optimizers";
import { main, outDir, type RunOptions } from "./lib/mode.ts";
import { linePlot } from "./lib/plot.ts";
import { Rng } from "./lib/random.ts";
import { Report } from "./lib/report.ts";

type A = np.NDArray;
interface Params {
  w1: A;
  b1: A;
  w2: A;
  b2: A;
}

export interface OdeNetResult {
  /** Mean squared error of the trajectory before and after training. */
  readonly initialLoss: number;
  readonly finalLoss: number;
  /** The gradient along a random direction against central differences (relative difference). */
  readonly gradCheckRelErr: number;
  readonly files: readonly string[];
}

export async function run(opts: RunOptions): Promise<OdeNetResult> {
  const dir = outDir(opts);
  const iters = opts.quick ? 25 : 1000;
  const samples = 60;

  /* ## The data: the true spiral, solved tightly. */
  const Atrue = np.array([[-0.1, 2], [-2, -0.1]]);
  const t = np.linspace(0, 6, samples);
  const y0 = np.array([2, 0]);
  const truth = integrate.odeint((y: A) => np.matmul(y, Atrue), y0, t, { rtol: 1e-10, atol: 1e-10 });

  /* ## The model: an MLP vector field, solved with looser tolerances while training. */
  const rng = new Rng(13);
  const hidden = 50;
  const init: Params = {
    w1: np.array(rng.normals(2 * hidden, 0.5)).reshape(2, hidden),
    b1: np.zeros([hidden]),
    w2: np.array(rng.normals(hidden * 2, 0.1)).reshape(hidden, 2),
    b2: np.zeros([2]),
  };
  const field = (p: Params) => (y: A) => np.matmul(np.tanh(np.matmul(y, p.w1).add(p.b1)), p.w2).add(p.b2);
  const predict = (p: Params) => integrate.odeint(field(p), y0, t, { rtol: 1e-6, atol: 1e-6 });
  const loss = (p: Params) => np.mean(np.square(predict(p).sub(truth)));

  /* ## Is the gradient through the solver right? Central differences along a random direction. */
  const dirs: Params = { w1: np.array(rng.normals(2 * hidden)).reshape(2, hidden), b1: np.array(rng.normals(hidden)), w2: np.array(rng.normals(hidden * 2)).reshape(hidden, 2), b2: np.array(rng.normals(2)) };
  const g0 = grad(loss)(init) as Params;
  const along = (p: Params, s: number): Params => ({ w1: p.w1.add(dirs.w1.mul(s)), b1: p.b1.add(dirs.b1.mul(s)), w2: p.w2.add(dirs.w2.mul(s)), b2: p.b2.add(dirs.b2.mul(s)) });
  const h = 1e-5;
  const fd = (loss(along(init, h)).item() - loss(along(init, -h)).item()) / (2 * h);
  const analytic = (["w1", "b1", "w2", "b2"] as const).reduce((acc, k) => acc + np.sum(g0[k].mul(dirs[k])).item(), 0);
  const gradCheckRelErr = Math.abs(fd - analytic) / Math.abs(analytic);
  console.log(`gradient through odeint vs central differences: relative difference ${gradCheckRelErr.toExponential(2)}`);

  /* ## Training */
  const losses: number[] = [];
  const vg = valueAndGrad(loss);
  const trained = adam(
    (p: Params) => {
      const [v, g] = vg(p) as [A, Params];
      losses.push(v.item());
      return g;
    },
    init,
    { numIters: iters, stepSize: 0.01 },
  ) as Params;
  const initialLoss = losses[0]!;
  const finalLoss = loss(trained).item();
  console.log(`trajectory MSE ${initialLoss.toFixed(4)} → ${finalLoss.toExponential(2)} in ${iters} adam steps`);

  /* ## Pictures: the phase portrait, and the loss. */
  const col = (y: A, j: number) => y.get(":", j).toArray() as number[];
  const fitted = predict(trained);
  const phase = await linePlot({
    file: join(dir, "13-ode-net-phase"),
    title: "A neural ODE trained through odeint: observed spiral and learned trajectory",
    xLabel: "y₁",
    yLabel: "y₂",
    inOrder: true,
    series: [
      { name: "observed trajectory", x: col(truth, 0), y: col(truth, 1) },
      { name: "learned ODE, solved from the same start", x: col(fitted, 0), y: col(fitted, 1), dashed: true },
      { name: "untrained ODE", x: col(predict(init), 0), y: col(predict(init), 1) },
    ],
  });
  const lossPlot = await linePlot({
    file: join(dir, "13-ode-net-loss"),
    title: "Trajectory mean squared error during training",
    xLabel: "adam iteration",
    yLabel: "MSE (log scale)",
    logY: true,
    series: [{ name: "loss", x: losses.map((_, i) => i), y: losses }],
  });
  const report = new Report("13 — a neural ODE through odeint")
    .text(
      `A 2-${hidden}-2 tanh MLP as the vector field of an ODE, trained by \`adam\` (${iters} steps) on the gradient through ` +
        "`scipy.integrate.odeint` (adaptive Dormand–Prince) to reproduce a decaying spiral sampled at " + `${samples} times.`,
    )
    .numbers({ "gradient vs central differences": gradCheckRelErr, "initial MSE": initialLoss, "final MSE": finalLoss })
    .image(phase.png, "phase portrait")
    .image(lossPlot.png, "loss")
    .write(dir, "13-ode-net");
  console.log(`wrote ${phase.png}, ${lossPlot.png} and ${report}`);
  return { initialLoss, finalLoss, gradCheckRelErr, files: [phase.png, phase.svg, lossPlot.png, lossPlot.svg, report] };
}

main(import.meta.url, run);
