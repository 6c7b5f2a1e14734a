/**
 * @file What the registry-driven property files share: every spec file loaded, random cases of a
 * primitive, the functions whose derivatives are checked (the primitive, its JVP, its VJP), and
 * `property`, which runs a check under fast-check and says which case failed.
 */
import fc from "fast-check";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { jvp, vjp } from "autograd-ts";
import { bind } from "../src/core/trace.ts";
import { registry } from "../src/registry.ts";
import { ConcreteArray, type NDArray, type Aval } from "../src/core/ndarray.ts";
import { fmtShape } from "../src/core/errors.ts";
import { numRuns, seed } from "./config.ts";
import { checkVmap, randomInAxes, Rng, type Fn } from "./check.ts";
import type { PrimSpec, SetupBase } from "./spec.ts";

// ---------------------------------------------------------------- loading every specs*.ts

const here = dirname(fileURLToPath(import.meta.url));
const specFiles = readdirSync(here)
  .filter((f) => /^specs(-[\w-]+)?\.ts$/.test(f))
  .sort();

/** Problems found while loading spec files (a file that fails to import, a primitive specified twice). */
export const loadErrors: string[] = [];
/** Every spec, by primitive name. */
export const specs = new Map<string, PrimSpec>();

for (const file of specFiles) {
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { specs?: readonly PrimSpec[] };
    if (!Array.isArray(mod.specs)) {
      loadErrors.push(`${file}: exports no \`specs: PrimSpec[]\``);
      continue;
    }
    for (const s of mod.specs) {
      if (specs.has(s.name)) loadErrors.push(`${file}: primitive "${s.name}" already has a spec`);
      else specs.set(s.name, s);
    }
  } catch (e) {
    loadErrors.push(`${file}: failed to load: ${(e as Error).stack ?? String(e)}`);
  }
}

/** Every registered primitive's name, sorted. */
export const primitiveNames: readonly string[] = [...registry.keys()].sort();

// ---------------------------------------------------------------- cases

/** One random application of a primitive: setup (with params), argument values, and a seed for directions. */
export interface Case {
  readonly setup: SetupBase<unknown>;
  readonly args: ConcreteArray[];
  readonly seed: number;
}

const show = (x: NDArray): string =>
  `${x.dtype}${fmtShape(x.shape)} ${JSON.stringify(x.toArray(), (_, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v))}`;

const showSetup = (s: SetupBase<unknown>): string => JSON.stringify(s);

/** Gives a case a readable form in fast-check's counterexample report. */
function printable<T extends object>(x: T, text: () => string): T {
  return Object.defineProperty(x, fc.toStringMethod, { value: text, enumerable: false });
}

export const describeCase = (c: Case): string =>
  `setup ${showSetup(c.setup)}\n  args:\n${c.args.map((a) => `    ${show(a)}`).join("\n")}\n  seed ${c.seed}`;

/** Random cases of a spec. */
export const cases = (spec: PrimSpec): fc.Arbitrary<Case> =>
  spec.setup.chain((setup) =>
    fc.tuple(spec.args(setup), fc.integer()).map(([args, seed]) => printable({ setup, args, seed }, () => describeCase({ setup, args, seed }))),
  );

/** A batch of examples sharing one setup, for `vmap`. */
export interface BatchCase {
  readonly setup: SetupBase<unknown>;
  readonly examples: ConcreteArray[][];
  readonly seed: number;
}

/** Batches of 1 to 3 examples (or exactly `size`). */
export const batchCases = (spec: PrimSpec, size?: number): fc.Arbitrary<BatchCase> =>
  spec.setup.chain((setup) =>
    fc
      .tuple(fc.array(spec.args(setup), { minLength: size ?? 1, maxLength: size ?? 3 }), fc.integer())
      .map(([examples, seed]) =>
        printable({ setup, examples, seed }, () =>
          `setup ${showSetup(setup)}\n${examples.map((e, b) => `  example ${b}:\n${e.map((a) => `    ${show(a)}`).join("\n")}`).join("\n")}\n  seed ${seed}`,
        ),
      ),
  );

// ---------------------------------------------------------------- the functions under test

const avalsOf = (xs: readonly NDArray[]): Aval[] => xs.map((x) => ({ shape: x.shape, dtype: x.dtype }));

/** The outputs of the primitive at these arguments (shapes and dtypes, from its own rule). */
export const outAvals = (spec: PrimSpec, args: readonly NDArray[], params: unknown): Aval[] =>
  spec.prim.abstractEval(avalsOf(args), params);

/** The differentiated arguments: the spec's `wrt`, or every float64 (or complex128) argument. */
export function wrtOf(spec: PrimSpec, c: { setup: SetupBase<unknown>; args: readonly NDArray[] }): number[] {
  const all = c.args.map((_, i) => i).filter((i) => c.args[i]!.dtype === "float64" || c.args[i]!.dtype === "complex128");
  return spec.wrt ? spec.wrt(c.setup).filter((i) => all.includes(i)) : all;
}

/**
 * A random non-empty subset of the differentiated arguments (the others are held fixed, so the
 * rules' symbolic-zero tangents are exercised too).
 */
export function activeSubset(wrt: readonly number[], rng: Rng): number[] {
  if (wrt.length <= 1) return [...wrt];
  const pick = wrt.filter(() => rng.next() < 0.5);
  return pick.length > 0 ? pick : [wrt[rng.int(wrt.length)]!];
}

/** The indices of the float64 and complex128 outputs (the ones derivatives are checked on). */
export const floatOutputs = (avals: readonly Aval[]): number[] =>
  avals.map((_, k) => k).filter((k) => avals[k]!.dtype === "float64" || avals[k]!.dtype === "complex128");

/** The primitive as a function of all its arguments, returning the outputs `outs`. */
export const primFn =
  (spec: PrimSpec, params: unknown, outs: readonly number[]): Fn =>
  (...args) => {
    const ys = bind(spec.prim, args, params);
    return outs.map((k) => ys[k]!);
  };

/** `f` as a function of the arguments `free` only, the others fixed at `fixed` (which may be traced). */
export function partial(f: Fn, fixed: readonly NDArray[], free: readonly number[]): Fn {
  return (...xs) => {
    const args = fixed.slice();
    free.forEach((i, k) => (args[i] = xs[k]!));
    return f(...args);
  };
}

/** (x, v) ↦ J(x)·v for `f` of `nArgs` arguments, differentiated in `active`: `(...all, ...vs) ↦ tangents`. */
export const jvpOf =
  (f: Fn, nArgs: number, active: readonly number[]): Fn =>
  (...a) => {
    const all = a.slice(0, nArgs);
    return jvp(partial(f, all, active), active.map((i) => all[i]!), a.slice(nArgs))[1] as NDArray[];
  };

/** (x, u) ↦ J(x)ᵀ·u for `f` of `nArgs` arguments, differentiated in `active`: `(...all, ...us) ↦ cotangents`. */
export const vjpOf =
  (f: Fn, nArgs: number, active: readonly number[]): Fn =>
  (...a) => {
    const all = a.slice(0, nArgs);
    const back = vjp(partial(f, all, active), ...active.map((i) => all[i]!))[1] as (ct: NDArray[]) => NDArray[];
    return back(a.slice(nArgs));
  };

// ---------------------------------------------------------------- running a property

/**
 * Runs `check` on `runs` random values (fewer under CI, see config.ts); a failure reports the
 * shrunk case (its setup, argument values and seed) with the check's message, and fast-check's
 * seed (replay it with `PROPERTY_SEED`).
 */
export function property<T>(arb: fc.Arbitrary<T>, runs: number, check: (t: T) => void): void {
  fc.assert(
    fc.property(arb, (t) => {
      check(t);
    }),
    { numRuns: numRuns(runs), ...(seed === undefined ? {} : { seed }) },
  );
}

/** The draws every derivative check of a case needs: F of the active arguments, x, v, u (and the generator, for more). */
export function firstOrder(spec: PrimSpec, c: Case) {
  const rng = new Rng(c.seed);
  const { params } = c.setup;
  const avals = outAvals(spec, c.args, params);
  const active = activeSubset(wrtOf(spec, c), rng);
  const outs = floatOutputs(avals);
  const F = partial(primFn(spec, params, outs), c.args, active);
  const xs = active.map((i) => c.args[i]!);
  const vs = xs.map((x) => rng.like(x));
  const us = outs.map((k) => rng.like(avals[k]!));
  return { F, xs, vs, us, active, rng };
}

/**
 * `vmap` of the primitive's JVP (or VJP) agrees with a loop over a batch case: each example is the
 * arguments followed by its own tangents (or cotangents), batched along random axes.
 */
export function checkDerivativeVmap(spec: PrimSpec, bc: BatchCase, which: "jvp" | "vjp"): void {
  const rng = new Rng(bc.seed);
  const { params } = bc.setup;
  const first = bc.examples[0]!;
  const avals = outAvals(spec, first, params);
  const active = activeSubset(wrtOf(spec, { setup: bc.setup, args: first }), rng);
  if (active.length === 0) return;
  const outs = floatOutputs(avals);
  const G = (which === "jvp" ? jvpOf : vjpOf)(primFn(spec, params, outs), first.length, active);
  const examples = bc.examples.map((args) => [
    ...args,
    ...(which === "jvp" ? active.map((i) => rng.like(args[i]!)) : outs.map((k) => rng.like(avals[k]!))),
  ]);
  checkVmap(G, examples, randomInAxes(examples[0]!, rng), rng);
}
