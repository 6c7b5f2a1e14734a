/** @file The font the pictures are drawn with, shipped as an npm package so text renders on any machine. */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
// dejavu-fonts-ttf has no "exports" map, so its package.json resolves and the .ttf files sit beside it.
const ttfDir = join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");

/** Family name used in every vega spec and as resvg's default. */
export const FONT_FAMILY = "DejaVu Sans";

/** The font files resvg loads (regular and bold: vega draws titles in bold). */
export const FONT_FILES = [join(ttfDir, "DejaVuSans.ttf"), join(ttfDir, "DejaVuSans-Bold.ttf")];
