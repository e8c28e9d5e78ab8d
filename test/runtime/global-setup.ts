// Installs Chromium and starts the real single-node Kubernetes for the runtime suites (once per run) and tears it down afterwards,
// failing the run when the teardown leaves processes, mounts, cgroups or namespaces behind.
import path from "node:path";
import type { TestProject } from "vitest/node";
import { ensureChromium } from "../../ts/runtime/chromium-package.ts";
import { nodeHandle, nodeStatus, startNode } from "../../ts/runtime/node/node.ts";
import { formatNotRun, formatReport, readReport, reportFile, resetReport, writeReportTable } from "./report.ts";

/** Suites that run everything on this machine: a run of only these starts no node. */
const nodeFreeSuites = [
  "process-mode.runtime.test.ts",
  "ui-flow.runtime.test.ts",
  "env-contract.runtime.test.ts",
  "app-env-effects.runtime.test.ts",
  "bedrock-v0.runtime.test.ts",
  "llm-seed.runtime.test.ts",
  "llm-seed-v0.runtime.test.ts",
  "canvas-ui-flow.runtime.test.ts",
  "canvas-llm-profile.runtime.test.ts",
  "images.runtime.test.ts",
  "sign-in.runtime.test.ts",
  "runtime-v0-image.runtime.test.ts",
  "runtime-v0-62-image.runtime.test.ts",
  "fake-llm.runtime.test.ts",
  "fake-llm-sdk.runtime.test.ts",
  "browser-hosts.runtime.test.ts",
];

async function runNeedsNode(project: TestProject): Promise<boolean> {
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern ?? [];
  const { testFiles } = await project.globTestFiles(filters);
  return testFiles.some((file) => !nodeFreeSuites.includes(path.basename(file)));
}

export default async function setup(project: TestProject) {
  const started = Date.now();
  resetReport();
  // The browser the UI suites drive must be on the machine.
  await ensureChromium();
  if (!(await runNeedsNode(project))) {
    console.log("runtime suite: only suites that need no node; none started");
    return () => {
      const entries = readReport();
      if (entries.length > 0) console.log(`\nruntime presets (${reportFile}):\n${formatReport(entries)}\n`);
    };
  }
  // OPENHANDS_NODE_REUSE=1 runs the suites on a node left up by `npm run node -- up` and leaves it up.
  const reuse = process.env.OPENHANDS_NODE_REUSE === "1";
  if (reuse && !nodeStatus().daemons.includes("kubelet")) throw new Error("OPENHANDS_NODE_REUSE=1 but no node runs (npm run node -- up)");
  const node = reuse ? nodeHandle() : await startNode();
  console.log(`runtime suite: node ${reuse ? "reused" : "up"} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  project.provide("kubeconfig", node.kubeconfig);
  project.provide("nodeIp", node.nodeIp);
  project.provide("hostIp", node.hostIp);
  return async () => {
    const entries = readReport();
    if (entries.length > 0) {
      writeReportTable(entries);
      console.log(`\nruntime presets (${reportFile}):\n${formatReport(entries)}\n\n${formatNotRun(entries)}\n`);
    }
    if (reuse) return;
    const stopping = Date.now();
    await node.stop();
    const left = nodeStatus();
    console.log(`runtime suite: node down in ${((Date.now() - stopping) / 1000).toFixed(1)}s`);
    const leftovers = Object.entries(left).filter(([, v]) => (Array.isArray(v) ? v.length > 0 : v !== 0 && v !== false));
    if (leftovers.length > 0) throw new Error(`node teardown left ${JSON.stringify(left)}`);
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    kubeconfig: string;
    nodeIp: string;
    hostIp: string;
  }
}
