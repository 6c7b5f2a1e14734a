/**
 * @file The package as a user gets it: `npm pack`, install the tarball into an empty project, then
 * import it from plain Node (built JavaScript) and type-check a TypeScript user of it (`.d.ts`).
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_loglevel: "error" } });

describe("npm package", () => {
  it("packs, installs and computes a gradient from plain Node and from TypeScript", () => {
    const dir = mkdtempSync(join(tmpdir(), "autograd-ts-pack-"));
    run("npm", ["pack", "--pack-destination", dir], root);
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "user", version: "1.0.0", type: "module", private: true }));
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(dir, tarball)], dir);

    const script = `
      import { grad, vmap } from "autograd-ts";
      import * as np from "autograd-ts/numpy";
      const g = grad((x) => np.sum(np.tanh(x).mul(x)))(np.array([1, 2, 3]));
      console.log(JSON.stringify({ g: g.toArray(), d2: grad(grad(np.sin))(1.0), v: vmap((r) => np.sum(r))(np.ones([2, 3])).toArray() }));
    `;
    const out = JSON.parse(run("node", ["--input-type=module", "-e", script], dir)) as { g: number[]; d2: number; v: number[] };
    const expected = [1, 2, 3].map((x) => Math.tanh(x) + x * (1 - Math.tanh(x) ** 2));
    out.g.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 14));
    expect(out.d2).toBeCloseTo(-Math.sin(1), 15);
    expect(out.v).toEqual([3, 3]);

    writeFileSync(
      join(dir, "user.ts"),
      `import { grad } from "autograd-ts";
       import * as np from "autograd-ts/numpy";
       const f = (x: np.NDArray): np.NDArray => np.sum(x.mul(x));
       const g: np.NDArray = grad(f)(np.array([1, 2]));
       const n: number = g.size;
       // @ts-expect-error: np.sum takes an options object, not a string
       np.sum(g, "axis");
       export { n };`,
    );
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", noEmit: true, skipLibCheck: false, types: [] }, files: ["user.ts"] }),
    );
    run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], dir);
  }, 240_000);
});
