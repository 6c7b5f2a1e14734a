/**
 * @file Where a compiled program's time goes, statement by statement (`npx tsx
 * bench/compiler-steps.ts [jit workload key] [calls]`, e.g. `mlp_step_jit 100`): the `Function`
 * constructor the code generator calls is wrapped so that each statement of the program's body is
 * followed by a clock read; after a warm-up, the mean time per call of every statement costing at
 * least 1% is printed, in program order. Products show as their `dotGeneral` calls, fused loops as
 * `loopN(…)` (their source: `jit(f).lower(…).text`). The clock reads add about a microsecond per
 * statement.
 */
const clock: { spent: number[]; last: number } = { spent: [], last: 0 };
const labels: string[] = [];
const hooks = globalThis as unknown as { __stepStart: () => void; __stepEnd: (i: number) => void };
hooks.__stepStart = () => {
  clock.last = performance.now();
};
hooks.__stepEnd = (i) => {
  const now = performance.now();
  clock.spent[i] = (clock.spent[i] ?? 0) + (now - clock.last);
  clock.last = now;
};

/** The generated text with a clock read after each statement of the returned program's body. */
function instrument(text: string): string {
  const at = text.indexOf("return function compiled");
  if (at < 0) return text;
  const out: string[] = [];
  for (const line of text.slice(at).split("\n")) {
    out.push(line);
    if (line.startsWith("return function compiled")) out.push("__stepStart();");
    else if (/^ {2}\S/.test(line) && /;( \/\/.*)?$/.test(line) && !/^ {2}return /.test(line)) {
      labels.push(line.trim());
      out.push(`__stepEnd(${labels.length - 1});`);
    }
  }
  return text.slice(0, at) + out.join("\n");
}

const RealFunction = globalThis.Function;
globalThis.Function = new Proxy(RealFunction, {
  construct(target, args: string[]) {
    // The code generator's call: new Function("K", "H", text).
    if (args.length === 3 && args[0] === "K") args = [args[0], args[1], instrument(args[2]!)];
    return Reflect.construct(target, args) as object;
  },
});

const { workloads } = await import("./workloads.ts");
const [key = "mlp_step_jit", callsArg = "100"] = process.argv.slice(2);
const w = workloads.find((x) => x.key === key);
if (!w) throw new Error(`no workload ${key} (known: ${workloads.map((x) => x.key).join(", ")})`);
const call = w.setup();
for (const t0 = performance.now(); performance.now() - t0 < 1000; ) call();
clock.spent = [];
const calls = Number(callsArg);
const t0 = performance.now();
for (let i = 0; i < calls; i++) call();
const perCall = (performance.now() - t0) / calls;
let listed = 0;
labels.forEach((label, i) => {
  const ms = (clock.spent[i] ?? 0) / calls;
  if (ms < perCall / 100) return;
  listed += ms;
  console.log(`${ms.toFixed(3).padStart(8)} ms  ${label.length > 120 ? `${label.slice(0, 117)}…` : label}`);
});
console.log(`${perCall.toFixed(3).padStart(8)} ms per call; the statements above ${listed.toFixed(3)} ms`);
process.exit(0);
