/** @file How a notebook was asked to run (quick or full), where it writes, and whether it is the main script. */
import { mkdirSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Options every notebook's `run` takes. */
export interface RunOptions {
  /** Small data and few iterations: seconds instead of minutes, for tests and CI. */
  readonly quick: boolean;
}

/** `--quick` on the command line or `QUICK=1` in the environment selects quick mode. */
export function readMode(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): RunOptions {
  const flag = argv.slice(2).includes("--quick");
  const envQuick = env.QUICK !== undefined && env.QUICK !== "" && env.QUICK !== "0" && env.QUICK !== "false";
  return { quick: flag || envQuick };
}

const notebooksDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * The folder a notebook writes its pictures and report into: `notebooks/out/` in full mode (kept in
 * git, so the pictures can be seen on the repository page), `notebooks/out/quick/` in quick mode
 * (gitignored). `OUT_DIR` in the environment overrides both, so tests can write to a temporary folder.
 */
export function outDir({ quick }: RunOptions): string {
  const dir = process.env.OUT_DIR ?? join(notebooksDir, "out", ...(quick ? ["quick"] : []));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Whether the module at `metaUrl` is the script Node was started with (`npx tsx notebooks/NN.ts`). */
export function isMain(metaUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(fileURLToPath(metaUrl)) === realpathSync(resolve(script));
  } catch {
    return false;
  }
}

/**
 * Runs a notebook's `run` when its file is executed directly, printing the time it took; errors end
 * the process with exit code 1.
 */
export function main<R>(metaUrl: string, run: (opts: RunOptions) => Promise<R> | R): void {
  if (!isMain(metaUrl)) return;
  const opts = readMode();
  const t0 = performance.now();
  Promise.resolve()
    .then(() => run(opts))
    .then(() => console.log(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s (${opts.quick ? "quick" : "full"} mode)`))
    .catch((e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    });
}
