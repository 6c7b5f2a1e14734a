/** @file `scipy.optimize`: `minimize`, `rootScalar` and `newton`, differentiable through their solutions. */
export { minimize, type MinimizeOptions, type OptimizeResult, type Method } from "./minimize.ts";
export { rootScalar, newton, type RootScalarOptions, type RootResults, type NewtonOptions } from "./roots.ts";
