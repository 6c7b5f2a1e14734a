/**
 * @file The compiler: optimising passes over closed jaxprs, JS code generation with fused loops, and
 * a memory plan. Internal (what `jit` runs; not part of the public API), so its functions are shown
 * and checked in test/compiler-*.test.ts and property-tests/compiler.test.ts rather than by `@example`s.
 */
export { dce } from "./dce.ts";
export { cse } from "./cse.ts";
export { fold } from "./fold.ts";
export { simplify } from "./simplify.ts";
export { layout } from "./layout.ts";
export { optimize, passes } from "./pipeline.ts";
export { compile, type Compiled } from "./compile.ts";
export { planMemory, type MemoryPlan } from "./memory-plan.ts";
