/** @file The short markdown report each notebook writes beside its pictures. */
import { writeFileSync } from "node:fs";
import { basename, join, relative } from "node:path";

/** Builds a markdown page piece by piece; `write` saves it as `<dir>/<name>.md`. */
export class Report {
  private readonly parts: string[] = [];
  constructor(readonly title: string) {}

  /** A paragraph of prose. */
  text(markdown: string): this {
    this.parts.push(markdown.trim());
    return this;
  }

  /** A two-column table of key results. */
  numbers(rows: Record<string, number | string>): this {
    const lines = ["| quantity | value |", "| --- | --- |"];
    for (const [k, v] of Object.entries(rows)) lines.push(`| ${k} | ${typeof v === "number" ? fmt(v) : v} |`);
    this.parts.push(lines.join("\n"));
    return this;
  }

  /** An image, linked relative to the report's own folder. */
  image(path: string, alt: string, dir?: string): this {
    this.parts.push(`![${alt}](${dir === undefined ? basename(path) : relative(dir, path)})`);
    return this;
  }

  /** Writes `<dir>/<name>.md` and returns its path. */
  write(dir: string, name: string): string {
    const file = join(dir, `${name}.md`);
    writeFileSync(file, `# ${this.title}\n\n${this.parts.join("\n\n")}\n`);
    return file;
  }
}

const fmt = (v: number): string =>
  Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? v.toPrecision(5) : v.toExponential(3);
