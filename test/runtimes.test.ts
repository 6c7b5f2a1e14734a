/**
 * @file The library outside Node's test runner: bundled by esbuild for `platform: "browser"` (no
 * `node:` imports, the CommonJS @stdlib dependencies bundled) and run in headless Chromium, and the
 * same example bundled as an ES module and run by every JavaScript runtime found (Node always; Bun,
 * Deno and other Node versions when their binaries are named in `AUTOGRAD_TS_RUNTIMES`).
 *
 * Chromium is Debian's `chromium` package (`.ci/run` installs it). Locally, a missing Chromium
 * skips the browser test with a message; under CI (`CI=true`) it fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build, type Plugin } from "esbuild";
import { chromium } from "playwright-core";
import { expected } from "./runtimes/example.ts";

const root = resolve(import.meta.dirname, "..");
const example = join(root, "test/runtimes/example.ts");

/** Resolves `autograd-ts` and `autograd-ts/<entry>` to the sources, as a user's bundler resolves the package. */
const packageAlias: Plugin = {
  name: "autograd-ts",
  setup(b) {
    b.onResolve({ filter: /^autograd-ts(\/.*)?$/ }, (args) => {
      const sub = args.path.slice("autograd-ts".length);
      return { path: join(root, "src", sub === "" ? "index.ts" : `${sub.slice(1)}/index.ts`) };
    });
  },
};

/** Bundles the example with a line that runs it and hands the result to `report`. */
async function bundle(platform: "browser" | "neutral", report: string): Promise<string> {
  const result = await build({
    stdin: { contents: `import { runExample } from ${JSON.stringify(example)};\n${report}`, resolveDir: root, loader: "ts" },
    bundle: true,
    write: false,
    platform,
    format: platform === "browser" ? "iife" : "esm",
    mainFields: ["browser", "module", "main"],
    target: "es2022",
    plugins: [packageAlias],
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

function checkResult(got: Record<string, number | number[]>): void {
  const want = expected();
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const [k, w] of Object.entries(want)) {
    const g = got[k]!;
    if (Array.isArray(w)) (g as number[]).forEach((v, i) => expect(v, k).toBeCloseTo(w[i]!, 13));
    else expect(g as number, k).toBeCloseTo(w, 13);
  }
}

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "autograd-ts-runtimes-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("bundling for the browser", () => {
  it("bundles with esbuild for platform browser: no node: import, the @stdlib CommonJS code included", async () => {
    const code = await bundle("browser", "globalThis.__result = runExample();");
    expect(code).not.toMatch(/require\(["']node:/);
    expect(code).not.toMatch(/from ["']node:/);
    expect(code.length).toBeGreaterThan(100_000);
  });
});

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
const inCI = process.env.CI === "true" || process.env.CI === "1";

describe("headless Chromium", () => {
  if (!haveChromium && !inCI) {
    it.skip(`runs the example in Chromium — skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH); CI requires it`, () => {});
    return;
  }
  it("runs the bundled example in headless Chromium and gets the right gradients", async () => {
    expect(haveChromium, `CI: no Chromium at ${CHROMIUM}; .ci/run installs Debian's chromium package`).toBe(true);
    const code = await bundle("browser", "globalThis.__result = runExample();");
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.setContent("<!doctype html><html><body></body></html>");
      await page.addScriptTag({ content: code });
      const got = (await page.evaluate(() => (globalThis as { __result?: unknown }).__result)) as Record<string, number | number[]>;
      const noBuffer = await page.evaluate(() => typeof (globalThis as { Buffer?: unknown }).Buffer === "undefined");
      expect(errors).toEqual([]);
      expect(noBuffer).toBe(true);
      checkResult(got);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

/** Runtimes to run the ES-module bundle with: this Node, plus `name=path` pairs from AUTOGRAD_TS_RUNTIMES (comma-separated). */
const runtimes: [string, string[]][] = [["node " + process.version, [process.execPath]]];
for (const pair of (process.env.AUTOGRAD_TS_RUNTIMES ?? "").split(",").filter(Boolean)) {
  const [name, path] = pair.split("=") as [string, string];
  // Deno asks for permission to read DEBUG: the `debug` package (under @stdlib) reads it.
  runtimes.push([name, name.startsWith("deno") ? [path, "run", "--allow-read", "--allow-env=DEBUG"] : [path]]);
}

describe("JavaScript runtimes", () => {
  it.each(runtimes)("%s runs the example bundled as an ES module", async (_name, cmd) => {
    const code = await bundle("neutral", "console.log(JSON.stringify(runExample()));");
    const file = join(dir, `example-${Math.random().toString(36).slice(2)}.mjs`);
    writeFileSync(file, code);
    const out = execFileSync(cmd[0]!, [...cmd.slice(1), file], { encoding: "utf8", timeout: 60_000 });
    checkResult(JSON.parse(out.trim().split("\n").pop()!) as Record<string, number | number[]>);
  }, 90_000);
});
