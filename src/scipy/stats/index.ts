/**
 * @file `scipy.stats`: probability distributions as namespaces of functions
 * (`stats.norm.logpdf(x, loc, scale)`), with SciPy's argument order; every function is
 * differentiable in the value and in every continuous parameter, and works under `vmap`.
 */
export * as norm from "./norm.ts";
export * as t from "./t.ts";
export * as gamma from "./gamma.ts";
export * as beta from "./beta.ts";
export * as chi2 from "./chi2.ts";
export * as dirichlet from "./dirichlet.ts";
export * as poisson from "./poisson.ts";
export * as expon from "./expon.ts";
export * as laplace from "./laplace.ts";
export * as logistic from "./logistic.ts";
export * as multivariateNormal from "./multivariateNormal.ts";
