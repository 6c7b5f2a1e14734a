/**
 * @file Progress of a training loop: a live cli-progress bar on a terminal, and on a pipe or in CI a
 * few plain lines (about every 10% or 10 s) so logs stay short.
 */
import cliProgress from "cli-progress";

export interface Progress {
  /** Advances by one step; `info` (say `{ loss: 0.31 }`) is shown beside the bar. */
  tick(info?: Record<string, number | string>): void;
  /** Ends the bar (and prints the final line when not on a terminal). */
  stop(): void;
}

const format = (info: Record<string, number | string>): string =>
  Object.entries(info)
    .map(([k, v]) => `${k} ${typeof v === "number" ? formatNumber(v) : v}`)
    .join("  ");

const formatNumber = (v: number): string =>
  Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toFixed(4) : v.toExponential(3);

/** A progress indicator for `total` steps labelled `label`. */
export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stdout): Progress {
  let done = 0;
  let info: Record<string, number | string> = {};
  if (stream.isTTY === true && process.env.CI === undefined) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left | {info}`,
        stream,
        hideCursor: true,
        barsize: 30,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { info: "" });
    return {
      tick(i) {
        done++;
        if (i !== undefined) info = i;
        bar.update(done, { info: format(info) });
      },
      stop() {
        bar.stop();
      },
    };
  }
  const t0 = performance.now();
  let lastPrint = t0;
  let lastFraction = 0;
  const line = () => {
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    stream.write(`${label}: ${done}/${total} (${s} s) ${format(info)}\n`);
  };
  return {
    tick(i) {
      done++;
      if (i !== undefined) info = i;
      const now = performance.now();
      if (done / total - lastFraction >= 0.1 || now - lastPrint >= 10_000) {
        lastFraction = done / total;
        lastPrint = now;
        if (done < total) line();
      }
    },
    stop() {
      line();
    },
  };
}
