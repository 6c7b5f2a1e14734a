/**
 * @file Runs every JSDoc `@example` in src/, so documentation cannot rot. A line ending in
 * `// <value>` whose value parses as JSON (a number or nested array) is also checked against it.
 */
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import * as ag from "autograd-ts";
import * as np from "autograd-ts/numpy";
import * as scipy from "autograd-ts/scipy";
import * as optimizers from "autograd-ts/optimizers";

const root = resolve(import.meta.dirname, "..");

function* sources(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* sources(p);
    else if (p.endsWith(".ts")) yield p;
  }
}

/** The `@example` blocks of a file: the comment lines after the tag, up to the next tag or the end. */
function examples(text: string): string[] {
  const out: string[] = [];
  for (const block of text.match(/\/\*\*[\s\S]*?\*\//g) ?? []) {
    const lines = block.split("\n").map((l) => l.replace(/^\s*\/?\*+\/?\s?/, ""));
    const at = lines.findIndex((l) => l.trim().startsWith("@example"));
    if (at < 0) continue;
    const body: string[] = [];
    for (const l of lines.slice(at + 1)) {
      if (l.trim().startsWith("@")) break;
      body.push(l);
    }
    out.push(body.join("\n").trim());
  }
  return out;
}

const toNumbers = (x: unknown): unknown => (x instanceof np.NDArray ? x.toArray() : x);

function run(code: string): void {
  const checked = code
    .split("\n")
    .map((line) => {
      const m = line.match(/^(.*?);\s*\/\/\s*(.+)$/);
      if (!m) return line;
      try {
        JSON.parse(m[2]!);
      } catch {
        return line;
      }
      return `__check(${m[1]}, ${m[2]});`;
    })
    .join("\n");
  const js = ts.transpileModule(checked, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
  const check = (got: unknown, want: unknown) => expect(toNumbers(got)).toBeAllclose(want as number, { rtol: 1e-12, atol: 1e-14 });
  const scope = { ...ag, ...optimizers, np, scipy, NDArray: np.NDArray, __check: check };
  new Function(...Object.keys(scope), js)(...Object.values(scope));
}

const all = [...sources(join(root, "src"))].flatMap((file) => examples(readFileSync(file, "utf8")).map((code) => ({ file: relative(root, file), code })));

describe("JSDoc examples", () => {
  it("there are examples to run", () => expect(all.length).toBeGreaterThan(8));
  for (const { file, code } of all) {
    it(`${file}: ${code.split("\n").find((l) => l.trim()) ?? ""}`, () => run(code));
  }
});
