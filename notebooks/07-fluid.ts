/**
 * @file Notebook 07: backpropagation through a 2-D incompressible fluid simulation, optimising the
 * initial velocity field so that the smoke draws a target picture. Run: `npx tsx notebooks/07-fluid.ts [--quick]`.
 */

/*
 * # Steering smoke by differentiating a fluid simulation
 *
 * autograd's `fluidsim.py`, in TypeScript. The simulator is Jos Stam's "stable fluids" on a periodic
 * grid, written with nothing but array operations:
 *
 * - **advection** is semi-Lagrangian: each cell looks back along the velocity to the point its
 *   contents came from, and reads that point by bilinear interpolation between the four
 *   surrounding cells (fancy indexing, `f.get(rows, cols)`);
 * - **pressure projection** makes the velocity divergence-free (incompressible) with a few Jacobi
 *   iterations of the Poisson equation, neighbours taken with `np.roll` (periodic boundaries).
 *
 * One time step advects the velocity by itself, projects it, and advects the smoke. We run many
 * steps, compare the final smoke with a target picture, and ask `valueAndGrad` for the derivative
 * of that mismatch with respect to every number of the *initial* velocity field — through every
 * step, interpolation and Jacobi sweep. Adam then follows the gradient.
 *
 * Where is the derivative? `np.floor` of the looked-back position has derivative zero, and the
 * integer indices it gives carry none; but the interpolation weights (the fractional parts) and the
 * gathered values are smooth functions of the velocity, and that is where the gradient flows.
 */
import { join } from "node:path";
import { valueAndGrad } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { adam } from "autograd-ts/optimizers";
import { writeGif } from "./lib/gif.ts";
import { main, outDir, type RunOptions } from "./lib/mode.ts";
import { imageGrid, linePlot } from "./lib/plot.ts";
import { progress } from "./lib/progress.ts";
import { Rng } from "./lib/random.ts";
import { Report } from "./lib/report.ts";

/** A velocity field: `vr` moves along the rows (down), `vc` along the columns (right), in cells per step. */
export type Velocity = {
  readonly vr: np.NDArray;
  readonly vc: np.NDArray;
};

/** The row and column number of every cell of an n × n grid (int32; subtracting a velocity makes floats). */
function cellCoordinates(n: number): [rows: np.NDArray, cols: np.NDArray] {
  const [rows, cols] = np.meshgrid(np.arange(n), np.arange(n), { indexing: "ij" });
  return [rows!, cols!];
}

/*
 * ## Advection
 *
 * Cell (r, c) takes the value found at (r − vr, c − vc). With r₀ = ⌊r − vr⌋ and the fractional part
 * wr = (r − vr) − r₀ (the same for columns), bilinear interpolation is
 *
 *     (1 − wr)·[(1 − wc)·f[r₀, c₀] + wc·f[r₀, c₁]] + wr·[(1 − wc)·f[r₁, c₀] + wc·f[r₁, c₁]]
 *
 * with r₁ = r₀ + 1, all indices taken modulo n (periodic). The same positions and weights serve
 * every field moved by one velocity, so `interpolator` computes them once and returns the function
 * that moves a field.
 */

/** The function that moves a field one step along `v` (semi-Lagrangian, bilinear, periodic). */
export function interpolator(v: Velocity): (f: np.NDArray) => np.NDArray {
  const n = v.vr.shape[0]!;
  const [rows, cols] = cellCoordinates(n);
  const fromR = rows.sub(v.vr);
  const fromC = cols.sub(v.vc);
  const floorR = np.floor(fromR);
  const floorC = np.floor(fromC);
  const wr = fromR.sub(floorR);
  const wc = fromC.sub(floorC);
  const r0 = np.mod(floorR.astype("int32"), n);
  const c0 = np.mod(floorC.astype("int32"), n);
  const r1 = np.mod(r0.add(1), n);
  const c1 = np.mod(c0.add(1), n);
  const wr0 = np.subtract(1, wr);
  const wc0 = np.subtract(1, wc);
  return (f) => {
    const top = f.get(r0, c0).mul(wc0).add(f.get(r0, c1).mul(wc));
    const bottom = f.get(r1, c0).mul(wc0).add(f.get(r1, c1).mul(wc));
    return top.mul(wr0).add(bottom.mul(wr));
  };
}

/*
 * ## Pressure projection
 *
 * An incompressible flow has zero divergence. We solve the Poisson equation ∇²p = ∇·v for a
 * pressure p with Jacobi iterations (each cell becomes the mean of its four neighbours plus the
 * local divergence) and subtract the pressure gradient from the velocity. Central differences and
 * neighbours are `np.roll`s, which make the domain periodic. As in autograd's example, a fixed
 * small number of sweeps: only approximately divergence-free, but cheap and smooth.
 */

const JACOBI_SWEEPS = 10;

/** The velocity with (approximately) its divergent part removed. */
export function project(v: Velocity): Velocity {
  const n = v.vr.shape[0]!;
  const h = 1 / n;
  const shift = (x: np.NDArray, k: number, axis: number) => np.roll(x, k, { axis });
  // Central difference along an axis: x[i + 1] − x[i − 1].
  const delta = (x: np.NDArray, axis: number) => shift(x, -1, axis).sub(shift(x, 1, axis));
  const div = delta(v.vr, 0).add(delta(v.vc, 1)).mul(-0.5 * h);
  let p = np.zerosLike(v.vr);
  for (let k = 0; k < JACOBI_SWEEPS; k++) {
    const neighbours = shift(p, 1, 0).add(shift(p, -1, 0)).add(shift(p, 1, 1)).add(shift(p, -1, 1));
    p = div.add(neighbours).div(4);
  }
  return { vr: v.vr.sub(delta(p, 0).mul(0.5 / h)), vc: v.vc.sub(delta(p, 1).mul(0.5 / h)) };
}

/*
 * ## The simulation
 *
 * Each step moves the velocity along itself, projects it, and moves the smoke along the result.
 * `onStep` (used only outside the gradient) sees the smoke before the first step and after each.
 */

/** The smoke after `steps` steps of the fluid started with velocity `v0` and smoke `smoke0`. */
export function simulate(
  v0: Velocity,
  smoke0: np.NDArray,
  steps: number,
  onStep?: (smoke: np.NDArray, step: number) => void,
): np.NDArray {
  let v = v0;
  let smoke = smoke0;
  onStep?.(smoke, 0);
  for (let t = 0; t < steps; t++) {
    const moveByV = interpolator(v);
    v = project({ vr: moveByV(v.vr), vc: moveByV(v.vc) });
    smoke = interpolator(v)(smoke);
    onStep?.(smoke, t + 1);
  }
  return smoke;
}

/*
 * ## Pictures drawn procedurally
 *
 * No image files: the target is the symbol ∂ drawn with a round pen along a circle and a Bézier
 * curve, and the initial smoke is a disc in the middle holding about as much smoke. Both are
 * defined on the unit square and rasterised at any grid size with 4 × 4 samples per cell.
 */

type Point = readonly [x: number, y: number];

/** Points along the strokes of ∂ in the unit square (x right, y down). */
function partialStrokes(): Point[] {
  const pts: Point[] = [];
  const bowl = { cx: 0.44, cy: 0.64, r: 0.18 };
  for (let i = 0; i < 200; i++) {
    const a = (2 * Math.PI * i) / 200;
    pts.push([bowl.cx + bowl.r * Math.cos(a), bowl.cy + bowl.r * Math.sin(a)]);
  }
  // The stem: a cubic Bézier from the bowl's right side, up and curling over to the left.
  const b: Point[] = [
    [0.62, 0.66],
    [0.68, 0.3],
    [0.5, 0.1],
    [0.28, 0.2],
  ];
  for (let i = 0; i <= 200; i++) {
    const t = i / 200;
    const w = [(1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t ** 3];
    pts.push([w.reduce((s, wk, k) => s + wk * b[k]![0], 0), w.reduce((s, wk, k) => s + wk * b[k]![1], 0)]);
  }
  return pts;
}

/** Rasterises `inside(x, y)` (unit square) on an n × n grid, each cell the fraction of its 4 × 4 samples inside. */
export function rasterise(n: number, inside: (x: number, y: number) => boolean): Float64Array {
  const out = new Float64Array(n * n);
  const k = 4;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      let hits = 0;
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (inside((c + (j + 0.5) / k) / n, (r + (i + 0.5) / k) / n)) hits++;
      out[r * n + c] = hits / (k * k);
    }
  }
  return out;
}

/** The target: ∂ drawn with a round pen of half-width `pen` (unit-square units). */
export function targetImage(n: number, pen = 0.055): Float64Array {
  const pts = partialStrokes();
  return rasterise(n, (x, y) => pts.some(([px, py]) => (x - px) ** 2 + (y - py) ** 2 <= pen * pen));
}

/** The initial smoke: a disc of radius `radius` in the middle (0.25 holds about as much smoke as the ∂). */
export function initialSmoke(n: number, radius = 0.25): Float64Array {
  return rasterise(n, (x, y) => (x - 0.5) ** 2 + (y - 0.5) ** 2 <= radius * radius);
}

export interface FluidResult {
  readonly gridSize: number;
  readonly steps: number;
  readonly iterations: number;
  /** Mean squared difference from the target with zero initial velocity (the smoke stays put). */
  readonly initialLoss: number;
  /** The same after optimising the initial velocity. */
  readonly finalLoss: number;
  /** |directional derivative − central difference| / |central difference| at a random velocity. */
  readonly gradCheckRelErr: number;
  readonly losses: readonly number[];
  readonly seconds: number;
  readonly files: readonly string[];
}

export async function run(opts: RunOptions): Promise<FluidResult> {
  const dir = outDir(opts);
  const t0 = performance.now();

  /*
   * ## Settings
   *
   * autograd's example runs 100 steps and 25 iterations of conjugate gradients. Full mode here is a
   * 64 × 64 grid, 60 steps and 60 Adam iterations (about two minutes); quick mode (for tests) a
   * 20 × 20 grid, 12 steps and 10 iterations: a few seconds, enough to see the loss fall.
   */
  const cfg = opts.quick ? { n: 20, steps: 12, iters: 10, stepSize: 0.1 } : { n: 64, steps: 60, iters: 60, stepSize: 0.1 };
  const { n, steps } = cfg;
  const target = np.array(targetImage(n)).reshape(n, n);
  const smoke0 = np.array(initialSmoke(n)).reshape(n, n);

  /*
   * ## The objective
   *
   * The parameters are the two components of the initial velocity, a plain object (a tree), so
   * `adam` and `valueAndGrad` take them as they are. The loss is autograd's: the mean squared
   * difference between the final smoke and the target.
   */
  const loss = (v: Velocity) => np.mean(np.square(simulate(v, smoke0, steps).sub(target)));
  const lossAndGrad = valueAndGrad(loss);

  /*
   * ## Is the gradient right?
   *
   * At a random velocity field, the directional derivative ⟨∇loss, d⟩ along a random direction d
   * must match the central difference (loss(v + εd) − loss(v − εd)) / 2ε. The loss is only
   * piecewise smooth: its slope jumps wherever a looked-back position crosses a cell boundary, and
   * a big grid run for many steps has hundreds of thousands of them. ε must be small enough that
   * hardly any lie within ±εd (at ε = 1e-5 on the full grid some do, and the difference quotient is
   * off by about 1e-3), yet large enough for rounding (about 1e-16/ε relative): ε = 1e-7.
   */
  const rng = new Rng(7);
  const randomField = (scale: number) => np.array(rng.normals(n * n, scale)).reshape(n, n);
  const vRandom: Velocity = { vr: randomField(0.3), vc: randomField(0.3) };
  const d: Velocity = { vr: randomField(1), vc: randomField(1) };
  const [, gRandom] = lossAndGrad(vRandom) as [np.NDArray, Velocity];
  const eps = 1e-7;
  const along = (sign: number): Velocity => ({ vr: vRandom.vr.add(d.vr.mul(sign * eps)), vc: vRandom.vc.add(d.vc.mul(sign * eps)) });
  const central = (loss(along(1)).item() - loss(along(-1)).item()) / (2 * eps);
  const directional = np.sum(gRandom.vr.mul(d.vr)).add(np.sum(gRandom.vc.mul(d.vc))).item();
  const gradCheckRelErr = Math.abs(directional - central) / Math.abs(central);
  console.log(
    `directional derivative ${directional.toExponential(6)}, central difference ${central.toExponential(6)}: ` +
      `relative difference ${gradCheckRelErr.toExponential(1)}`,
  );
  const losses: number[] = [];
  const bar = progress("optimising", cfg.iters);
  const gradFn = (v: Velocity) => {
    const [value, g] = lossAndGrad(v);
    losses.push((value as np.NDArray).item());
    bar.tick({ loss: losses[losses.length - 1]! });
    return g;
  };

  /*
   * ## Optimising the initial velocity
   *
   * Starting from rest (where the smoke would just sit), each Adam step costs one forward
   * simulation and one backward pass through it.
   */
  const still: Velocity = { vr: np.zeros([n, n]), vc: np.zeros([n, n]) };
  const best = adam(gradFn, still, { numIters: cfg.iters, stepSize: cfg.stepSize });
  bar.stop();

  /* ## The optimised run, frame by frame. */
  const flat = (a: np.NDArray) => Float64Array.from((a.toArray() as number[][]).flat());
  const frames: Float64Array[] = [];
  const result = simulate(best, smoke0, steps, (smoke) => frames.push(flat(smoke)));
  const finalLoss = np.mean(np.square(result.sub(target))).item();
  const initialLoss = losses[0]!;
  console.log(`loss: ${initialLoss.toExponential(3)} at rest → ${finalLoss.toExponential(3)} optimised`);

  // At most about 30 frames keep the GIF small; it lingers on the result before looping.
  const every = Math.ceil(steps / 30);
  const shown = frames.filter((_, t) => t % every === 0 || t === steps);
  const gif = writeGif({
    file: join(dir, "07-fluid.gif"),
    frames: [...shown, ...Array.from({ length: 10 }, () => frames[steps]!)],
    width: n,
    height: n,
    scale: Math.max(2, Math.round(192 / n)),
    delay: 100,
  });
  const half = Math.floor(steps / 2);
  const grid = await imageGrid({
    file: join(dir, "07-fluid-target-vs-result"),
    images: [frames[0]!, frames[half]!, frames[steps]!, flat(target)],
    labels: ["initial smoke", `step ${half}`, `step ${steps} (result)`, "target"],
    width: n,
    height: n,
    pixel: Math.max(2, Math.round(160 / n)),
    title: "Smoke steered by its optimised initial velocity",
  });
  const curve = await linePlot({
    file: join(dir, "07-fluid-loss"),
    title: "Mismatch with the target during optimisation",
    xLabel: "Adam iteration",
    yLabel: "mean squared difference",
    logY: true,
    series: [{ name: "loss", x: losses.map((_, i) => i), y: losses }],
  });

  const seconds = (performance.now() - t0) / 1000;
  const report = new Report("07 — Steering smoke through a differentiable fluid simulation")
    .text(
      `A ${n} × ${n} periodic stable-fluids simulation (semi-Lagrangian advection with bilinear interpolation, ` +
        `pressure projection by ${JACOBI_SWEEPS} Jacobi sweeps) runs for ${steps} steps. ` +
        `Adam adjusts all ${2 * n * n} numbers of the initial velocity, with gradients from \`valueAndGrad\` ` +
        "through the whole simulation, so that the final smoke matches the target ∂.",
    )
    .numbers({
      grid: `${n} × ${n}`,
      "time steps": steps,
      "Adam iterations": cfg.iters,
      "loss at rest": initialLoss,
      "loss optimised": finalLoss,
      reduction: initialLoss / finalLoss,
      "gradient check: relative difference from central differences": gradCheckRelErr,
      "run time (s)": seconds,
    })
    .image(grid.png, "initial smoke, halfway, result and target")
    .image(gif, "the optimised run")
    .image(curve.png, "loss during optimisation")
    .write(dir, "07-fluid");
  console.log(`wrote ${grid.png}, ${gif}, ${curve.png} and ${report}`);
  return {
    gridSize: n,
    steps,
    iterations: cfg.iters,
    initialLoss,
    finalLoss,
    gradCheckRelErr,
    losses,
    seconds,
    files: [grid.png, grid.svg, gif, curve.png, curve.svg, report],
  };
}

main(import.meta.url, run);
