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
const REFUSED_THOUGH_NUMPY_TAKES = new Set(["histogram"]);

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

/** `[path, function]` for every function of a namespace tree (two levels: `scipy.stats.norm.pdf`). */
function functionsOf(prefix: string, ns: object, depth = 0): [string, (...a: unknown[]) => unknown][] {
  const out: [string, (...a: unknown[]) => unknown][] = [];
  for (const [k, v] of Object.entries(ns)) {
    if (typeof v === "function" && !/^[A-Z]/.test(k)) out.push([`${prefix}.${k}`, v as (...a: unknown[]) => unknown]);
    else if (v !== null && typeof v === "object" && depth < 2) out.push(...functionsOf(`${prefix}.${k}`, v, depth + 1));
  }
  return out;
}

/** Arguments where the array is not first or a count is needed (the complex array is `z`). */
const SCIPY_NN_ARGS: Record<string, (zz: NDArray) => unknown[]> = {
  "scipy.special.iv": (zz) => [1, zz],
  "scipy.special.ive": (zz) => [1, zz],
  "scipy.special.jn": (zz) => [1, zz],
  "scipy.special.yn": (zz) => [1, zz],
  "scipy.special.polygamma": (zz) => [1, zz],
  "scipy.special.multigammaln": (zz) => [zz, 2],
  "nn.oneHot": (zz) => [zz, 3],
  "nn.logsumexp": (zz) => [zz],
  "nn.avgPool": (zz) => [zz.reshape([1, 4, 1]), [2]],
  "nn.maxPool": (zz) => [zz.reshape([1, 4, 1]), [2]],
  "nn.sumPool": (zz) => [zz.reshape([1, 4, 1]), [2]],
};
/** The function a forwarding one names in its error. */
const SCIPY_NN_ALIASES: Record<string, string[]> = {
  "scipy.special.psi": ["scipy.special.digamma"],
  "scipy.special.softmax": ["scipy.special.logsumexp"],
  "scipy.special.logSoftmax": ["scipy.special.logsumexp"],
  "nn.swish": ["nn.silu"],
};
/** Functions that take complex input and give NumPy/SciPy's kind (complex convolutions). */
const SCIPY_NN_COMPLEX = new Set(["scipy.signal.convolve", "scipy.signal.correlate", "scipy.signal.convolve2d", "scipy.signal.correlate2d"]);

describe("complex sweep over scipy and nn", async () => {
  const scipy = await import("../src/scipy/index.ts");
  const { nn } = await import("../src/index.ts");
  const all = [
    ...functionsOf("scipy.special", scipy.special),
    ...functionsOf("scipy.stats", scipy.stats),
    ...functionsOf("scipy.signal", scipy.signal),
    ...functionsOf("scipy.linalg", scipy.linalg),
    ...functionsOf("nn", nn).filter(([n]) => !n.startsWith("nn.initializers")),
  ];
  for (const [name, f] of all) {
    it(`${name}: complex result or a TypeError naming it and the dtype`, () => {
      const is2d = name.endsWith("2d") || name.startsWith("scipy.linalg");
      const x = is2d ? M : z;
      const args = SCIPY_NN_ARGS[name]?.(x) ?? Array.from({ length: Math.max(1, f.length) }, () => x);
      let result: unknown;
      let error: unknown = null;
      try {
        result = f(...args);
      } catch (e) {
        error = e;
      }
      if (SCIPY_NN_COMPLEX.has(name)) {
        expect(error).toBeNull();
        expect(kindOf(result)).toBe("complex");
        return;
      }
      expect(error, `${name} returned ${kindOf(result)} for complex input`).toBeInstanceOf(TypeError);
      const msg = (error as Error).message;
      // The function, or the sibling it forwards to (norm.pdf → norm.logpdf, psi → digamma).
      const parent = name.split(".").slice(0, -1).join(".");
      const named = msg.includes(name) || (parent.startsWith("scipy.stats.") && msg.includes(`${parent}.`)) || (SCIPY_NN_ALIASES[name] ?? []).some((a) => msg.includes(a));
      expect(named, msg).toBe(true);
      expect(msg).toMatch(/complex(64|128)/);
    });
  }
});
