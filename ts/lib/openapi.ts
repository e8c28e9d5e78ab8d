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
  const apiVersion = modelVersionFor[object.apiVersion] ?? object.apiVersion;
  try {
    new Model({ ...object, apiVersion }).validate();
  } catch (error) {
    throw new Error(`${object.kind}/${object.metadata.name} is invalid: ${(error as Error).message}`);
  }
}

/**
 * API versions checked against an older version's model. @kubernetes-models/external-secrets
 * (the newest release that runs on Node 20) models v1beta1 only; v1 kept the fields the chart
 * writes (secretStoreRef, refreshInterval, target, data[].remoteRef, provider.aws) unchanged.
 */
const modelVersionFor: Record<string, string> = {
  "external-secrets.io/v1": "external-secrets.io/v1beta1",
};

async function modelFor(apiVersion: string, kind: string): Promise<ModelClass> {
  const modelled = modelVersionFor[apiVersion] ?? apiVersion;
  const [group, version] = modelled.includes("/") ? modelled.split("/") : ["", modelled];
  const modulePath = crdPackages[group]
    ? `${crdPackages[group]}/${group}/${version}`
    : `kubernetes-models/${group ? `${group}/` : ""}${version}`;
  const module = (await import(modulePath)) as Record<string, ModelClass | undefined>;
  const Model = module[kind];
  if (!Model) throw new Error(`no schema for ${apiVersion} ${kind} in ${modulePath}`);
  return Model;
}
