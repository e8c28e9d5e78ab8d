// Renders the chart with a pinned Helm and returns the parsed objects. Renders go through a
// content-addressed cache (render-cache.ts), so each distinct render runs Helm once.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { repoRoot, type HelmName } from "./helm-binaries.ts";
import { cachedHelm } from "./render-cache.ts";

/** A rendered Kubernetes object. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface RenderOptions {
  /** Values files, relative to the repository root (for example `ci/blog-dind-values.yaml`). */
  valuesFiles?: string[];
  /** Inline values, applied after the files (written to a temporary values file). */
  values?: Record<string, unknown>;
  /** `--set` pairs, applied last. */
  set?: Record<string, string>;
  /** Which pinned Helm renders; default helm4. */
  helm?: HelmName;
  releaseName?: string;
  namespace?: string;
  /** `--kube-version`; default is Helm's own. */
  kubeVersion?: string;
  /** `--api-versions` entries (for example `gateway.networking.k8s.io/v1`). */
  apiVersions?: string[];
  /** More flags for `helm template` (for example `--show-only`). */
  extraArgs?: string[];
}

export interface Rendered {
  /** The raw multi-document YAML Helm printed. */
  manifest: string;
  /** Every non-empty document, parsed. */
  objects: K8sObject[];
}

/** The argument list of `helm template` for the options. */
export function templateArgs(options: RenderOptions): string[] {
  const args = ["template", options.releaseName ?? "openhands", repoRoot];
  args.push("--namespace", options.namespace ?? "openhands");
  for (const file of options.valuesFiles ?? []) args.push("--values", path.resolve(repoRoot, file));
  if (options.values) args.push("--values", writeTempValues(options.values));
  for (const [key, value] of Object.entries(options.set ?? {})) args.push("--set", `${key}=${value}`);
  if (options.kubeVersion) args.push("--kube-version", options.kubeVersion);
  for (const api of options.apiVersions ?? []) args.push("--api-versions", api);
  args.push(...(options.extraArgs ?? []));
  return args;
}

/** Renders and parses; throws with Helm's message when rendering fails. */
export async function render(options: RenderOptions = {}): Promise<Rendered> {
  const result = await cachedHelm(options.helm ?? "helm4", templateArgs(options));
  if (result.exitCode !== 0) {
    throw new Error(`helm template failed (${options.helm ?? "helm4"}): ${result.stderr}`);
  }
  return { manifest: result.stdout, objects: parseManifest(result.stdout) };
}

/** Renders values that must be rejected and returns Helm's error text; throws if they render. */
export async function renderError(options: RenderOptions): Promise<string> {
  const result = await cachedHelm(options.helm ?? "helm4", templateArgs(options));
  if (result.exitCode === 0) throw new Error("expected helm template to fail, but it rendered");
  return result.stderr;
}

/** Parses a multi-document manifest, rejecting duplicate keys and YAML errors. */
export function parseManifest(manifest: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const doc of parseAllDocuments(manifest, { uniqueKeys: true })) {
    if (doc.errors.length > 0) throw new Error(`invalid YAML in rendered manifest: ${doc.errors[0].message}`);
    const value = doc.toJS() as K8sObject | null;
    if (value) objects.push(value);
  }
  return objects;
}

/** The one object of a kind (and name, when given); fails when there is not exactly one. */
export function getObject<T = K8sObject>(objects: K8sObject[], kind: string, name?: string): T & K8sObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) {
    const have = objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ");
    throw new Error(`expected one ${kind}${name ? `/${name}` : ""}, found ${found.length} (rendered: ${have})`);
  }
  return found[0] as T & K8sObject;
}

/** Every object of a kind. */
export function objectsOfKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

let tempDir: string | undefined;
let tempCount = 0;
function writeTempValues(values: Record<string, unknown>): string {
  tempDir ??= mkdtempSync(path.join(tmpdir(), "openhands-chart-"));
  const file = path.join(tempDir, `values-${process.pid}-${tempCount++}.json`);
  writeFileSync(file, JSON.stringify(values));
  return file;
}
