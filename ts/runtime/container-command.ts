// Turns a rendered container into a local command: the same command, args and environment, with
// only addresses replaced (flag by flag, each of which must be present), Secret references filled
// from test secrets, ConfigMap volumes written to a directory, other volumes given local
// directories, and mount paths in args and environment values rewritten to those directories.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { K8sObject } from "../lib/render.ts";

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}

interface Container {
  name: string;
  image?: string;
  args?: string[];
  command?: string[];
  env?: EnvVar[];
  volumeMounts?: { name: string; mountPath: string; subPath?: string }[];
}

interface Volume {
  name: string;
  configMap?: { name: string; items?: { key: string; path: string }[] };
}

export interface LocalCommandOptions {
  /** `--flag` -> new value; the flag must be among the rendered args. */
  replaceFlags?: Record<string, string>;
  /** Secret name -> key -> value, for `secretKeyRef` env entries. */
  secrets?: Record<string, Record<string, string>>;
  /** Directory under which mounted ConfigMaps are written (mount path kept below it). */
  filesRoot: string;
  /** Mount path -> local directory for the container's other volumes (claims, emptyDirs). */
  volumeDirs?: Record<string, string>;
}

export interface LocalCommand {
  /** The container's `command` (empty when it uses the image's entrypoint). */
  command: string[];
  args: string[];
  env: Record<string, string>;
}

/** The named container (or init container) of a Deployment's pod template. */
export function containerOf(deployment: K8sObject, name: string): Container {
  const spec = (deployment.spec as { template: { spec: { containers: Container[]; initContainers?: Container[] } } }).template.spec;
  const all = [...spec.containers, ...(spec.initContainers ?? [])];
  const container = all.find((c) => c.name === name);
  if (!container) throw new Error(`${deployment.kind}/${deployment.metadata.name} has no container ${name} (has ${all.map((c) => c.name).join(", ")})`);
  return container;
}

export function localCommand(objects: K8sObject[], deployment: K8sObject, containerName: string, options: LocalCommandOptions): LocalCommand {
  const container = containerOf(deployment, containerName);
  const podSpec = (deployment.spec as { template: { spec: { volumes?: Volume[] } } }).template.spec;
  let args = [...(container.args ?? [])];
  const pathMap: [string, string][] = Object.entries(options.volumeDirs ?? {});

  // Mounted ConfigMaps become files under filesRoot; args naming the mount path follow them.
  for (const mount of container.volumeMounts ?? []) {
    const volume = podSpec.volumes?.find((v) => v.name === mount.name);
    if (!volume?.configMap) continue;
    const configMap = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === volume.configMap!.name) as (K8sObject & { data?: Record<string, string> }) | undefined;
    if (!configMap) throw new Error(`ConfigMap ${volume.configMap.name} mounted by ${containerName} is not in the rendered objects`);
    const localDir = path.join(options.filesRoot, mount.mountPath);
    mkdirSync(localDir, { recursive: true });
    const items = volume.configMap.items ?? Object.keys(configMap.data ?? {}).map((key) => ({ key, path: key }));
    for (const item of items) writeFileSync(path.join(localDir, item.path), configMap.data?.[item.key] ?? "");
    args = args.map((arg) => arg.split(mount.mountPath + "/").join(localDir + "/"));
    pathMap.push([mount.mountPath, localDir]);
  }
  for (const [mountPath] of Object.entries(options.volumeDirs ?? {})) {
    if (!(container.volumeMounts ?? []).some((m) => m.mountPath === mountPath)) throw new Error(`${containerName} mounts nothing at ${mountPath} (volumeDirs)`);
  }
  // A mount path as a whole value, or as an entry of a colon-separated list, or before a "/".
  const localPath = (value: string) =>
    value
      .split(":")
      .map((part) => {
        const hit = pathMap.find(([mountPath]) => part === mountPath || part.startsWith(mountPath + "/"));
        return hit ? hit[1] + part.slice(hit[0].length) : part;
      })
      .join(":");

  for (const [flag, value] of Object.entries(options.replaceFlags ?? {})) {
    const index = args.findIndex((arg) => arg.startsWith(`${flag}=`));
    if (index < 0) throw new Error(`${containerName} has no ${flag}= argument to replace (args: ${args.join(" ")})`);
    args[index] = `${flag}=${value}`;
  }

  const env: Record<string, string> = {};
  for (const entry of container.env ?? []) {
    if (entry.value !== undefined) env[entry.name] = localPath(entry.value);
    const ref = entry.valueFrom?.secretKeyRef;
    if (ref) {
      const value = options.secrets?.[ref.name]?.[ref.key];
      if (value === undefined) throw new Error(`${containerName} env ${entry.name} needs Secret ${ref.name} key ${ref.key}, which the test did not provide`);
      env[entry.name] = value;
    }
    const cmRef = entry.valueFrom?.configMapKeyRef;
    if (cmRef) {
      const configMap = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === cmRef.name) as (K8sObject & { data?: Record<string, string> }) | undefined;
      const value = configMap?.data?.[cmRef.key];
      if (value === undefined) throw new Error(`${containerName} env ${entry.name} needs ConfigMap ${cmRef.name} key ${cmRef.key}`);
      env[entry.name] = value;
    }
  }
  return { command: [...(container.command ?? [])], args, env };
}
