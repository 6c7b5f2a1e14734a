/**
 * @file Dead-code elimination: equations no output needs are dropped, as are constants no longer
 * read, in the program and in every sub-jaxpr its params hold (which keep all their outputs).
 */
import { dceClosed, type ClosedJaxpr } from "../core/jaxpr.ts";
import { recurse } from "./rewrite.ts";

/**
 * Removes the equations and constants that no output depends on (no primitive has side effects).
 */
export function dce(closed: ClosedJaxpr): ClosedJaxpr {
  return dceClosed(recurse(closed, dce)).closed;
}
