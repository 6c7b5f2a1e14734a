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
export * as uniform from "./uniform.ts";
export * as cauchy from "./cauchy.ts";
export * as lognorm from "./lognorm.ts";
export * as vonmises from "./vonmises.ts";
export * as bernoulli from "./bernoulli.ts";
export * as binom from "./binom.ts";
export * as geom from "./geom.ts";
export * as nbinom from "./nbinom.ts";
