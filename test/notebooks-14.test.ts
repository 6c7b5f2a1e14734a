/**
 * @file Runs notebook 14 (a convnet on MNIST) in quick mode, in-process, and checks that it wrote
 * its pictures and report and that it learned.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

beforeAll(() => {
  // Pictures go to a temporary folder, not into the repository.
  process.env.OUT_DIR = mkdtempSync(join(tmpdir(), "autograd-ts-notebook-14-"));
});

describe("notebook 14, quick mode", () => {
  it("14-convnet: two conv layers with pooling learn the digits", async () => {
    const { run } = await import("../notebooks/14-convnet.ts");
    const r = await run({ quick: true });
    for (const f of r.files) {
      expect(existsSync(f), f).toBe(true);
      expect(statSync(f).size, f).toBeGreaterThan(50);
      if (f.endsWith(".png")) expect(readFileSync(f).subarray(1, 4).toString("latin1")).toBe("PNG");
    }
    // Chance is 10%; quick mode (1,000 digits, 2 epochs, 4 and 8 channels) reached 82% when written.
    expect(r.testAccuracy).toBeGreaterThan(0.6);
    expect(r.finalLoss).toBeLessThan(r.firstLoss / 2);
    expect(r.secondsPerEpoch).toHaveLength(2);
  }, 120_000);
});
