/**
 * @file Runs notebook 17 (a transfer function fitted through complex arithmetic and `np.fft`) in
 * quick mode, in-process, and checks that it wrote its pictures and report and that the fit and the
 * derivatives are right.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

beforeAll(() => {
  // Pictures go to a temporary folder, not into the repository.
  process.env.OUT_DIR = mkdtempSync(join(tmpdir(), "autograd-ts-notebook-17-"));
});

describe("notebook 17, quick mode", () => {
  it("17-transfer-function: the coefficients are recovered, the gradient and group delay agree with differences", async () => {
    const { run } = await import("../notebooks/17-transfer-function.ts");
    const r = await run({ quick: true });
    for (const f of r.files) {
      expect(existsSync(f), f).toBe(true);
      expect(statSync(f).size, f).toBeGreaterThan(50);
      if (f.endsWith(".png")) expect(readFileSync(f).subarray(1, 4).toString("latin1")).toBe("PNG");
    }
    expect(r.gradCheckRelErr).toBeLessThan(1e-6);
    // The output noise is 3% of the signal: a good fit leaves about that; quick mode reached 0.0297.
    expect(r.initialMisfit).toBeGreaterThan(0.5);
    expect(r.finalMisfit).toBeLessThan(0.035);
    r.fitted.forEach((v, i) => expect(Math.abs(v - r.truth[i]!) / r.truth[i]!, `coefficient ${i}`).toBeLessThan(0.03));
    expect(r.responseErr).toBeLessThan(0.02);
    expect(Math.abs(r.groupDelay - r.groupDelayFd)).toBeLessThan(1e-6 * Math.abs(r.groupDelay));
  }, 120_000);
});
