/**
 * @file `config.update("debugNans", true)`: the first primitive producing a NaN throws a
 * `FloatingPointError` naming it and the user's line — eagerly, in grad's forward and backward
 * passes, under vmap and inside jit — and switching it off restores the unchecked `bind`.
 */
import { afterEach, describe, expect, it } from "vitest";
import { bind, config, FloatingPointError, grad, jit, vmap } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { bindUnchecked } from "../src/core/trace.ts";
import { readFileSync } from "node:fs";

type A = np.NDArray;
afterEach(() => config.update("debugNans", false));

const source = readFileSync(new URL(import.meta.url).pathname, "utf8").split("\n");
/** `file:line:` of the line of this file holding `// SITE <name>`, as the error names it. */
const site = (name: string): RegExp => new RegExp(`debug-nans\\.test\\.ts:${source.findIndex((l) => l.endsWith(`// SITE ${name}`)) + 1}:`);

/** The error `f` throws (fails the test when it throws none). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
}

describe("config.debugNans", () => {
  it("off (the default): NaNs flow as in NumPy, and bind is the unchecked one", () => {
    expect(config.read("debugNans")).toBe(false);
    expect(Number.isNaN(np.log(np.array(-1)).item())).toBe(true);
    expect(bind).toBe(bindUnchecked);
  });
  it("eager: names the primitive and this file's line", () => {
    config.update("debugNans", true);
    expect(bind).not.toBe(bindUnchecked);
    const e = thrown(() => np.sqrt(np.array([4, -1]))); // SITE eager
    expect(e).toBeInstanceOf(FloatingPointError);
    expect(e.message).toMatch(/debugNans: sqrt produced a NaN \(output 0, shape \(2,\), flat index 1; its inputs held none\)/);
    expect(e.message).toMatch(site("eager"));
  });
  it("a jitted function that already ran (its fast path primed) is still checked once debugNans is on", () => {
    config.update("debugNans", false);
    const jf = jit((x: A) => np.where(x.gt(0), np.log(x), 0));
    expect(jf(np.array([1, -1]))).toBeAllclose([0, 0]);
    expect(jf(np.array([2, -2]))).toBeAllclose([Math.log(2), 0]);
    config.update("debugNans", true);
    expect(thrown(() => jf(np.array([1, -1]))).message).toMatch(/log produced a NaN/);
    config.update("debugNans", false);
  });
  it("a NaN only in intermediate values is caught at the primitive that makes it", () => {
    config.update("debugNans", true);
    const f = (x: A) => np.where(x.gt(0), np.log(x), 0);
    expect(thrown(() => f(np.array([1, -1]))).message).toMatch(/log produced a NaN/);
    // Under jit too: the program's equations are checked one by one.
    expect(thrown(() => jit(f)(np.array([1, -1]))).message).toMatch(/log produced a NaN/);
    config.update("debugNans", false);
    expect(f(np.array([1, -1]))).toBeAllclose([0, 0]);
  });
  it("grad, forward pass: names the primitive and the user's line inside f", () => {
    config.update("debugNans", true);
    const f = (x: A) => np.sum(np.log(x.sub(2))); // SITE forward
    const e = thrown(() => grad(f)(np.array([1])));
    expect(e.message).toMatch(/log produced a NaN/);
    expect(e.message).not.toMatch(/backward/);
    expect(e.message).toMatch(site("forward"));
  });
  it("grad, backward pass: a NaN only in the cotangents is caught there and says so", () => {
    config.update("debugNans", true);
    // sqrt at 0 is finite; its derivative 1/(2√x) is inf, and inf · 0 = NaN in the backward pass.
    const f = (x: A) => np.sum(np.sqrt(x).mul(0));
    const x = np.array([0]);
    expect(f(x).item()).toBe(0);
    const e = thrown(() => grad(f)(x)); // SITE backward
    expect(e).toBeInstanceOf(FloatingPointError);
    expect(e.message).toMatch(/produced a NaN in the backward pass/);
    expect(e.message).toMatch(site("backward"));
  });
  it("vmap: caught in the batched computation", () => {
    config.update("debugNans", true);
    expect(thrown(() => vmap((x: A) => np.log(x))(np.array([1, -2]))).message).toMatch(/log produced a NaN/);
  });
  it("jit: caught in the program's equations; re-running without jit names the line in f", () => {
    config.update("debugNans", true);
    const f = jit((x: A) => np.arcsin(x.mul(3))); // SITE jit
    const e = thrown(() => f(np.array([0.5])));
    expect(e).toBeInstanceOf(FloatingPointError);
    expect(e.message).toMatch(/arcsin produced a NaN/);
    expect(e.message).toMatch(site("jit"));
    expect(e.message).toMatch(/inside jit\(/);
  });
  it("grad(jit(f)): the NaN in the jitted forward pass is traced back to the line in f", () => {
    config.update("debugNans", true);
    const f = jit((x: A) => np.sum(np.log(x.sub(3)))); // SITE gradjit
    const e = thrown(() => grad(f)(np.array([1, 4])));
    expect(e).toBeInstanceOf(FloatingPointError);
    expect(e.message).toMatch(/log produced a NaN/);
    expect(e.message).toMatch(site("gradjit"));
  });
  it("an input already NaN is reported as such", () => {
    config.update("debugNans", true);
    expect(thrown(() => np.sin(np.array(NaN))).message).toMatch(/an input already held a NaN/);
  });
  it("switching off restores the plain bind; unknown options and non-booleans are TypeErrors", () => {
    config.update("debugNans", true);
    config.update("debugNans", false);
    expect(bind).toBe(bindUnchecked);
    expect(() => config.update("debugNan" as never, true as never)).toThrow(/config.update: unknown option "debugNan" \(known: debugNans\)/);
    expect(() => config.update("debugNans", 1 as never)).toThrow(/takes a boolean/);
    expect(() => config.read("x" as never)).toThrow(TypeError);
  });
});
