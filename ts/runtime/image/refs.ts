// The image references the chart renders with its default values, read from values.yaml,
// Chart.yaml and the helm test template, so a changed default moves the built images with it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../../lib/helm-binaries.ts";

interface ImageValues {
  registry?: string;
  repository: string;
  tag?: string;
}

function imageRef(image: ImageValues, defaultTag: string): string {
  const repository = image.registry ? `${image.registry}/${image.repository}` : image.repository;
  return `${repository}:${image.tag || defaultTag}`;
}

export interface ChartImageRefs {
  app: string;
  agentServer: string;
  canvas: string;
  /** The agent server Canvas' Docker runtime runs each conversation in (canvas.docker.conversationImage). */
  canvasAgentServer: string;
  dind: string;
  gateway: string;
  oauth2Proxy: string;
  helmTest: string;
}

export function chartImageRefs(root = repoRoot): ChartImageRefs {
  const values = parse(readFileSync(path.join(root, "values.yaml"), "utf8"));
  const chart = parse(readFileSync(path.join(root, "Chart.yaml"), "utf8"));
  return {
    app: imageRef(values.openhands.image, String(chart.appVersion)),
    agentServer: imageRef(values.sandbox.image, ""),
    canvas: imageRef(values.canvas.image, ""),
    canvasAgentServer: imageRef(values.canvas.docker.conversationImage, ""),
    dind: imageRef(values.dind.image, ""),
    gateway: imageRef(values.sandbox.gateway.image, ""),
    oauth2Proxy: imageRef(values.auth.oauth2Proxy.image, ""),
    helmTest: imageRef(values.tests.image, ""),
  };
}

/** The tag of a reference (`repo:tag` -> `tag`). */
export function tagOf(ref: string): string {
  return ref.slice(ref.lastIndexOf(":") + 1);
}

/** The sandbox image reference a preset values file (under ci/) sets. */
export function presetSandboxRef(file: string, root = repoRoot): string {
  const values = parse(readFileSync(path.join(root, "ci", file), "utf8"));
  return imageRef(values.sandbox.image, "");
}

/** The app image reference a preset values file (under ci/) sets. */
export function presetAppRef(file: string, root = repoRoot): string {
  const values = parse(readFileSync(path.join(root, "ci", file), "utf8"));
  return imageRef(values.openhands.image, "");
}
