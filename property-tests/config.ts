/** @file How hard the property tests try: fewer runs under CI (`CI=true`), more locally. */
export const numRuns = (local: number): number => (process.env.CI ? Math.max(5, Math.ceil(local / 4)) : local);
