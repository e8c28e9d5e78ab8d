// Steps of a runtime suite that build on each other: once one fails the rest are not run (they
// would only fail again, or delete evidence), and each failure is kept for the preset report.
import { it } from "vitest";

export interface StepEntry {
  failures: string[];
}

/**
 * A `step(title, body, timeout)` that registers a test; `onFailure` adds what helps to read
 * the failure (screenshots, logs) before it is thrown.
 */
export function chainedSteps(entry: StepEntry, onFailure: (title: string, error: Error) => Promise<void>) {
  return (title: string, body: () => Promise<void>, timeout = 600_000) =>
    it(title, async () => {
      if (entry.failures.length > 0) throw new Error(`not run: an earlier step failed (${entry.failures[0]})`);
      try {
        await body();
      } catch (error) {
        entry.failures.push(`${title}: ${(error as Error).message.split("\n")[0]}`);
        await onFailure(title, error as Error).catch(() => undefined);
        throw error;
      }
    }, timeout);
}
