// What the 0.x preset suites on the node share: a release installed and waited for (its pod,
// how long it took, what failed), the report row and the release's removal afterwards, and the
// checks of a conversation the scripted LLM drove (its command ran, with this output).
import { execa, type ResultPromise } from "execa";
import { expect, inject } from "vitest";
import { helmBinary, repoRoot } from "../../ts/lib/helm-binaries.ts";
import type { V0ConversationResult } from "../../ts/runtime/v0-conversation.ts";
import { k } from "./kube.ts";
import { recordPreset } from "./report.ts";

export const helm = (args: string[]) => execa(helmBinary("helm4"), [...args, "--kubeconfig", inject("kubeconfig")], { cwd: repoRoot, reject: false, all: true });
export const secondsSince = (since: number) => Math.round((Date.now() - since) / 100) / 10;

/** One release of a 0.x preset: what the report says of it. */
export interface V0Release {
  preset: string;
  suite: string;
  release: string;
  namespace: string;
  secondsToReady?: number;
  secondsToFirstReply?: number;
  failures: string[];
  /** What the report shows beside the result (the runs of the command that came back empty). */
  notes: string[];
  result?: V0ConversationResult;
  /** How many times the agent ran the command (more than once when 0.x's shell returned no output). */
  commandRuns?: number;
  portForward?: ResultPromise;
}

export function v0Release(preset: string, suite: string, release: string): V0Release {
  return { preset, suite, release, namespace: release, failures: [], notes: [] };
}

/** `helm install --wait` with the values given; resolves to the server pod's name. */
export async function installV0Release(run: V0Release, args: string[]): Promise<string> {
  const started = Date.now();
  const install = await helm(["install", run.release, ".", "-n", run.namespace, "--wait", "--timeout", "600s", ...args]);
  if (install.exitCode !== 0) {
    const { stdout } = await k(["get", "pods", "-n", run.namespace, "-o", "wide"], { reject: false });
    run.failures.push("helm install failed");
    throw new Error(`helm install failed after ${secondsSince(started)}s:\n${install.all}\n${stdout}`);
  }
  run.secondsToReady = secondsSince(started);
  console.log(`${run.release}: helm install to Ready ${run.secondsToReady}s`);
  const { stdout } = await k(["get", "pods", "-n", run.namespace, "-l", `app.kubernetes.io/instance=${run.release},app.kubernetes.io/component=server`, "-o", "jsonpath={.items[0].metadata.name}"]);
  return stdout.trim();
}

/** Records the run in the report, then removes the release and its namespace. */
export async function finishV0Release(run: V0Release): Promise<void> {
  recordPreset({
    preset: run.preset,
    suite: run.suite,
    result: run.failures.length === 0 && run.result?.ended === "finished" ? "passed" : "failed",
    secondsToReady: run.secondsToReady,
    secondsToFirstReply: run.secondsToFirstReply,
    detail: [...run.failures, ...run.notes].join("\n") || undefined,
  });
  run.portForward?.kill();
  await helm(["uninstall", run.release, "-n", run.namespace, "--wait", "--timeout", "120s"]);
  await k(["delete", "namespace", run.namespace, "--wait=false"], { reject: false });
}

/**
 * The conversation ended with the agent finished, and the scripted command ran as the agent's
 * action with the expected output and exit code 0. `diagnostics` is shown when it did not. A
 * failure here is kept for the report row too.
 *
 * While a result lacks the expected output the script runs the command again, as a model would
 * (ts/runtime/script-step.ts): 0.x's shell now and then returns an observation without it. Each
 * such run is named in the report; the last run must carry the output.
 */
export function expectCommandRan(run: V0Release, result: V0ConversationResult, diagnostics: string): void {
  const { command, expectedOutput: output } = result.script;
  run.result = result;
  try {
    expect(result.created.status, JSON.stringify(result.created)).toBe(200);
    expect(result.ended, `${JSON.stringify(result.agentStates)}\n${diagnostics}`).toBe("finished");
    run.secondsToFirstReply = Math.round((result.seconds.finished - result.seconds.created) * 10) / 10;
    console.log(`${run.release}: conversation created, agent finished ${run.secondsToFirstReply}s later`);
    const observed = result.events.filter((e) => e.observation === "run" && e.extras?.command === command);
    expect(observed.length, JSON.stringify(result.events.map((e) => e.action ?? e.observation))).toBeGreaterThan(0);
    run.commandRuns = observed.length;
    const last = observed.at(-1);
    const earlier = observed.slice(0, -1).map((e) => JSON.stringify({ content: e.content, exit_code: e.extras?.metadata?.exit_code }));
    if (earlier.length > 0) {
      run.notes.push(`${earlier.length} result(s) without ${JSON.stringify(output)} (${earlier.join(", ")}); the agent ran the command again`);
      console.log(`${run.release}: ${run.notes.at(-1)}`);
    }
    expect(last.content, `the last of ${observed.length} run(s): ${JSON.stringify(last)}\n${diagnostics}`).toContain(output);
    expect(last.extras.metadata.exit_code).toBe(0);
    expect(result.events.filter((e) => e.action === "run" && e.source === "agent" && e.args?.command === command)).toHaveLength(observed.length);
  } catch (error) {
    run.failures.push(`conversation: ${(error as Error).message.split("\n")[0]}`);
    throw error;
  }
}

/** What the scripted LLM answered in a conversation that passed expectCommandRan: the command per run, then finish. */
export function scriptedAnswers(run: V0Release): string[] {
  return [...Array.from({ length: run.commandRuns ?? 1 }, () => "command"), "finish"];
}
