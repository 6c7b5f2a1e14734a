/**
 * @file Pictures for the notebooks: a vega-lite spec is compiled to vega, rendered headless to SVG
 * (no DOM, no canvas), and rasterised to PNG by resvg with a font shipped as a package.
 */
import { writeFileSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import * as vl from "vega-lite";
import type { TopLevelSpec } from "vega-lite";
import { FONT_FAMILY, FONT_FILES } from "./fonts.ts";

/** Paths of the files a picture was written to. */
export interface Picture {
  readonly svg: string;
  readonly png: string;
}

const baseConfig = {
  font: FONT_FAMILY,
  background: "white",
  view: { stroke: null },
  title: { fontSize: 15 },
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
};

/**
 * Vega numbers clip paths with a counter shared by every view in the process, so the same chart
 * got different ids depending on what was drawn before it; renumbered from 1 in order of first
 * appearance, a chart's SVG is the same on every run.
 */
function numberClipsFromOne(svg: string): string {
  const ids = new Map<string, string>();
  return svg.replace(/\bclip(\d+)\b/g, (_, n: string) => {
    if (!ids.has(n)) ids.set(n, `clip${ids.size + 1}`);
    return ids.get(n)!;
  });
}

/** Renders a vega-lite spec to `<file>.svg` and `<file>.png` (PNG at `scale` × the SVG's size). */
export async function renderSpec(spec: TopLevelSpec, file: string, scale = 2): Promise<Picture> {
  const compiled = vl.compile({ ...spec, config: { ...baseConfig, ...(spec.config ?? {}) } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = numberClipsFromOne(await view.toSVG());
  view.finalize();
  const png = svgToPng(svg, scale);
  const paths = { svg: `${file}.svg`, png: `${file}.png` };
  writeFileSync(paths.svg, svg);
  writeFileSync(paths.png, png);
  return paths;
}

/** Rasterises an SVG string with resvg, using only the shipped font (so the result is the same on every machine). */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}

/** How many powers of ten the positive values span. */
const decades = (ys: readonly number[]): number => {
  const positive = ys.filter((y) => y > 0);
  return positive.length === 0 ? 0 : Math.log10(Math.max(...positive) / Math.min(...positive));
};

/** One line of a line plot. */
export interface Series {
  readonly name: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** Draw dashed (for a reference curve, say). */
  readonly dashed?: boolean;
}

export interface LinePlotOptions {
  /** Output path without extension: `<file>.svg` and `<file>.png` are written. */
  readonly file: string;
  readonly series: readonly Series[];
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Logarithmic y axis (values ≤ 0 are left out). */
  readonly logY?: boolean;
  /** Logarithmic x axis (values ≤ 0 are left out). */
  readonly logX?: boolean;
  /** Join the points in the order given (a trajectory) rather than by increasing x. */
  readonly inOrder?: boolean;
  readonly width?: number;
  readonly height?: number;
}

/** A line plot of one or more series, with a legend when there is more than one. */
export function linePlot(opts: LinePlotOptions): Promise<Picture> {
  const values: { x: number; y: number; series: string; order: number; dashed: boolean; i: number }[] = [];
  opts.series.forEach((s, k) => {
    const n = Math.min(s.x.length, s.y.length);
    for (let i = 0; i < n; i++) {
      const x = s.x[i]!;
      const y = s.y[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      if ((opts.logY === true && y <= 0) || (opts.logX === true && x <= 0)) continue;
      values.push({ x, y, series: s.name, order: k, dashed: s.dashed === true, i });
    }
  });
  const names = opts.series.map((s) => s.name);
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: opts.title,
    width: opts.width ?? 560,
    height: opts.height ?? 320,
    data: { values },
    mark: { type: "line", strokeWidth: 2, clip: true },
    encoding: {
      x: {
        field: "x",
        type: "quantitative",
        title: opts.xLabel,
        scale: { nice: false, ...(opts.logX === true ? { type: "log" } : {}) },
        ...(opts.logX === true ? { axis: { format: "~s" } } : {}),
      },
      y: {
        field: "y",
        type: "quantitative",
        title: opts.yLabel,
        // Over many decades, powers of ten read best as 1e-8 rather than 0.00000001; over a few, as 0.2.
        ...(opts.logY === true ? { scale: { type: "log" }, axis: { format: decades(values.map((v) => v.y)) > 4 ? ".0e" : "~g" } } : {}),
      },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        sort: names,
        scale: { domain: names, scheme: "tableau10" },
        legend: names.length > 1 ? { orient: "right", labelLimit: 400 } : null,
      },
      strokeDash: {
        field: "dashed",
        type: "nominal",
        scale: { domain: [false, true], range: [[1, 0], [6, 4]] },
        legend: null,
      },
      order: { field: opts.inOrder === true ? "i" : "x", type: "quantitative" },
    },
  };
  return renderSpec(spec, opts.file);
}

export interface ImageGridOptions {
  /** Output path without extension. */
  readonly file: string;
  /** Images as row-major pixel values (height × width each). */
  readonly images: readonly ArrayLike<number>[];
  readonly width: number;
  readonly height: number;
  /** A caption under each image. */
  readonly labels?: readonly string[];
  readonly title?: string;
  readonly columns?: number;
  /** Pixel value range mapped to the colour scheme (default [0, 1]). */
  readonly domain?: readonly [number, number];
  /** A vega colour scheme: "greys" (default; 0 is white) or e.g. "viridis", "magma". */
  readonly scheme?: string;
  /** Size of one pixel in the picture's SVG units (default 3). */
  readonly pixel?: number;
}

/**
 * A grid of small images (digits, smoke densities), drawn as a faceted vega-lite heatmap. With the
 * "greys" scheme, pixels at the bottom of the domain are white like the background and are not drawn.
 */
export function imageGrid(opts: ImageGridOptions): Promise<Picture> {
  const scheme = opts.scheme ?? "greys";
  const domain = opts.domain ?? [0, 1];
  const skipBackground = scheme === "greys";
  const values: { k: number; r: number; c: number; v: number }[] = [];
  opts.images.forEach((img, k) => {
    for (let r = 0; r < opts.height; r++) {
      for (let c = 0; c < opts.width; c++) {
        const v = img[r * opts.width + c]!;
        if (skipBackground && v <= domain[0]) continue;
        values.push({ k, r, c, v });
      }
    }
  });
  const labels = opts.labels ?? opts.images.map(() => "");
  const pixel = opts.pixel ?? 3;
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  // vega's "greys" starts at a light grey; pure white to black reads better for ink on paper.
  const colorScale = {
    domain: [...domain],
    clamp: true,
    ...(scheme === "greys" ? { range: ["#ffffff", "#000000"] } : { scheme }),
  };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    ...(opts.title !== undefined ? { title: opts.title } : {}),
    data: { values },
    columns: opts.columns ?? Math.min(opts.images.length, 8),
    facet: {
      field: "k",
      type: "ordinal",
      sort: range(opts.images.length),
      header: {
        title: null,
        labelOrient: "bottom",
        labelFontSize: 11,
        labelExpr: `${JSON.stringify(labels)}[datum.value]`,
      },
    },
    spec: {
      width: opts.width * pixel,
      height: opts.height * pixel,
      // A thin frame shows the edge of each image on the white background.
      view: { stroke: "#bbb" },
      mark: { type: "rect", strokeWidth: 0.3 },
      encoding: {
        x: { field: "c", type: "ordinal", axis: null, scale: { domain: range(opts.width), paddingInner: 0, paddingOuter: 0 } },
        y: { field: "r", type: "ordinal", axis: null, scale: { domain: range(opts.height), paddingInner: 0, paddingOuter: 0 } },
        color: { field: "v", type: "quantitative", scale: colorScale, legend: null },
        // A stroke of the same colour hides the hairline seams antialiasing leaves between rects.
        stroke: { field: "v", type: "quantitative", scale: colorScale, legend: null },
      },
    },
  } as TopLevelSpec;
  return renderSpec(spec, opts.file);
}

/**
 * Colours of a vega continuous scheme ("viridis", "magma", "greys", …) sampled at `n` points, as
 * [r, g, b] bytes: the palette for GIF frames.
 */
export function schemePalette(name: string, n = 256): number[][] {
  const interpolate = vega.scheme(name) as ((t: number) => string) | undefined;
  if (typeof interpolate !== "function") throw new Error(`plot: unknown continuous colour scheme "${name}"`);
  return Array.from({ length: n }, (_, i) => parseColor(interpolate(i / (n - 1))));
}

function parseColor(css: string): number[] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  if (hex) return [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16), parseInt(hex[3]!, 16)];
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`plot: cannot read colour ${css}`);
}
