/**
 * @file Every registered primitive has a property-test spec (so it is tested the moment it is
 * registered), every spec names a registered primitive, and linear primitives say where they are linear.
 */
import { describe, expect, it } from "vitest";
import { registry } from "../src/registry.ts";
import { loadErrors, primitiveNames, specs } from "./harness.ts";

describe("property-test specs", () => {
  it("load without errors", () => {
    expect(loadErrors).toEqual([]);
  });

  it("cover every registered primitive", () => {
    const missing = primitiveNames.filter((n) => !specs.has(n));
    expect(missing, "registered primitives without a spec: add one to a property-tests/specs-<family>.ts (see spec.ts)").toEqual([]);
  });

  it("name only registered primitives, as the very records the registry holds", () => {
    const stale = [...specs.keys()].filter((n) => registry.get(n) !== specs.get(n)!.prim);
    expect(stale, "specs whose primitive is not in the registry").toEqual([]);
  });

  it("declare `linearIn` exactly for the primitives with a transpose rule", () => {
    const wrong = [...specs.values()]
      .filter((s) => (s.prim.transpose !== "nonlinear") !== (s.linearIn !== null))
      .map((s) => `${s.name}: ${s.prim.transpose === "nonlinear" ? "nonlinear but declares linearIn" : "has a transpose rule but no linearIn"}`);
    expect(wrong).toEqual([]);
  });
});
