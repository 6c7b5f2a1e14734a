/** @file Animated GIFs of scalar fields (smoke density), coloured with a vega scheme and encoded by gifenc. */
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { schemePalette } from "./plot.ts";

// gifenc's CommonJS build hides its names from Node's ESM loader, while bundlers (vitest) pick its
// ESM build with other defaults; requiring the CommonJS build gives the same module everywhere.
const { GIFEncoder } = createRequire(import.meta.url)("gifenc") as typeof import("gifenc");

export interface GifOptions {
  /** Output path, ending in `.gif`. */
  readonly file: string;
  /** Frames as row-major values (height × width each). */
  readonly frames: readonly ArrayLike<number>[];
  readonly width: number;
  readonly height: number;
  /** Value range mapped onto the colour scheme (default [0, 1]); values outside are clamped. */
  readonly domain?: readonly [number, number];
  /** A vega continuous scheme (default "magma"). */
  readonly scheme?: string;
  /** Each pixel becomes a `scale` × `scale` block (default 4). */
  readonly scale?: number;
  /** Milliseconds per frame (default 60). */
  readonly delay?: number;
}

/** Writes an endlessly looping animated GIF; one 256-colour palette serves every frame. */
export function writeGif(opts: GifOptions): string {
  const [lo, hi] = opts.domain ?? [0, 1];
  const scale = opts.scale ?? 4;
  const palette = schemePalette(opts.scheme ?? "magma", 256);
  const w = opts.width * scale;
  const h = opts.height * scale;
  const gif = GIFEncoder();
  for (const frame of opts.frames) {
    const index = new Uint8Array(w * h);
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const v = frame[Math.floor(r / scale) * opts.width + Math.floor(c / scale)]!;
        const t = Number.isFinite(v) ? (v - lo) / (hi - lo) : 0;
        index[r * w + c] = Math.round(255 * Math.min(1, Math.max(0, t)));
      }
    }
    gif.writeFrame(index, w, h, { palette, delay: opts.delay ?? 60, repeat: 0 });
  }
  gif.finish();
  writeFileSync(opts.file, gif.bytes());
  return opts.file;
}
