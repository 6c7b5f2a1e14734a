/**
 * @file Every array-first `np` function on a small complex array: the result has the dtype kind
 * NumPy 2 gives (complex, real, bool, int), or the call throws a TypeError naming the function and
 * the dtype; never a real result silently made from complex input.
 */
import { describe, expect, it } from "vitest";
import * as np from "../src/numpy/index.ts";
import { NDArray } from "../src/core/ndarray.ts";
import { SWEEP } from "./complex-sweep-table.ts";

const z = np.array([{ re: 1, im: 2 }, { re: -0.5, im: 0.25 }, { re: 3, im: -1 }, { re: 0.1, im: 0.7 }]);
const M = z.reshape([2, 2]);
const ENV: Record<string, NDArray> = {
  z,
  M,
  z3: z.get("0:3"),
  w3: z.get("1:"),
  r: np.array([0.5, 1, 2, 3]),
  b4: np.array([true, false, true, false]),
  i2: np.array([0, 1], { dtype: "int32" }),
  T: np.stack([M, M], { axis: -1 }),
};
const arg = (a: unknown): unknown => (typeof a === "string" && a in ENV ? ENV[a] : Array.isArray(a) ? a.map(arg) : a);

/** Functions not taking an array first (shapes, counts, predicates on objects): out of the sweep. */
const NOT_ARRAY_FIRST = new Set([
  "arange", "empty", "eye", "full", "identity", "indices", "ones", "zeros", "tri", "trilIndices", "triuIndices", "diagIndices",
  "broadcastShapes", "isConcrete", "ndim", "shape", "size", "at", "slice", "astype", "choose", "select", "complex", "einsum", "trapz", "variance",
  "flatten", "cumulativeSum", "cumulativeProd",
]);

/** Names a TypeError may use for the function (the primitive or the function it forwards to). */
const ALIASES: Record<string, string[]> = {
  fix: ["trunc"], i0: ["besselI"], degrees: ["rad2deg"], radians: ["deg2rad"], trueDivide: ["divide"], remainder: ["mod"],
  rowStack: ["vstack"], floorDivide: ["floor"], fmod: ["fmod", "rem"], mod: ["floor", "mod"], arctan2: ["atan2"], copysign: ["copysign"],
  ceil: ["ceil"], cbrt: ["cbrt"], floor: ["floor"], trunc: ["trunc"], searchsorted: ["searchsorted"], digitize: ["searchsorted", "digitize"],
  bincount: ["bincount"],
};

/**
 * Functions NumPy defines on complex input that this library refuses with a clear TypeError
 * (reported as missing features, not hidden): the sweep fails if one of them starts returning or
 * if another function joins them.
 */
const REFUSED_THOUGH_NUMPY_TAKES = new Set(["histogram", "searchsorted", "geomspace"]);

function kindOf(r: unknown): string {
  if (typeof r === "boolean") return "jsbool";
  if (Array.isArray(r)) return "list:" + r.map(kindOf).join(",");
  if (r instanceof NDArray) {
    const d = r.dtype;
    return d.startsWith("complex") ? "complex" : d.startsWith("float") ? "float" : d === "bool" ? "bool" : "int";
  }
  return typeof r;
}

describe("complex sweep over np", () => {
  it("covers every exported function that takes an array first", () => {
    const fns = Object.entries(np).filter(([k, f]) => typeof f === "function" && !/^[A-Z]/.test(k)).map(([k]) => k);
    const missing = fns.filter((k) => !(k in SWEEP) && !NOT_ARRAY_FIRST.has(k));
    expect(missing).toEqual([]);
  });

  const refused: string[] = [];
  for (const [name, spec] of Object.entries(SWEEP)) {
    it(`${name}: NumPy gives ${spec.numpy}`, () => {
      const f = (np as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
      expect(typeof f).toBe("function");
      let result: unknown;
      let error: unknown = null;
      try {
        result = f!(...spec.args.map(arg));
      } catch (e) {
        error = e;
      }
      if (error !== null) {
        expect(error).toBeInstanceOf(TypeError);
        const msg = (error as Error).message;
        const names = [name, ...(ALIASES[name] ?? [])];
        expect(names.some((n) => msg.includes(n)), `${msg} names ${names.join("/")}`).toBe(true);
        expect(msg).toMatch(/complex(64|128)/);
        if (spec.numpy !== "TypeError") {
          expect(REFUSED_THOUGH_NUMPY_TAKES.has(name), `${name} refuses complex input though NumPy gives ${spec.numpy}: ${msg}`).toBe(true);
          refused.push(name);
        }
        return;
      }
      expect(spec.numpy, `${name} returned ${kindOf(result)} where NumPy raises TypeError`).not.toBe("TypeError");
      const got = kindOf(result);
      // A 0-d bool array stands for NumPy's bool scalar.
      const want = spec.numpy === "jsbool" && got === "bool" ? "bool" : spec.numpy;
      expect(got).toBe(want);
    });
  }
  it("refuses exactly the functions listed as missing complex support", () => {
    expect(new Set(refused)).toEqual(REFUSED_THOUGH_NUMPY_TAKES);
  });
});
