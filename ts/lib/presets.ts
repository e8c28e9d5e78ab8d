// The presets every suite runs over, and the Helm / Kubernetes matrix.
import { readdirSync } from "node:fs";
import path from "node:path";
import { repoRoot, pinnedHelms, type HelmName } from "./helm-binaries.ts";

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
