// Every image reference a rendered chart can run: container images of every pod template,
// and the sandbox images the app starts (agent-server for 1.x, runtime for 0.x), which
// appear only as environment values.
import type { K8sObject } from "./render.ts";

interface EnvVar {
  name: string;
  value?: string;
}

/** Image references in rendered objects, sorted and without duplicates. */
export function imagesOf(objects: K8sObject[]): string[] {
  const images = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== "object" || node === null) return;
    const record = node as Record<string, unknown>;
    if (typeof record.image === "string" && typeof record.name === "string") images.add(record.image);
    if (Array.isArray(record.env)) for (const image of sandboxImages(record.env as EnvVar[])) images.add(image);
    for (const value of Object.values(record)) visit(value);
  };
  visit(objects);
  return [...images].sort();
}

function sandboxImages(env: EnvVar[]): string[] {
  const value = (name: string) => env.find((e) => e.name === name)?.value;
  const found: string[] = [];
  const runtime = value("SANDBOX_RUNTIME_CONTAINER_IMAGE");
  if (runtime) found.push(runtime);
  const repository = value("AGENT_SERVER_IMAGE_REPOSITORY");
  const tag = value("AGENT_SERVER_IMAGE_TAG");
  if (repository && tag) found.push(`${repository}:${tag}`);
  return found;
}
