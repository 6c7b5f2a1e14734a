/**
 * @file The compiler: optimising passes over closed jaxprs and JS code generation.
 */
export { dce } from "./dce.ts";
export { cse } from "./cse.ts";
export { fold } from "./fold.ts";
export { simplify } from "./simplify.ts";
export { optimize, passes } from "./pipeline.ts";
export { compile, type Compiled } from "./compile.ts";
export { planMemory, type MemoryPlan } from "./memory-plan.ts";
