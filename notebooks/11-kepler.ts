/**
 * @file Notebook 11: an iterative solver with a data-dependent number of steps (Newton's method for
 * Kepler's equation in `lax.whileLoop`), batched with `vmap` and differentiated in reverse mode,
 * checked against the implicit-function derivatives.
 * Run: `npx tsx notebooks/11-kepler.ts [--quick]`.
 */

/*
 * # Kepler's equation: differentiating through a loop that stops when it is done
 *
 * A planet on an ellipse of eccentricity e is at eccentric anomaly E when its mean anomaly (the
 * time, as an angle) is M, where
 *
 *     E − e·sin E = M.
 *
 * There is no closed form for E(M, e); Newton's method solves it,
 *
 *     E ← E − (E − e sin E − M) / (1 − e cos E),
 *
 * and stops when the residual is below a tolerance: two or three steps for a nearly circular orbit,
 * a dozen near e = 1. Written with a JS `while` that is fine under `grad`, but under `vmap` every
 * orbit in the batch would need its own number of steps. `lax.whileLoop` handles that the way
 * JAX's batching does: the batch keeps stepping until no member's condition holds, and members
 * that are done keep their value. Unlike JAX's `while_loop`, ours is differentiable in reverse
 * mode, because the steps actually run and are recorded; so `vmap(grad(E))` works, and we can check
 * it against what the implicit function theorem says the derivatives must be:
 *
 *     ∂E/∂M = 1 / (1 − e cos E),   ∂E/∂e = sin E / (1 − e cos E),
 *     ∂²E/∂M² = −e sin E / (1 − e cos E)³.
 *
 * One caveat, which this notebook measures: differentiating a loop gives the derivative of the
 * *algorithm*, and an orbit whose starting guess already solves the equation (E = π at M = π) takes
 * no step, so its "derivative" is that of the starting guess — 0. The cure is cheap: a Newton step
 * N(E) = E − f(E)/f′(E) taken at the solution has ∂N/∂E = f·f″/f′² = 0 there, so its derivative
 * in (M, e) is exactly the implicit one whatever path led to E. Two extra steps after the loop make
 * first and second derivatives those of the solution.
 */
import { join } from "node:path";
import { grad, lax, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { main, outDir, type RunOptions } from "./lib/mode.ts";
import { linePlot } from "./lib/plot.ts";
import { Report } from "./lib/report.ts";

type A = np.NDArray;

/** One Newton step for E − e sin E = M. */
const newtonStep = (E: A, M: A, e: A): A => E.sub(E.sub(np.sin(E).mul(e)).sub(M).div(np.subtract(1, np.cos(E).mul(e))));

/**
 * Newton's method for E − e sin E = M until the residual is below 1e-14, from E = π when e > 0.8
 * (where E = M converges slowly), then `polish` more steps; with the step count.
 */
export function kepler(M: A, e: A, polish = 2): { E: A; steps: A } {
  const residual = (E: A) => E.sub(np.sin(E).mul(e)).sub(M);
  const start = np.where(e.gt(0.8), Math.PI, M);
  let [E, steps] = lax.whileLoop(
    ([E, k]: [A, A]) => np.logicalAnd(np.abs(residual(E)).gt(1e-14), k.lt(50)),
    ([E, k]: [A, A]) => [newtonStep(E, M, e), k.add(1)] as [A, A],
    [start, np.array(0)] as [A, A],
  );
  for (let i = 0; i < polish; i++) E = newtonStep(E, M, e);
  return { E, steps };
}

export interface KeplerResult {
  /** max over the grid of |E − e sin E − M|. */
  readonly residual: number;
  /** max relative error of vmap(grad) against the implicit derivatives ∂E/∂M, ∂E/∂e, ∂²E/∂M². */
  readonly dMErr: number;
  /** The same for ∂E/∂M without the polishing steps (the derivative of the path, 1 where no step is taken). */
  readonly dMErrUnpolished: number;
  readonly deErr: number;
  readonly d2MErr: number;
  /** vmap(grad) against a loop of grad calls: max difference, and the two times (ms). */
  readonly vmapVsLoop: number;
  readonly vmapMs: number;
  readonly loopMs: number;
  /** Newton steps per eccentricity: the most any member of the batch needed. */
  readonly maxSteps: readonly number[];
  readonly files: readonly string[];
}

export async function run(opts: RunOptions): Promise<KeplerResult> {
  const dir = outDir(opts);

  /*
   * ## One batch for every (e, M)
   *
   * Mean anomalies on a grid over [0, 2π) for four eccentricities, solved in one `vmap(vmap(…))`
   * call: the inner vmap runs over M, the outer over e.
   */
  const eccentricities = [0.1, 0.5, 0.9, 0.99];
  const count = opts.quick ? 60 : 400;
  const Ms = np.linspace(0, 2 * Math.PI, count, { endpoint: false });
  const es = np.array(eccentricities);
  const solveE = (M: A, e: A) => kepler(M, e).E;
  const grid = vmap((e: A) => vmap((M: A) => kepler(M, e), { inAxes: 0 })(Ms))(es) as { E: A; steps: A };
  const E = grid.E;
  const residual = np.max(np.abs(E.sub(np.sin(E).mul(es.reshape(4, 1))).sub(Ms))).item();
  const maxSteps = (np.max(grid.steps, { axis: 1 }).toArray() as number[]).map(Number);
  console.log(`max residual |E − e sin E − M| = ${residual.toExponential(2)}`);
  console.log(`Newton steps (most in the batch) for e = ${eccentricities.join(", ")}: ${maxSteps.join(", ")}`);

  /*
   * ## Derivatives through the loop
   *
   * `grad` runs the same loop with its steps recorded and transposes them; under `vmap` each orbit
   * stops contributing once it has converged. The implicit derivatives need only the converged E.
   */
  const perPoint = (f: (M: A, e: A) => A) => vmap((e: A) => vmap((M: A) => f(M, e))(Ms))(es);
  const dM = perPoint(grad(solveE, { argnums: 0 }) as (M: A, e: A) => A);
  const de = perPoint(grad(solveE, { argnums: 1 }) as (M: A, e: A) => A);
  const d2M = perPoint(grad(grad(solveE, { argnums: 0 }), { argnums: 0 }) as (M: A, e: A) => A);
  const eCol = es.reshape(4, 1);
  const denom = np.subtract(1, np.cos(E).mul(eCol));
  const relErr = (got: A, want: A) => np.max(np.abs(got.sub(want)).div(np.abs(want).add(1e-300))).item();
  const dMErr = relErr(dM, np.divide(1, denom));
  const dMRaw = perPoint(grad((M: A, e: A) => kepler(M, e, 0).E, { argnums: 0 }) as (M: A, e: A) => A);
  const dMErrUnpolished = relErr(dMRaw, np.divide(1, denom));
  const deErr = np.max(np.abs(de.sub(np.sin(E).div(denom)))).item();
  const d2MErr = np.max(np.abs(d2M.sub(np.sin(E).mul(eCol).neg().div(denom.pow(3))))).item() / np.max(np.abs(d2M)).item();
  console.log(`∂E/∂M:   max relative error vs 1/(1 − e cos E)          = ${dMErr.toExponential(2)} (without the polishing steps: ${dMErrUnpolished.toExponential(2)})`);
  console.log(`∂E/∂e:   max error vs sin E/(1 − e cos E)                = ${deErr.toExponential(2)}`);
  console.log(`∂²E/∂M²: max error vs −e sin E/(1 − e cos E)³ (relative) = ${d2MErr.toExponential(2)}`);

  /*
   * ## Batched against a loop
   *
   * The same derivatives one orbit at a time, with a JS loop of `grad` calls: the values agree to
   * rounding, and the batched call is faster because each step is one array operation for all
   * orbits instead of one per orbit.
   */
  const dEdM = grad(solveE, { argnums: 0 }) as (M: A, e: A) => A;
  const e99 = np.array(0.99);
  const Mlist = Array.from({ length: count }, (_, i) => Ms.get(i));
  let t = performance.now();
  const looped = np.stack(Mlist.map((M) => dEdM(M, e99)));
  const loopMs = performance.now() - t;
  t = performance.now();
  const batched = vmap((M: A) => dEdM(M, e99))(Ms);
  const vmapMs = performance.now() - t;
  const vmapVsLoop = np.max(np.abs(batched.sub(looped))).item();
  console.log(`vmap(grad) vs a loop of grad at e = 0.99: max difference ${vmapVsLoop.toExponential(2)}, ${vmapMs.toFixed(1)} ms vs ${loopMs.toFixed(1)} ms`);

  /* ## Pictures: E(M) and ∂E/∂M for each eccentricity. */
  const M = Ms.toArray() as number[];
  const rows = (x: A) => x.toArray() as number[][];
  const anomaly = await linePlot({
    file: join(dir, "11-kepler-anomaly"),
    title: "Kepler's equation solved by Newton's method in lax.whileLoop, one vmap(vmap) call",
    xLabel: "mean anomaly M",
    yLabel: "eccentric anomaly E",
    series: eccentricities.map((e, i) => ({ name: `e = ${e}`, x: M, y: rows(E)[i]! })),
  });
  const slope = await linePlot({
    file: join(dir, "11-kepler-derivative"),
    title: "∂E/∂M by vmap(grad) through the loop (lines) and 1/(1 − e cos E) (dashed)",
    xLabel: "mean anomaly M",
    yLabel: "∂E/∂M (log scale)",
    logY: true,
    series: eccentricities.flatMap((e, i) => [
      { name: `e = ${e}`, x: M, y: rows(dM)[i]! },
      { name: `e = ${e}, implicit`, x: M, y: rows(np.divide(1, denom))[i]!, dashed: true },
    ]),
  });
  const report = new Report("11 — Kepler's equation: a loop that stops when it is done, batched and differentiated")
    .text(
      "Newton's method for E − e sin E = M in `lax.whileLoop`, over a grid of mean anomalies and four eccentricities in one " +
        "`vmap(vmap(…))` call (each orbit takes its own number of steps); `vmap(grad)` through the loop against the " +
        "implicit-function derivatives.",
    )
    .numbers({
      "max residual": residual,
      "max Newton steps, e = 0.1 / 0.5 / 0.9 / 0.99": maxSteps.join(" / "),
      "∂E/∂M max relative error": dMErr,
      "∂E/∂M max relative error without the 2 polishing steps": dMErrUnpolished,
      "∂E/∂e max error": deErr,
      "∂²E/∂M² max relative error": d2MErr,
      "vmap(grad) vs loop of grad, max difference": vmapVsLoop,
      "vmap(grad) ms": vmapMs,
      "loop of grad ms": loopMs,
    })
    .image(anomaly.png, "E(M)")
    .image(slope.png, "dE/dM")
    .write(dir, "11-kepler");
  console.log(`wrote ${anomaly.png}, ${slope.png} and ${report}`);
  return {
    residual,
    dMErr,
    dMErrUnpolished,
    deErr,
    d2MErr,
    vmapVsLoop,
    vmapMs,
    loopMs,
    maxSteps,
    files: [anomaly.png, anomaly.svg, slope.png, slope.svg, report],
  };
}

main(import.meta.url, run);
