// The per-preset report of the runtime suites: one entry per preset install (result and time
// until the release was Ready, and for conversations until the agent's first reply), kept as
// runtime-report/presets.json beside the screenshots (CI keeps that directory) and printed, and
// written as presets.txt, as a table when the run ends.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { reportDir } from "../../ts/runtime/browser.ts";
import { heldBy, notRunRows } from "./coverage.ts";
import { notStartedFile } from "./deadline.ts";

export const reportFile = path.join(reportDir, "presets.json");
export const reportTable = path.join(reportDir, "presets.txt");

export interface PresetResult {
  preset: string;
  /** Which suite installed it (several suites may install the same preset). */
  suite: string;
  result: "passed" | "failed";
  /** Seconds from `helm install` until every pod was Ready; undefined when it never was. */
  secondsToReady?: number;
  /** Seconds from sending the first message until the agent's reply showed in the browser (conversation suites). */
  secondsToFirstReply?: number;
  detail?: string;
}

/** The app's log without its SQL statements (upstream echoes every query at INFO): the last `lines` others. */
export function appLogWithoutSql(log: string, lines = 120): string {
  return log.split("\n").filter((l) => !/^\s{20,}|^\[[^\]]*\]\s+INFO\s+(\[cached|\[generated|SELECT|INSERT|UPDATE|BEGIN|COMMIT)/.test(l)).slice(-lines).join("\n");
}

export function resetReport(): void {
  rmSync(reportFile, { force: true });
  rmSync(reportTable, { force: true });
  rmSync(notStartedFile, { force: true });
}

export function readReport(): PresetResult[] {
  return existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, "utf8")) as PresetResult[]) : [];
}

/** Appends one entry (suites run one file at a time, so appends do not race). */
export function recordPreset(entry: PresetResult): void {
  mkdirSync(path.dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, JSON.stringify([...readReport(), entry], null, 2) + "\n");
}

/** What a conversation suite keeps of one preset's run while its steps go. */
export interface ConversationRun {
  secondsToReady?: number;
  secondsToFirstReply?: number;
  failures: string[];
  notes: string[];
}

/** Records a conversation run: passed when no step failed and the agent replied. */
export function recordConversation(preset: string, suite: string, run: ConversationRun): void {
  recordPreset({
    preset,
    suite,
    result: run.failures.length === 0 && run.secondsToFirstReply !== undefined ? "passed" : "failed",
    secondsToReady: run.secondsToReady,
    secondsToFirstReply: run.secondsToFirstReply,
    detail: [...run.failures, ...run.notes].join("\n") || undefined,
  });
}

export function formatReport(entries: PresetResult[]): string {
  const time = (s?: number) => (s === undefined ? "-" : `${s.toFixed(1)}s`);
  const rows = [["preset", "suite", "result", "time to Ready", "time to first reply", "notes"], ...entries.map((e) => [e.preset, e.suite, e.result, time(e.secondsToReady), time(e.secondsToFirstReply), (e.detail ?? "").split("\n").join("; ")])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd()).join("\n");
}

/** The presets this suite does not run, each with its reason (test/runtime/coverage.ts). */
export function formatNotRun(entries: PresetResult[] = readReport()): string {
  const notSelected = notSelectedRows(entries);
  const notStarted = existsSync(notStartedFile) ? readFileSync(notStartedFile, "utf8").trim().split("\n").filter(Boolean) : [];
  return [
    "not run here:",
    ...notRunRows().map((r) => `  ${r.preset}: ${r.reason}`),
    ...(notStarted.length > 0 ? ["not started, the run's deadline having passed (RUNTIME_DEADLINE):", ...notStarted.map((line) => `  ${line}`)] : []),
    ...(notSelected.length > 0 ? ["not run in this run (RUNTIME_PRESETS or the suites chosen):", ...notSelected.map((r) => `  ${r.preset}: ${r.reason}`)] : []),
  ].join("\n");
}

/** Presets a suite holds that this run recorded nothing for: left out by RUNTIME_PRESETS or by the files chosen. */
export function notSelectedRows(entries: PresetResult[]): { preset: string; reason: string }[] {
  const recorded = new Set(entries.map((e) => e.preset));
  return Object.entries(heldBy)
    .filter(([preset]) => !recorded.has(preset))
    .map(([preset, suite]) => ({ preset, reason: `held by the ${suite} suite, not run this time` }));
}

/** Writes the table beside the JSON, followed by the presets not run here. */
export function writeReportTable(entries: PresetResult[]): void {
  mkdirSync(path.dirname(reportTable), { recursive: true });
  writeFileSync(reportTable, `${formatReport(entries)}\n\n${formatNotRun(entries)}\n`);
}
