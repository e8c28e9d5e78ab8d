// Validates rendered objects against the Kubernetes OpenAPI schemas that the
// kubernetes-models packages carry (offline). Unknown fields are not rejected there.
import type { K8sObject } from "./render.ts";

/** npm packages holding models of API groups that are not part of Kubernetes itself. */
const crdPackages: Record<string, string> = {
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
  "external-secrets.io": "@kubernetes-models/external-secrets",
};

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** Validates one object; throws with the model's message (naming the object) when it is invalid. */
export async function validateAgainstOpenAPI(object: K8sObject): Promise<void> {
  const Model = await modelFor(object.apiVersion, object.kind);
  try {
    new Model(object).validate();
  } catch (error) {
    throw new Error(`${object.kind}/${object.metadata.name} is invalid: ${(error as Error).message}`);
  }
}

async function modelFor(apiVersion: string, kind: string): Promise<ModelClass> {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const modulePath = crdPackages[group]
    ? `${crdPackages[group]}/${group}/${version}`
    : `kubernetes-models/${group ? `${group}/` : ""}${version}`;
  const module = (await import(modulePath)) as Record<string, ModelClass | undefined>;
  const Model = module[kind];
  if (!Model) throw new Error(`no schema for ${apiVersion} ${kind} in ${modulePath}`);
  return Model;
}
