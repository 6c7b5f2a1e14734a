/**
 * @file The higher-order primitives carrying staged functions — `custom_jvp_call`,
 * `custom_vjp_call`, `checkpoint` (each policy) and `pjit` — through every transformation and
 * nested twice, against the plain function and central differences; what they print; the
 * programs that failed to stage before (shape rules that ran `f` on zeros); rules returning the
 * wrong shape, dtype or structure; saving policies.
 */
import { describe, expect, it } from "vitest";
import {
  checkGrads,
  checkpoint,
  checkpointName,
  checkpointPolicies,
  customJvp,
  customVjp,
  grad,
  hessian,
  jacrev,
  jit,
  jvp,
  makeJaxpr,
  vjp,
  vmap,
} from "autograd-ts";
import * as np from "autograd-ts/numpy";

type A = np.NDArray;
type F = (x: A) => A;

const W = np.array([[0.3, -0.5, 0.2], [0.1, 0.4, -0.3], [-0.2, 0.25, 0.6]]);
/** The plain function every wrapper below must agree with: R³ → R³, smooth. */
const g: F = (x) => np.tanh(x.matmul(W)).mul(np.sin(x));
/** Its JVP, written by hand: d[tanh(xW)·sin x] = (1 − tanh²(xW))·(t W)·sin x + tanh(xW)·cos x·t. */
const gRule = ([x]: A[], [t]: A[]): [A, A] => {
  const h = np.tanh(x!.matmul(W));
  const dh = np.subtract(1, h.mul(h)).mul(t!.matmul(W));
  return [h.mul(np.sin(x!)), dh.mul(np.sin(x!)).add(h.mul(np.cos(x!)).mul(t!))];
};
/** Its VJP as fwd/bwd: residuals h, sin x, cos x. */
const gFwd = (x: A): [A, A[]] => {
  const h = np.tanh(x.matmul(W));
  return [h.mul(np.sin(x)), [h, np.sin(x), np.cos(x)]];
};
const gBwd = ([h, s, c]: A[], ct: A): A[] => {
  const dPre = ct.mul(s!).mul(np.subtract(1, h!.mul(h!)));
  return [dPre.matmul(W.T).add(ct.mul(h!).mul(c!))];
};

const wrappers: { name: string; f: F; forward: boolean }[] = [
  { name: "customJvp", f: customJvp(g, gRule) as F, forward: true },
  { name: "customVjp", f: customVjp(g, gFwd, gBwd) as F, forward: false },
  { name: "checkpoint (nothingSaveable)", f: checkpoint(g), forward: true },
  { name: "checkpoint (everythingSaveable)", f: checkpoint(g, { policy: checkpointPolicies.everythingSaveable }), forward: true },
  { name: "checkpoint (dotsSaveable)", f: checkpoint(g, { policy: checkpointPolicies.dotsSaveable }), forward: true },
  { name: "jit (pjit)", f: jit(g), forward: true },
];

const x = np.array([0.4, -0.9, 1.3]);
const xs = np.stack([x, x.mul(-0.5), x.add(0.25)]);
const v = np.array([0.2, 1, -0.7]);
const loss = (f: F) => (y: A) => np.sum(f(y).mul(f(y)));
const tight = { rtol: 1e-12, atol: 1e-14 };

describe.each(wrappers)("$name through every transformation", ({ f, forward }) => {
  it("eager, jit, makeJaxpr(...).eval, vmap: the plain function's values", () => {
    expect(f(x)).toBeAllclose(g(x), tight);
    expect(jit(f)(x)).toBeAllclose(g(x), tight);
    expect(makeJaxpr(f)(x).eval(x)).toBeAllclose(g(x), tight);
    expect(vmap(f)(xs)).toBeAllclose(vmap(g)(xs), tight);
    expect(vmap(vmap(f))(np.stack([xs, xs.mul(2)]))).toBeAllclose(vmap(vmap(g))(np.stack([xs, xs.mul(2)])), tight);
  });
  it("grad, vjp, jacrev, and nested: grad of grad, jit of grad, vmap of grad, grad of vmap", () => {
    expect(grad(loss(f))(x)).toBeAllclose(grad(loss(g))(x), tight);
    expect(vjp(f, x)[1](v)[0] as A).toBeAllclose(vjp(g, x)[1](v)[0] as A, tight);
    expect(jacrev(f)(x)).toBeAllclose(jacrev(g)(x), tight);
    const gg = (h: F) => grad((y: A) => np.sum(grad((z: A) => np.sum(h(z)))(y).mul(y)));
    expect(gg(f)(x)).toBeAllclose(gg(g)(x), tight);
    expect(jit(grad(loss(f)))(x)).toBeAllclose(grad(loss(g))(x), tight);
    expect(grad(loss(jit(f)))(x)).toBeAllclose(grad(loss(g))(x), tight);
    expect(vmap(grad(loss(f)))(xs)).toBeAllclose(vmap(grad(loss(g)))(xs), tight);
    expect(grad((y: A) => np.sum(vmap(f)(y)))(xs)).toBeAllclose(grad((y: A) => np.sum(vmap(g)(y)))(xs), tight);
    expect(makeJaxpr(grad(loss(f)))(x).eval(x)).toBeAllclose(grad(loss(g))(x), tight);
  });
  // customVjp has no forward mode (tested below); the others run forward-mode compositions too.
  if (forward) it("jvp, hessian, jvp of jit, jit of jvp", () => {
    expect(jvp(f, [x], [v])[1]).toBeAllclose(jvp(g, [x], [v])[1], tight);
    expect(hessian(loss(f))(x)).toBeAllclose(hessian(loss(g))(x), tight);
    expect(jit((y: A) => jvp(f, [y], [v])[1])(x)).toBeAllclose(jvp(g, [x], [v])[1], tight);
    expect(jvp(jit(f), [x], [v])[1]).toBeAllclose(jvp(g, [x], [v])[1], tight);
  });
  it("against central differences, to order 2", () => {
    checkGrads(f, [x], { order: 2, modes: forward ? ["fwd", "rev"] : ["rev"] });
    checkGrads(loss(f), [x], { order: 2, modes: forward ? ["fwd", "rev"] : ["rev"] });
  });
});

describe("customVjp has no forward mode (as JAX)", () => {
  it("jvp and hessian's outer jacfwd raise, naming customVjp", () => {
    const f = customVjp(g, gFwd, gBwd) as F;
    expect(() => jvp(f, [x], [v])).toThrow(/customVjp\(g\): a function with a custom VJP has no forward-mode derivative/);
    expect(() => hessian(loss(f))(x)).toThrow(/no forward-mode derivative/);
  });
});

describe("staging uses the staged function's shapes, never a run of f on zeros", () => {
  const S = np.array([[2, 0.5], [0.5, 1]]);
  it("jit(customJvp(f, rule)) with a Cholesky in f (zeros are not positive definite)", () => {
    const logdet = customJvp(
      (a: A) => np.sum(np.log(np.diagonal(np.linalg.cholesky(a)))).mul(2),
      ([a], [t]) => [np.sum(np.log(np.diagonal(np.linalg.cholesky(a)))).mul(2), np.sum(np.linalg.inv(a).mul(t))],
    );
    expect(jit(logdet)(S)).toBeAllclose(Math.log(1.75), { rtol: 1e-14 });
    expect(jit(grad(logdet))(S)).toBeAllclose(np.linalg.inv(S), { rtol: 1e-14 });
  });
  it("jit(customVjp(np.linalg.inv, fwd, bwd)) (zeros are singular)", () => {
    const inv = customVjp(
      (a: A) => np.linalg.inv(a),
      (a: A) => {
        const b = np.linalg.inv(a);
        return [b, b];
      },
      (b: A, ct: A) => [b.T.matmul(ct).matmul(b.T).neg()],
    );
    expect(jit(inv)(S)).toBeAllclose(np.linalg.inv(S), { rtol: 1e-14 });
    const total = (h: F) => (a: A) => np.sum(h(a));
    expect(jit(grad(total(inv as F)))(S)).toBeAllclose(grad(total((a) => np.linalg.inv(a)))(S), { rtol: 1e-13 });
  });
});

describe("custom rules returning the wrong shape, dtype or structure raise, naming the rule and both shapes", () => {
  const twice = (y: A) => y.mul(2);
  const x2 = np.array([1, 2]);
  const sumOf = (f: F) => (y: A) => np.sum(f(y));
  it("customJvp: a (5,) tangent for a (2,) output, a wrong primal, a wrong dtype, a wrong structure", () => {
    const bad = customJvp(twice, function fiveRule([y]: A[]) {
      return [y!.mul(2), np.ones([5])];
    });
    expect(() => grad(sumOf(bad as F))(x2)).toThrow(/customJvp rule of twice \(fiveRule\) \(tangent output\): leaf 0 has shape \(5,\), but the function's output leaf 0 has shape \(2,\)/);
    expect(() => jvp(bad, [x2], [x2])).toThrow(/has shape \(5,\), but the function's output leaf 0 has shape \(2,\)/);
    const badPrimal = customJvp(twice, ([y], [t]) => [np.ones([3]), t!.mul(2)]);
    expect(() => jvp(badPrimal, [x2], [x2])).toThrow(/\(primal output\): leaf 0 has shape \(3,\), but the function's output leaf 0 has shape \(2,\)/);
    const badDtype = customJvp(twice, ([y], [t]) => [y!.mul(2), t!.astype("int32")]);
    expect(() => jvp(badDtype, [x2], [x2])).toThrow(/leaf 0 has dtype int32 \(shape \(2,\)\), but the function's output leaf 0 has dtype float64/);
    // @ts-expect-error the tangent output's structure is wrong on purpose: the types catch it, and so does the run-time check
    const badTree = customJvp(twice, ([y], [t]) => [y!.mul(2), [t!.mul(2), t!]]);
    expect(() => jvp(badTree, [x2], [x2])).toThrow(/customJvp rule of twice \(tangent output\) returned a tree of structure/);
  });
  it("customVjp: bwd with a wrong shape or count, fwd with a wrong output", () => {
    const fwd = (y: A) => [y.mul(2), null] as [A, null];
    const badBwd = customVjp(twice, fwd, (_: null, ct: A) => [np.sum(ct)]);
    expect(() => grad(sumOf(badBwd as F))(x2)).toThrow(/customVjp bwd of twice: leaf 0 has shape \(\), but the arguments' leaf 0 has shape \(2,\)/);
    const twoCts = customVjp(twice, fwd, (_: null, ct: A) => [ct, ct]);
    expect(() => grad(sumOf(twoCts as F))(x2)).toThrow(/customVjp bwd of twice returned a tree of structure .* but the arguments' has structure/);
    const badFwd = customVjp(twice, (y: A) => [np.sum(y), null], (_: null, ct: A) => [ct.mul(2)]);
    expect(() => grad(sumOf(badFwd as F))(x2)).toThrow(/customVjp fwd of twice: leaf 0 has shape \(\), but the function's output leaf 0 has shape \(2,\)/);
  });
  it("differentiating with respect to a value the function closes over is an error (as JAX)", () => {
    const scaled = (w: A) => customJvp((y: A) => y.mul(w), ([y], [t]) => [y!.mul(w), t!.mul(w)]);
    expect(() => grad((w: A) => np.sum((scaled(w) as F)(x2)))(np.array(3))).toThrow(/closes over \(not one of its arguments\)/);
    // With respect to the argument it is fine, closed-over value and all.
    expect(grad((y: A) => np.sum((scaled(np.array(3)) as F)(y)))(x2)).toBeAllclose([3, 3]);
  });
});

describe("printed jaxprs: one equation carrying its sub-jaxpr", () => {
  const one = np.ones([2]);
  it("custom_jvp_call, custom_vjp_call, checkpoint, pjit", () => {
    const sq = (y: A) => y.mul(y);
    expect(String(makeJaxpr(customJvp(sq, ([y], [t]) => [y!.mul(y!), t!.mul(y!).mul(2)]))(one))).toBe(
      [
        "{ lambda ; a:f64[2]. let",
        '    b:f64[2] = custom_jvp_call[name="sq" fun_jaxpr={ lambda ; a:f64[2]. let',
        "        b:f64[2] = mul a a",
        '      in (b) } num_hoisted=0 jvp_rule="<fn>"] a',
        "  in (b) }",
      ].join("\n"),
    );
    expect(String(makeJaxpr(customVjp(sq, (y: A) => [y.mul(y), y], (y: A, ct: A) => [ct.mul(y).mul(2)]))(one))).toBe(
      [
        "{ lambda ; a:f64[2]. let",
        '    b:f64[2] = custom_vjp_call[name="sq" fun_jaxpr={ lambda ; a:f64[2]. let',
        "        b:f64[2] = mul a a",
        "      in (b) } fwd_jaxpr={ lambda ; a:f64[2]. let",
        "      in (a) } bwd_jaxpr={ lambda a:f64[2]; b:f64[2] c:f64[2]. let",
        "        d:f64[2] = mul c b",
        "        e:f64[2] = mul d a",
        "      in (e) } num_hoisted=[0,0,0]] a",
        "  in (b) }",
      ].join("\n"),
    );
    expect(String(makeJaxpr(checkpoint(sq))(one))).toBe(
      [
        "{ lambda ; a:f64[2]. let",
        '    b:f64[2] = checkpoint[name="sq" jaxpr={ lambda ; a:f64[2]. let',
        "        b:f64[2] = mul a a",
        '      in (b) } policy={"kind":"nothingSaveable"}] a',
        "  in (b) }",
      ].join("\n"),
    );
    const jsq = jit(sq);
    expect(String(makeJaxpr((y: A) => np.sin(jsq(y)))(one))).toBe(
      [
        "{ lambda ; a:f64[2]. let",
        '    b:f64[2] = pjit[name="sq" jaxpr={ lambda ; a:f64[2]. let',
        "        b:f64[2] = mul a a",
        "      in (b) }] a",
        "    c:f64[2] = sin b",
        "  in (c) }",
      ].join("\n"),
    );
  });
  it("jit inside jit is one pjit equation in the outer program; grad of jit transposes the jaxpr", () => {
    const inner = jit(function inner(y: A) {
      return np.exp(y).sum();
    });
    const outer = jit((y: A) => inner(y).mul(3));
    expect(outer(one)).toBeAllclose(Math.E * 6, { rtol: 1e-15 });
    const program = outer.cacheInfo().programs[0]!.jaxpr;
    expect(program.eqns.map((e) => e.prim.name)).toEqual(["pjit", "mul"]);
    expect(String(program).match(/pjit\[name="inner"/g)?.length).toBe(1);
    const gtext = String(makeJaxpr(grad(inner))(one));
    expect(gtext).toMatch(/pjit\[name="inner"/);
    expect(gtext).toMatch(/pjit\[name="transpose\(jvp\(inner\)\)"/);
  });
});

describe("checkpoint policies decide what the backward pass recomputes", () => {
  const M = np.array([[1, 2], [3, 4]]).mul(0.1);
  const body = (y: A) => np.sin(np.tanh(checkpointName(y.matmul(M), "p"))).matmul(M);
  const one = np.array([0.3, -0.2]);
  const gradText = (policy: Parameters<typeof checkpoint>[1]) => String(makeJaxpr(grad((y: A) => np.sum(checkpoint(body, policy)(y))))(one));
  /** The equations of the backward pass's recomputation (the remat jaxpr's forward part). */
  const recomputed = (text: string, prim: string) => {
    const remat = text.slice(text.indexOf('name="transpose(remat(body))"'));
    return (remat.match(new RegExp(`= ${prim}\\b`, "g")) ?? []).length;
  };
  it("nothingSaveable recomputes the matrix product and tanh; dotsSaveable and the named product only tanh; everythingSaveable nothing", () => {
    const nothing = gradText({ policy: checkpointPolicies.nothingSaveable });
    const dots = gradText({ policy: checkpointPolicies.dotsSaveable });
    const everything = gradText({ policy: checkpointPolicies.everythingSaveable });
    const names = gradText({ policy: checkpointPolicies.saveOnlyTheseNames("p") });
    // Besides the transposed products, nothing saved means one more (forward) product in the backward pass.
    expect(recomputed(nothing, "dotGeneral")).toBe(recomputed(dots, "dotGeneral") + 1);
    expect(recomputed(names, "dotGeneral")).toBe(recomputed(dots, "dotGeneral"));
    expect(recomputed(everything, "dotGeneral")).toBe(recomputed(dots, "dotGeneral"));
    // tanh's derivative needs tanh's output: recomputed unless everything is saved.
    expect([nothing, dots, names, everything].map((t) => recomputed(t, "tanh"))).toEqual([1, 1, 1, 0]);
    // A name the policy does not list saves nothing.
    expect(gradText({ policy: checkpointPolicies.saveOnlyTheseNames("q") })).toBe(nothing);
  });
  it("every policy gives the same gradient", () => {
    const want = grad((y: A) => np.sum(body(y)))(one);
    for (const policy of [checkpointPolicies.nothingSaveable, checkpointPolicies.dotsSaveable, checkpointPolicies.everythingSaveable, checkpointPolicies.saveOnlyTheseNames("p")]) {
      expect(grad((y: A) => np.sum(checkpoint(body, { policy })(y)))(one)).toBeAllclose(want, tight);
    }
  });
  it("unknown options are an error", () => {
    expect(() => checkpoint(body, { polcy: 1 } as never)).toThrow(/checkpoint: unknown option "polcy"/);
  });
});
