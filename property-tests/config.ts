/**
 * @file How hard the property tests try: fewer runs under CI (`CI=true`), more locally, and
 * `PROPERTY_RUNS_SCALE=k` multiplies either (a soak run: `PROPERTY_RUNS_SCALE=20 npx vitest run property-tests`).
 * `PROPERTY_SEED=s` replays a failure: the seed fast-check printed, with `-t` naming the one test.
 */
const scale = Number(process.env.PROPERTY_RUNS_SCALE ?? 1) || 1;
export const numRuns = (local: number): number =>
  Math.ceil(scale * (process.env.CI ? Math.max(5, Math.ceil(local / 4)) : local));

/** The fast-check seed to replay, if any. */
export const seed: number | undefined = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined;
