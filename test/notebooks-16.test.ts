/**
 * @file Runs notebook 16 (autograd's gmm.py: a Gaussian mixture fitted by Newton-CG) in quick
 * mode, in-process: its pictures and report, and its numbers against autograd's on the same data.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

beforeAll(() => {
  // Pictures go to a temporary folder, not into the repository.
  process.env.OUT_DIR = mkdtempSync(join(tmpdir(), "autograd-ts-notebook-16-"));
});

describe("notebook 16, quick mode", () => {
  it("16-gmm: the pinwheel is NumPy's, and the fit reaches autograd's optimum", async () => {
    const { run, makePinwheel } = await import("../notebooks/16-gmm.ts");
    // autograd 1.9.1's make_pinwheel(0.3, 0.05, 3, 30, 0.4) with npr.RandomState(0), NumPy 2.4.6
    // (test/fixtures/gen-gmm-autograd.py): its first three points, equal to the last bit.
    expect((makePinwheel(0.3, 0.05, 3, 30, 0.4).toArray() as number[][]).slice(0, 3)).toEqual([
      [-0.39603641839314185, -1.4771784382747106],
      [0.25644725923111233, -1.2728884960041416],
      [-0.5565511788389653, -1.458448770355252],
    ]);
    const r = await run({ quick: true });
    for (const f of r.files) {
      expect(existsSync(f), f).toBe(true);
      expect(statSync(f).size, f).toBeGreaterThan(50);
      if (f.endsWith(".png")) expect(readFileSync(f).subarray(1, 4).toString("latin1")).toBe("PNG");
    }
    // autograd's gmm.py with 3 components and 3 × 30 points, same script otherwise (SciPy 1.17.1's
    // Newton-CG, gen-gmm-autograd.py "quick_converged"): log likelihood −215.9689582645422 at the
    // start, −135.20291039420852 at the optimum after 36 iterations, 62 evaluations, 186 products.
    // The data and start are bit-identical; the objective's roundoff differs (SciPy's eigh-based
    // logpdf vs a Cholesky one, summation orders), which the climb amplifies to 6·10⁻⁹ in the
    // middle iterates and the converged optimum takes back to 3·10⁻¹⁴ (one ulp).
    expect(r.initialLogLikelihood).toBeAllclose(-215.9689582645422, { rtol: 1e-15, atol: 0 });
    expect(r.finalLogLikelihood).toBeAllclose(-135.20291039420852, { rtol: 1e-15, atol: 0 });
    expect(r.success).toBe(true);
    expect([r.nit, r.nfev]).toEqual([36, 62]);
    // One inner CG step fewer at one iteration (its residual test falls the other side by roundoff): 185 here.
    expect(Math.abs(r.nhev - 186)).toBeLessThanOrEqual(1);
    expect(r.trace).toHaveLength(r.nit);
  }, 120_000);
});
