// Typed views of the rendered pod, for assertions.
import { getObject, type K8sObject } from "./render.ts";

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: Record<string, unknown>;
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  restartPolicy?: string;
  workingDir?: string;
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string; subPath?: string }[];
  startupProbe?: Record<string, any>;
  livenessProbe?: Record<string, any>;
  readinessProbe?: Record<string, any>;
  lifecycle?: Record<string, any>;
  ports?: { name: string; containerPort: number }[];
  resources?: Record<string, any>;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: ({ name: string } & Record<string, any>)[];
  hostAliases?: { ip: string; hostnames: string[] }[];
  terminationGracePeriodSeconds?: number;
  [field: string]: unknown;
}

export interface Deployment extends K8sObject {
  spec: {
    replicas: number;
    strategy: { type: string };
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec };
  };
}

/** The OpenHands server Deployment. */
export function serverDeployment(objects: K8sObject[]): Deployment {
  return getObject<Deployment>(objects, "Deployment", "openhands");
}

/** A container of a pod, regular or init; fails when absent. */
export function container(pod: PodSpec, name: string): Container {
  const found = [...pod.containers, ...(pod.initContainers ?? [])].find((c) => c.name === name);
  if (!found) throw new Error(`pod has no container named ${name}`);
  return found;
}

/** A container's environment as a name -> value map (valueFrom entries map to their source). */
export function envOf(c: Container): Record<string, string | Record<string, unknown> | undefined> {
  const env: Record<string, string | Record<string, unknown> | undefined> = {};
  for (const v of c.env ?? []) env[v.name] = v.value ?? v.valueFrom;
  return env;
}

/** Where a container mounts a volume, by volume name. */
export function mountsOf(c: Container): Record<string, string> {
  return Object.fromEntries((c.volumeMounts ?? []).map((m) => [m.name, m.mountPath]));
}

/** A pod volume by name; fails when absent. */
export function volume(pod: PodSpec, name: string): Record<string, any> {
  const found = pod.volumes?.find((v) => v.name === name);
  if (!found) throw new Error(`pod has no volume named ${name}`);
  return found;
}
