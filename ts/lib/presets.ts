// The presets every suite runs over, and the Helm / Kubernetes matrix.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { repoRoot, pinnedHelms, type HelmName } from "./helm-binaries.ts";
import { documentedLevel, type Level } from "./pod-security.ts";
import { render, type K8sObject } from "./render.ts";

export interface Preset {
  /** `default` for values.yaml alone, otherwise the file name without `-values.yaml`. */
  name: string;
  /** Values files on top of values.yaml. */
  valuesFiles: string[];
}

/** values.yaml itself and every `ci/*-values.yaml`. */
export const presets: Preset[] = [
  { name: "default", valuesFiles: [] },
  ...readdirSync(path.join(repoRoot, "ci"))
    .filter((file) => file.endsWith("-values.yaml"))
    .sort()
    .map((file) => ({ name: file.replace(/-values\.yaml$/, ""), valuesFiles: [`ci/${file}`] })),
];

export const helms: HelmName[] = pinnedHelms.map((h) => h.name);

/**
 * Kubernetes versions every preset renders for: 1.28 has no native sidecars (the
 * chart falls back to a postStart wait), 1.33 made them stable, 1.35 is the newest.
 */
export const kubeVersions = ["1.28.0", "1.33.0", "1.35.0"] as const;

/** The version used by suites that do not exercise capabilities. */
export const currentKube = "1.33.0";

/**
 * API versions every preset is rendered with, as a cluster that has the Gateway API and
 * External Secrets CRDs reports them (Argo CD passes the cluster's list the same way).
 */
export const clusterApiVersions = ["gateway.networking.k8s.io/v1/HTTPRoute", "external-secrets.io/v1/ExternalSecret", "external-secrets.io/v1/SecretStore"];

/** Renders `ci/<name>-values.yaml` for a cluster with every API the presets use, on Kubernetes 1.33. */
export async function renderPreset(name: string): Promise<K8sObject[]> {
  return (await render({ valuesFiles: [`ci/${name}-values.yaml`], apiVersions: clusterApiVersions, kubeVersion: "1.33.0" })).objects;
}

const presetValues = (preset: Preset) => ["values.yaml", ...preset.valuesFiles].map((f) => parse(readFileSync(path.join(repoRoot, f), "utf8")));

/** The preset's `sandbox.mode`. */
export function presetSandboxMode(preset: Preset): string {
  return presetValues(preset).reduce((m, v) => v?.sandbox?.mode ?? m, "dind");
}

/** The Pod Security level the chart documents for a preset's sandbox mode (Sysbox counts apart). */
export function presetLevel(preset: Preset): Level {
  const files = presetValues(preset);
  const app = files.reduce((a, v) => v?.app ?? a, "openhands");
  if (app === "canvas") return documentedLevel[`canvas:${files.reduce((r, v) => v?.canvas?.runtime ?? r, "local")}`];
  const mode = presetSandboxMode(preset);
  const sysbox = files.reduce((on, v) => v?.dind?.sysbox?.enabled ?? on, false);
  return documentedLevel[mode === "dind" && sysbox ? "dind+sysbox" : mode];
}
