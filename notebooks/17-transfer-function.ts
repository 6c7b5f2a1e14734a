/**
 * @file Notebook 17: complex numbers end to end — a rational transfer function H(s) fitted to a
 * noisy measured response by `grad` through complex polynomials and `np.fft.irfft`, and its group
 * delay from `holomorphicGrad` under `vmap`.
 * Run: `npx tsx notebooks/17-transfer-function.ts [--quick]`.
 */

/*
 * # Identifying a resonance from a noisy measurement
 *
 * A lightly damped system (a mass on a spring, an RLC circuit) has the transfer function
 *
 *     H(s) = (b₀ + b₁ s) / (s² + a₁ s + a₀),
 *
 * evaluated on the imaginary axis s = iω. We excite the unknown system with a periodic random
 * input u, record its output y with noise, and fit the four coefficients. The model runs in the
 * frequency domain: Y(ω) = H(iω)·U(ω) with U = rfft(u), back to time by `irfft`; the loss is the
 * time-domain misfit ‖y_model − y‖². Its gradient with respect to the real coefficients flows
 * through complex polynomials, a complex division and an inverse FFT (derivatives of complex
 * code, JAX's convention: the gradient of a real loss is ∂/∂x − i ∂/∂y).
 *
 * The denominator coefficients are fitted as logarithms, a₀ = e^{p₀}, a₁ = e^{p₁}, which keeps the
 * model stable (both poles in the left half-plane) at every step.
 */
import { join } from "node:path";
import { grad, holomorphicGrad, valueAndGrad, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { adam } from "autograd-ts/optimizers";
import { main, outDir, type RunOptions } from "./lib/mode.ts";
import { linePlot } from "./lib/plot.ts";
import { Rng } from "./lib/random.ts";
import { Report } from "./lib/report.ts";

type A = np.NDArray;

export interface TransferFunctionResult {
  /** Relative difference of the gradient from central differences along a random direction. */
  readonly gradCheckRelErr: number;
  /** Output misfit ‖y_model − y‖/‖y‖ at the initial guess and after fitting (the noise is 3%). */
  readonly initialMisfit: number;
  readonly finalMisfit: number;
  /** The fitted coefficients [b₀, b₁, a₀, a₁] and the true ones. */
  readonly fitted: readonly number[];
  readonly truth: readonly number[];
  /** Largest relative error of |H(iω)| fitted vs true, over the measured band. */
  readonly responseErr: number;
  /** Group delay −d∠H/dω at the resonance: from holomorphicGrad, and from differences of the phase. */
  readonly groupDelay: number;
  readonly groupDelayFd: number;
  readonly files: readonly string[];
}

export async function run(opts: RunOptions): Promise<TransferFunctionResult> {
  const dir = outDir(opts);
  const n = 512;
  const dt = 0.05;
  const iters = opts.quick ? 150 : 1500;

  /*
   * ## The system and the measurement
   *
   * True coefficients: a resonance at ω₀ = 2 rad/s with damping ratio 0.1 (a₀ = ω₀², a₁ = 2ζω₀) and a
   * zero at s = −8. The FFT frequencies of n samples Δt apart are ω_k = 2πk/(nΔt); the input is
   * white noise, periodic over the record, so the steady-state output is exactly irfft(H·rfft(u)).
   */
  const truth = [4, 0.5, 4, 0.4];
  const omega = np.fft.rfftfreq(n, dt).mul(2 * Math.PI);
  const s = np.complex(np.zerosLike(omega), omega); // s = iω
  const response = (b0: A, b1: A, a0: A, a1: A): A => {
    const num = np.add(b0, np.multiply(b1, s));
    const den = np.add(np.add(np.multiply(s, s), np.multiply(a1, s)), a0);
    return np.divide(num, den);
  };
  const rng = new Rng(16);
  const u = np.array(rng.normals(n));
  const U = np.fft.rfft(u);
  const simulate = (H: A): A => np.fft.irfft(np.multiply(H, U), { n });
  const [tb0, tb1, ta0, ta1] = truth.map((v) => np.array(v));
  const clean = simulate(response(tb0!, tb1!, ta0!, ta1!));
  const noiseLevel = 0.03 * Math.sqrt(np.mean(np.square(clean)).item());
  const y = clean.add(np.array(rng.normals(n, noiseLevel)));

  /* The parameters θ = [b₀, b₁, log a₀, log a₁]; the loss is the mean squared output misfit. */
  const unpack = (theta: A): [A, A, A, A] => [theta.get(0), theta.get(1), np.exp(theta.get(2)), np.exp(theta.get(3))];
  const loss = (theta: A): A => np.mean(np.square(simulate(response(...unpack(theta))).sub(y)));

  /*
   * ## Is the gradient right?
   *
   * Reverse mode through the complex polynomials, the complex division and the inverse FFT,
   * against central differences along one random direction.
   */
  const theta0 = np.array([1, 0, 0, 0]); // b₀ = 1, b₁ = 0, a₀ = a₁ = 1
  const direction = np.array(rng.normals(4));
  const h = 1e-6;
  const analytic = np.sum((grad(loss)(theta0) as A).mul(direction)).item();
  const fd = (loss(theta0.add(direction.mul(h))).item() - loss(theta0.sub(direction.mul(h))).item()) / (2 * h);
  const gradCheckRelErr = Math.abs(analytic - fd) / Math.abs(fd);
  console.log(`gradient check along a random direction: relative difference ${gradCheckRelErr.toExponential(2)}`);

  /* ## Fitting with adam */
  const norm = (v: A) => Math.sqrt(np.sum(np.square(v)).item());
  const misfitOf = (theta: A) => norm(simulate(response(...unpack(theta))).sub(y)) / norm(y);
  const initialMisfit = misfitOf(theta0);
  const losses: number[] = [];
  const vg = valueAndGrad(loss);
  const thetaFit = adam(
    (theta: A) => {
      const [value, g] = vg(theta) as [A, A];
      losses.push(value.item());
      return g;
    },
    theta0,
    { numIters: iters, stepSize: 0.05 },
  ) as A;
  const finalMisfit = misfitOf(thetaFit);
  const fitParts = unpack(thetaFit);
  const fitted = fitParts.map((v) => v.item());
  console.log(`output misfit ${initialMisfit.toFixed(3)} → ${finalMisfit.toFixed(4)} in ${iters} adam steps (noise ≈ 0.03)`);
  console.log(`fitted [b0, b1, a0, a1] = [${fitted.map((v) => v.toFixed(3)).join(", ")}], true [${truth.join(", ")}]`);

  /*
   * ## The fitted response
   *
   * |H(iω)| of the fit against the truth, and the raw estimate |Y/U| from the noisy data (the
   * "empirical transfer function"), over the band where the input has power.
   */
  const Htrue = response(tb0!, tb1!, ta0!, ta1!);
  const Hfit = response(...fitParts);
  const Hraw = np.divide(np.fft.rfft(y), U);
  const band = (omega.toArray() as number[]).map((w, k) => [w, k] as const).filter(([w]) => w > 0 && w < 20);
  const mag = (H: A) => np.abs(H).toArray() as number[];
  const [magTrue, magFit, magRaw] = [mag(Htrue), mag(Hfit), mag(Hraw)];
  const responseErr = Math.max(...band.map(([, k]) => Math.abs(magFit[k]! - magTrue[k]!) / magTrue[k]!));
  console.log(`|H(iω)| fitted vs true, 0 < ω < 20: largest relative error ${(100 * responseErr).toFixed(2)}%`);

  /*
   * ## Group delay by holomorphicGrad
   *
   * τ(ω) = −d∠H(iω)/dω = −Re(H′(iω)/H(iω)), with H′ the complex derivative: `holomorphicGrad` of
   * the scalar H(s), `vmap`ped over the frequencies. Checked at the resonance against central
   * differences of the phase.
   */
  const [fb0, fb1, fa0, fa1] = fitParts;
  const Hs = (z: A): A => np.divide(np.add(fb0!, np.multiply(fb1!, z)), np.add(np.add(np.multiply(z, z), np.multiply(fa1!, z)), fa0!));
  const w0 = Math.sqrt(fitted[2]!);
  const phaseAt = (w: number) => np.angle(Hs(np.complex(0, w))).item();
  const hw = 1e-5;
  const groupDelayFd = -(phaseAt(w0 + hw) - phaseAt(w0 - hw)) / (2 * hw);
  const groupDelay = -np.real(np.divide(holomorphicGrad(Hs)(np.complex(0, w0)), Hs(np.complex(0, w0)))).item();
  console.log(`group delay at ω₀ = ${w0.toFixed(3)}: ${groupDelay.toFixed(6)} s (holomorphicGrad), ${groupDelayFd.toFixed(6)} s (phase differences)`);

  /* ## Pictures: the models on a fine logarithmic grid, the measurement at the FFT frequencies. */
  const ws = band.map(([w]) => w);
  const pick = (v: number[]) => band.map(([, k]) => v[k]!);
  const fine = np.logspace(Math.log10(ws[0]!), Math.log10(20), 400);
  const sFine = np.complex(np.zerosLike(fine), fine);
  const fineMag = (H: (z: A) => A) => np.abs(H(sFine)).toArray() as number[];
  const Htrues = (z: A): A => np.divide(np.add(tb0!, np.multiply(tb1!, z)), np.add(np.add(np.multiply(z, z), np.multiply(ta1!, z)), ta0!));
  const fineW = fine.toArray() as number[];
  const bode = await linePlot({
    file: join(dir, "17-transfer-function-bode"),
    title: "Frequency response: noisy estimate Y/U, the fitted rational H(iω), and the truth",
    xLabel: "ω (rad/s)",
    yLabel: "|H(iω)|",
    logX: true,
    logY: true,
    series: [
      { name: "measured |Y/U| (3% output noise)", x: ws, y: pick(magRaw) },
      { name: "fitted H(s), 4 coefficients", x: fineW, y: fineMag(Hs) },
      { name: "true H(s)", x: fineW, y: fineMag(Htrues), dashed: true },
    ],
  });
  const delayPlot = await linePlot({
    file: join(dir, "17-transfer-function-delay"),
    title: "Group delay −d∠H(iω)/dω of the fit, from holomorphicGrad under vmap",
    xLabel: "ω (rad/s)",
    yLabel: "delay (s)",
    logX: true,
    series: [{ name: "group delay", x: fineW, y: np.real(np.divide(vmap(holomorphicGrad(Hs))(sFine) as A, Hs(sFine))).neg().toArray() as number[] }],
  });
  const lossPlot = await linePlot({
    file: join(dir, "17-transfer-function-loss"),
    title: "Mean squared output misfit during the fit",
    xLabel: "adam iteration",
    yLabel: "loss (log scale)",
    logY: true,
    series: [{ name: "loss", x: losses.map((_, i) => i), y: losses }],
  });
  const report = new Report("17 — fitting a transfer function with complex arithmetic")
    .text(
      `A resonant H(s) = (b₀ + b₁s)/(s² + a₁s + a₀) identified from ${n} samples of a noisy output: the model evaluated at ` +
        "s = iω in complex128, applied to rfft(u) and brought back by irfft; `grad` of the real time-domain loss through all of it; " +
        "the group delay from `holomorphicGrad` under `vmap`.",
    )
    .numbers({
      "gradient vs central differences (relative)": gradCheckRelErr,
      "output misfit at the start": initialMisfit,
      "output misfit after fitting": finalMisfit,
      "fitted b₀": fitted[0]!,
      "fitted b₁": fitted[1]!,
      "fitted a₀": fitted[2]!,
      "fitted a₁": fitted[3]!,
      "largest relative error of the magnitude of H, 0 < ω < 20": responseErr,
      "group delay at ω₀, holomorphicGrad (s)": groupDelay,
      "group delay at ω₀, phase differences (s)": groupDelayFd,
    })
    .image(bode.png, "Bode magnitude")
    .image(delayPlot.png, "group delay")
    .image(lossPlot.png, "loss")
    .write(dir, "17-transfer-function");
  console.log(`wrote ${bode.png}, ${delayPlot.png}, ${lossPlot.png} and ${report}`);
  return {
    gradCheckRelErr,
    initialMisfit,
    finalMisfit,
    fitted,
    truth,
    responseErr,
    groupDelay,
    groupDelayFd,
    files: [bode.png, bode.svg, delayPlot.png, delayPlot.svg, lossPlot.png, lossPlot.svg, report],
  };
}

main(import.meta.url, run);
