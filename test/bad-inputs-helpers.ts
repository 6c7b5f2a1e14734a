/**
 * @file Shared by the bad-input tests (transformations, options, edges): assert an error's class and message parts,
 * then run a canary (grad, vmap of grad, jit) that must still give the right answers, so an error
 * never leaves the interpreter stack dirty.
 */
import { expect } from "vitest";
import { grad, vmap, jit } from "autograd-ts";
import * as np from "autograd-ts/numpy";
import { currentLevel } from "../src/core/trace.ts";

const f = (x: np.NDArray) => np.sin(x).mul(x);
/** d/dx x·sin x = sin x + x·cos x. */
const df = (x: number) => Math.sin(x) + x * Math.cos(x);
const jitted = jit((x: np.NDArray) => np.sum(np.tanh(x).mul(x)));

/** grad, vmap(grad) and jit of small functions give the right numbers, and no level is left on the stack. */
export function canary(): void {
  expect(currentLevel()).toBe(0);
  expect(grad(f)(0.5)).toBeAllclose(df(0.5), { rtol: 1e-14 });
  const xs = [0.1, -0.7, 2];
  expect(vmap(grad(f))(np.array(xs))).toBeAllclose(xs.map(df), { rtol: 1e-14 });
  const x = np.array([0.3, -1.2]);
  expect(jitted(x)).toBeAllclose(np.sum(np.tanh(x).mul(x)), { rtol: 1e-14 });
  expect(currentLevel()).toBe(0);
}

/** An error class, abstract ones included. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** Runs `run`, which must throw an instance of `cls` whose message contains every part (no canary). */
export function expectError(run: () => unknown, cls: ErrorClass, parts: readonly (string | RegExp)[]): Error {
  let err: unknown = undefined;
  try {
    run();
  } catch (e) {
    err = e;
  }
  expect(err, "expected an error").toBeInstanceOf(cls);
  const message = (err as Error).message;
  for (const p of parts) {
    if (typeof p === "string") expect(message).toContain(p);
    else expect(message).toMatch(p);
  }
  return err as Error;
}

/** Runs `run`, which must throw an instance of `cls` whose message contains every part; then the canary. */
export function expectBadInput(run: () => unknown, cls: ErrorClass, ...parts: (string | RegExp)[]): Error {
  const err = expectError(run, cls, parts);
  canary();
  return err;
}
