/**
 * @file Runs every notebook in quick mode, in-process, and checks that it finished, wrote its
 * pictures (real, non-empty PNGs) and report, and that its key numbers are sane.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const quick = { quick: true } as const;

beforeAll(() => {
  // Pictures go to a temporary folder, not into the repository.
  process.env.OUT_DIR = mkdtempSync(join(tmpdir(), "autograd-ts-notebooks-"));
});

/** Checks a file is a PNG (signature and IHDR) of a plausible size, and returns its pixel size. */
function expectPng(file: string): { width: number; height: number } {
  expect(existsSync(file), file).toBe(true);
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.subarray(12, 16).toString("latin1")).toBe("IHDR");
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  expect(width).toBeGreaterThan(100);
  expect(height).toBeGreaterThan(100);
  expect(bytes.length).toBeGreaterThan(2000);
  return { width, height };
}

/** Checks every file a notebook reports: PNGs decoded as above, the rest non-empty. */
function expectFiles(files: readonly string[]) {
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) {
    if (f.endsWith(".png")) expectPng(f);
    else {
      expect(existsSync(f), f).toBe(true);
      expect(statSync(f).size, f).toBeGreaterThan(50);
    }
    if (f.endsWith(".gif")) expect(readFileSync(f).subarray(0, 6).toString("latin1")).toBe("GIF89a");
    if (f.endsWith(".svg")) expect(readFileSync(f, "utf8")).toMatch(/^<svg[\s\S]*<\/svg>$/);
  }
}

describe("notebooks/lib", () => {
  it("draws a line plot, an image grid and a GIF, and writes a report", async () => {
    const { run } = await import("../notebooks/lib/smoke.ts");
    const { files } = await run(quick);
    expectFiles(files);
    expect(files.some((f) => f.endsWith(".gif"))).toBe(true);
  });
});

describe("notebooks, quick mode", () => {
  it("01-sinusoid: derivatives of sin match cos and −sin", async () => {
    const { run } = await import("../notebooks/01-sinusoid.ts");
    const r = await run(quick);
    expectFiles(r.files);
    // The rules are exact (d sin = cos), so only rounding separates them.
    expect(r.maxErrFirst).toBeLessThan(1e-12);
    expect(r.maxErrSecond).toBeLessThan(1e-12);
    expect(r.maxGradVsElementwise).toBeLessThan(1e-12);
    expect(r.secondAtOne).toBeCloseTo(-Math.sin(1), 14);
  });

  it("02-taylor-sine: derivatives through a loop with a data-dependent break", async () => {
    const { run } = await import("../notebooks/02-taylor-sine.ts");
    const r = await run(quick);
    expectFiles(r.files);
    expect(r.termsNearZero).toBe(2);
    expect(r.termsAtTen).toBeGreaterThan(10);
    // Terms reach ≈ 2.8e3 at |x| = 10 (10⁹/9!), so a few ulps of them is ≈ 1e-12.
    expect(r.maxErrValue).toBeLessThan(1e-10);
    expect(r.maxErrFirst).toBeLessThan(1e-10);
    expect(r.maxErrSecond).toBeLessThan(1e-10);
    // Stopping at |term| < 0.2 leaves a visible but bounded error.
    expect(r.maxDeviationFromSin).toBeLessThan(0.2);
  });

  it("03-tanh: six nested elementwiseGrads match the closed forms", async () => {
    const { run } = await import("../notebooks/03-tanh.ts");
    const r = await run(quick);
    expectFiles(r.files);
    expect(r.maxErrByOrder).toHaveLength(7);
    // Values reach ≈ 50 at order 6; rounding accumulates with each level but stays near 1e-12.
    r.maxErrByOrder.forEach((e, k) => expect(e, `order ${k}`).toBeLessThan(1e-9 * Math.max(1, r.maxAbsByOrder[k]!)));
  });
});

describe("notebooks that train, quick mode", () => {
  it("04-mnist: an MLP trained with adam learns the digits", async () => {
    const { run } = await import("../notebooks/04-mnist.ts");
    const r = await run(quick);
    expectFiles(r.files);
    // Quick mode trains a 784-100-10 net for 5 epochs on 2,000 digits (≈ 89% when written);
    // chance is 10%, so 80% shows it learned without being brittle to small numeric changes.
    expect(r.testAccuracy).toBeGreaterThan(0.8);
    expect(r.finalLoss).toBeLessThan(r.firstLoss / 2);
  });

  it("05-char-rnn: the RNN learns its own source, well below uniform guessing", async () => {
    const { run } = await import("../notebooks/05-char-rnn.ts");
    const r = await run(quick);
    expectFiles(r.files);
    expect(r.firstLoss).toBeCloseTo(r.uniformLoss, 1); // small random weights: near-uniform predictions
    // Quick mode reaches ≈ 1.6 nats/char (from log 128 ≈ 4.85) in 80 steps; 3 leaves a wide margin.
    expect(r.finalLoss).toBeLessThan(3);
    expect(r.samplesAfter).toHaveLength(6);
    expect(r.samplesAfter.every((line) => line.length === 30)).toBe(true);
  });

  it("06-lstm: the LSTM learns its own source", async () => {
    const { run } = await import("../notebooks/06-lstm.ts");
    const r = await run(quick);
    expectFiles(r.files);
    expect(r.firstLoss).toBeCloseTo(r.uniformLoss, 1);
    // Quick mode reaches ≈ 0.7 nats/char in 60 steps on 24 lines; 2.5 leaves a wide margin.
    expect(r.finalLoss).toBeLessThan(2.5);
    expect(r.samplesAfter).toHaveLength(6);
  });

  it("08-per-example-gradients: vmap(grad) matches a loop of grad; DP-SGD trains", async () => {
    const { run } = await import("../notebooks/08-per-example-gradients.ts");
    const r = await run(quick);
    expectFiles(r.files);
    expect(r.maxDiffVmapVsLoop).toBeLessThan(1e-12);
    expect(r.maxDiffMeanVsBatch).toBeLessThan(1e-12);
    expect(r.loopMs).toBeGreaterThan(0);
    expect(r.vmapMs).toBeGreaterThan(0);
    // 40 steps in quick mode: clipping and noise cost accuracy, but both are far above chance (10%).
    expect(r.plainTestAccuracy).toBeGreaterThan(0.7);
    expect(r.privateTestAccuracy).toBeGreaterThan(0.3);
  });

  it("09-newton: second derivatives agree; Newton converges in a few steps", async () => {
    const { run } = await import("../notebooks/09-newton.ts");
    const r = await run(quick);
    expectFiles(r.files);
    for (const e of [r.hessianErr, r.revRevErr, r.fwdFwdErr, r.hvpErr]) expect(e).toBeLessThan(1e-12);
    // Quadratic convergence: a handful of steps from w = 0 to ‖∇f‖ < 1e-10.
    expect(r.newtonIters).toBeLessThanOrEqual(10);
    expect(r.newtonCgIters).toBeLessThanOrEqual(10);
    expect(r.newtonVsCg).toBeLessThan(1e-8);
    // Gradient descent makes progress, but is still far from that after its 200 steps.
    expect(r.gdFinalGradNorm).toBeLessThan(0.1);
    expect(r.gdFinalGradNorm).toBeGreaterThan(1e-10);
  });
});

describe("a notebook runs as a script", () => {
  it("npx tsx notebooks/01-sinusoid.ts --quick prints where it wrote", () => {
    const root = resolve(import.meta.dirname, "..");
    const out = execFileSync(process.execPath, ["--import", "tsx", "notebooks/01-sinusoid.ts", "--quick"], {
      cwd: root,
      env: { ...process.env, OUT_DIR: process.env.OUT_DIR },
      encoding: "utf8",
    });
    expect(out).toMatch(/wrote .*01-sinusoid\.png/);
    expect(out).toMatch(/done in [\d.]+ s \(quick mode\)/);
  });
});
