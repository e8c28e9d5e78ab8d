// Which opt-in runtime suites a run includes. RUNTIME_PRESETS names presets (or `all`); unset,
// a plain `npm run test:runtime` runs everything. .ci/run sets a default list that leaves out
// the suites whose images or run time do not fit CI.

const requested = process.env.RUNTIME_PRESETS?.split(",").map((s) => s.trim()).filter(Boolean);

/** Whether this run includes a suite that holds `preset`. */
export function presetRequested(preset: string): boolean {
  return !requested || requested.includes("all") || requested.includes(preset);
}
