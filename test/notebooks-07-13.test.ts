/**
 * @file Runs notebooks 07 (fluid simulation), 10 (Gaussian process), 11 (Kepler), 12 (spectral inverse problem) and 13 (neural ODE) in quick mode, in-process,
 * and checks that they wrote their pictures and report and that their key numbers are sane.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const quick = { quick: true } as const;

beforeAll(() => {
  // Pictures go to a temporary folder, not into the repository.
  process.env.OUT_DIR = mkdtempSync(join(tmpdir(), "autograd-ts-notebooks-07-13-"));
});

/** Checks every file a notebook reports: PNGs by signature and size, GIFs and SVGs by header, the rest non-empty. */
function expectFiles(files: readonly string[]) {
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) {
    expect(existsSync(f), f).toBe(true);
    expect(statSync(f).size, f).toBeGreaterThan(50);
    const bytes = readFileSync(f);
    if (f.endsWith(".png")) {
      expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(bytes.readUInt32BE(16), `${f} width`).toBeGreaterThan(100);
      expect(bytes.readUInt32BE(20), `${f} height`).toBeGreaterThan(100);
      expect(bytes.length, f).toBeGreaterThan(2000);
    }
    if (f.endsWith(".gif")) expect(bytes.subarray(0, 6).toString("latin1")).toBe("GIF89a");
    if (f.endsWith(".svg")) expect(bytes.toString("utf8")).toMatch(/^<svg[\s\S]*<\/svg>$/);
  }
}

describe("notebooks 07 and 10–13, quick mode", () => {
  it("07-fluid: backpropagating through the simulation steers the smoke towards the target", async () => {
    const { run } = await import("../notebooks/07-fluid.ts");
    const r = await run(quick);
    expectFiles(r.files);
    expect(r.files.some((f) => f.endsWith(".gif"))).toBe(true);
    expect(r.files.some((f) => f.endsWith(".png"))).toBe(true);
    // Reverse mode through every step agrees with central differences (≈ 1e-8 when written).
    expect(r.gradCheckRelErr).toBeLessThan(1e-4);
    expect(Number.isFinite(r.finalLoss)).toBe(true);
    // At rest the smoke does not move; a few Adam steps on the exact gradient must cut the mismatch
    // by a clear factor (about 5× when written), far beyond what a wrong gradient would give.
    expect(r.finalLoss).toBeLessThan(r.initialLoss / 1.5);
  });

  it("10-gaussian-process: gradient ascent on the marginal likelihood fits the hyperparameters", async () => {
    const { run } = await import("../notebooks/10-gaussian-process.ts");
    const r = await run(quick);
    expectFiles(r.files);
    // From σn = 0.5 (the data explained as noise) the likelihood rises by about 29 nats when written.
    expect(r.finalLogLik).toBeGreaterThan(r.initialLogLik + 10);
    expect(r.finalGradNorm).toBeLessThan(0.5);
    // Three evaluations (Cholesky, SciPy's density, LU) of one number agree to rounding.
    expect(r.logLikVsOracles).toBeLessThan(1e-9);
    // The fitted noise is positive and near the data's true noise (0.05); the other scales are sensible.
    expect(r.noise).toBeGreaterThan(0);
    expect(r.noise).toBeGreaterThan(0.02);
    expect(r.noise).toBeLessThan(0.1);
    expect(r.lengthscale).toBeGreaterThan(0.3);
    expect(r.lengthscale).toBeLessThan(3);
    expect(r.amplitude).toBeGreaterThan(0.1);
  });

  it("11-kepler: lax.whileLoop under vmap(vmap) and vmap(grad) gives the implicit derivatives", async () => {
    const { run } = await import("../notebooks/11-kepler.ts");
    const r = await run(quick);
    expectFiles(r.files);
    expect(r.residual).toBeLessThan(1e-13);
    // each eccentricity takes its own number of Newton steps, more for rounder-cornered orbits
    expect(r.maxSteps[3]!).toBeGreaterThan(r.maxSteps[0]!);
    // through the polished loop the derivatives are the implicit ones to rounding (≈ 1e-15 when written) ...
    expect(r.dMErr).toBeLessThan(1e-12);
    expect(r.deErr).toBeLessThan(1e-12);
    expect(r.d2MErr).toBeLessThan(1e-10);
    // ... while the unpolished loop's derivative is the starting guess's where no step is taken
    expect(r.dMErrUnpolished).toBeGreaterThan(0.5);
    expect(r.vmapVsLoop).toBeLessThan(1e-12);
  });

  it("12-spectral: the gradient through rfft/irfft inside lax.scan is right and recovers the initial state", async () => {
    const { run } = await import("../notebooks/12-spectral.ts");
    const r = await run(quick);
    expectFiles(r.files);
    // reverse mode through every FFT of every step against central differences (≈ 4e-10 when written)
    expect(r.gradCheckRelErr).toBeLessThan(1e-6);
    // the fit explains the observation (misfit 1 → ≈ 0.05 in quick mode when written) ...
    expect(r.finalMisfit).toBeLessThan(r.initialMisfit / 5);
    // ... and finds an initial state much closer to the truth than the zero guess (≈ 30% when written)
    expect(r.recoveryErr).toBeLessThan(0.6 * r.zeroGuessErr);
  });

  it("13-ode-net: the gradient through odeint is right and training fits the trajectory", async () => {
    const { run } = await import("../notebooks/13-ode-net.ts");
    const r = await run(quick);
    expectFiles(r.files);
    // through every adaptive step against central differences (≈ 1e-8 when written)
    expect(r.gradCheckRelErr).toBeLessThan(1e-5);
    // 25 adam steps already cut the trajectory error (3.3 → ≈ 1 when written)
    expect(r.finalLoss).toBeLessThan(r.initialLoss / 2);
  });
});
