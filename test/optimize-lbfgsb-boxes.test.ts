/**
 * @file L-BFGS-B against SciPy 1.17.1 on 40 random boxes (Rosenbrock in 2–5 dimensions and Beale,
 * random bounds and starts: test/fixtures/gen-lbfgsb-boxes.py): the same minimizer, iteration and
 * evaluation counts. Runs where the free set empties and the reference code's cached K goes stale
 * (src/scipy/optimize/lbfgsb-formk.ts) are among them.
 */
import { describe, expect, it } from "vitest";
import * as np from "autograd-ts/numpy";
import { optimize } from "autograd-ts/scipy";
import runs from "./fixtures/lbfgsb-boxes.json" with { type: "json" };

type A = np.NDArray;
const rosen = (x: A) => np.sum(np.square(x.get("1:").sub(np.square(x.get(":-1")))).mul(100).add(np.square(x.get(":-1").sub(1))));
const beale = (x: A) => {
  const [a, c] = [x.get(0), x.get(1)];
  const term = (k: number, p: number) => np.square(a.mul(np.power(c, p)).sub(a).add(k));
  return term(1.5, 1).add(term(2.25, 2)).add(term(2.625, 3));
};

describe("L-BFGS-B in random boxes, as SciPy", () => {
  runs.forEach((run, k) => {
    it(`run ${k}: ${run.problem} in ${run.x0.length} dimensions`, () => {
      const f = run.problem === "beale" ? beale : rosen;
      const r = optimize.minimize(f, np.array(run.x0), { method: "L-BFGS-B", bounds: run.bounds as [number, number][] });
      expect(r.status).toBe(run.status);
      expect(r.x).toBeAllclose(run.x, { atol: 1e-10, rtol: 0 });
      expect([r.nit, r.nfev]).toEqual([run.nit, run.nfev]);
    });
  });
});
