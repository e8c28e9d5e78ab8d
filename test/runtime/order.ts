// The order the runtime suite runs its files in: the conversations of the main sandbox paths
// first, then what proves the most per minute. When RUNTIME_DEADLINE ends a run early
// (deadline-runner.ts), what it leaves out is what matters least. Files not named here run last.
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

export const runtimeOrder = [
  // Seconds each: the node itself, the scripted LLM, the browser's host mapping.
  "node",
  "fake-llm",
  "browser-hosts",
  "chart-presets",
  // One conversation per sandbox path, with restarts and upgrades (about 3 minutes a preset).
  "conversation",
  "lolice",
  "process-mode",
  "ui-flow",
  "external-secrets-store",
  "canvas-docker",
  "canvas",
  "canvas-ui-flow",
  "llm-seed",
  "bedrock-v0",
  "llm-seed-v0",
  "sign-in",
  "canvas-llm-profile",
  "env-contract",
  "app-env-effects",
  "dind-cleanup",
  "fake-llm-sdk",
  "images",
  // Run when RUNTIME_PRESETS names their preset (or all).
  "blog-dind",
  "runtime-v0-image",
  "v0-kubernetes-runtime",
  "runtime-v0-62-image",
  "canvas-tunnel",
];

/** A file's place in runtimeOrder; files not named come after all that are. */
export function runtimeRank(file: string): number {
  const i = runtimeOrder.indexOf(path.basename(file).replace(/\.runtime\.test\.ts$/, ""));
  return i === -1 ? runtimeOrder.length : i;
}

export class RuntimeSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => runtimeRank(a.moduleId) - runtimeRank(b.moduleId) || a.moduleId.localeCompare(b.moduleId));
  }
}
