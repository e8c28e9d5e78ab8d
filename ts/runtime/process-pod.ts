// A rendered process-mode pod on this machine: the app container (the real 1.11.0 app from the
// cached venv) with the rendered command, environment, hostAliases and chart files, beside the
// rendered gateway (Debian's nginx with the rendered nginx.conf). Both keep the rendered ports
// (app 3001; gateway 3000 and 80), so those must be free here.
//
// The app runs in private mount and PID namespaces: /etc/hosts gets exactly the rendered
// hostAliases, Chromium is hidden (the upstream app image has none), and stopping the
// namespace's first process ends every agent server it started. What differs from the pod:
// volumes are local directories, `uvicorn` runs as `python -m uvicorn` from the venv, HOME and
// TMPDIR point into this run's directory, and the UI build is the cached one.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { K8sObject } from "../lib/render.ts";
import { findNginx } from "../lib/nginx.ts";
import { containerOf, localCommand } from "./container-command.ts";
import { appPaths, stopNamespace } from "./local-app.ts";
import { startProcess, type StartedProcess } from "./process.ts";

export interface ProcessPod {
  /** The rendered app container's environment, as the app got it (paths made local). */
  env: Record<string, string>;
  /** Local directories of the pod's volumes, by mount path in the app container. */
  volumeDirs: Record<string, string>;
  /** The run's directory (state, sandboxes, gateway files). */
  dir: string;
  app: StartedProcess;
  gateway: StartedProcess;
  stop(): Promise<void>;
}

interface PodSpec {
  hostAliases?: { ip: string; hostnames: string[] }[];
  containers: { name: string; volumeMounts?: { name: string; mountPath: string }[] }[];
  volumes?: { name: string; configMap?: { name: string } }[];
}

export async function startProcessPod(objects: K8sObject[]): Promise<ProcessPod> {
  const deployment = objects.find((o) => o.kind === "Deployment" && (o.metadata.labels ?? {})["app.kubernetes.io/component"] === "server");
  if (!deployment) throw new Error("no server Deployment in the rendered objects");
  const spec = (deployment.spec as { template: { spec: PodSpec } }).template.spec;
  const { venv, frontendBuild } = appPaths();
  const nginx = findNginx();
  if (!nginx) throw new Error("nginx is missing (Debian nginx-light)");

  const dir = mkdtempSync(path.join(tmpdir(), "openhands-process-pod-"));
  chmodSync(dir, 0o755);
  const sub = (name: string) => {
    const p = path.join(dir, name);
    mkdirSync(p, { recursive: true });
    return p;
  };

  // The app: claims and emptyDirs become local directories; sandboxes live under TMPDIR.
  const tmp = sub("tmp");
  const volumeDirs: Record<string, string> = {};
  const configMapVolumes = new Set((spec.volumes ?? []).filter((v) => v.configMap).map((v) => v.name));
  for (const mount of containerOf(deployment, "openhands").volumeMounts ?? []) {
    if (configMapVolumes.has(mount.name)) continue;
    if (mount.mountPath === path.posix.join("/tmp", "openhands-sandboxes")) volumeDirs[mount.mountPath] = sub("tmp/openhands-sandboxes");
    else volumeDirs[mount.mountPath] = sub(`volumes/${mount.name}`);
  }
  const app = localCommand(objects, deployment, "openhands", { filesRoot: sub("files/openhands"), volumeDirs });
  if (app.command.slice(0, 2).join(" ") !== "uvicorn openhands.server.listen:app") {
    throw new Error(`the app container's command is not uvicorn openhands.server.listen:app: ${app.command.join(" ")}`);
  }
  const port = Number(app.command[app.command.indexOf("--port") + 1]);

  // The app serves ./frontend/build relative to its working directory, as in the image (/app).
  mkdirSync(path.join(dir, "app", "frontend"), { recursive: true });
  symlinkSync(frontendBuild, path.join(dir, "app", "frontend", "build"));
  const aliases = (spec.hostAliases ?? []).map((a) => `${a.ip}\t${a.hostnames.join(" ")}`).join("\n");
  writeFileSync(path.join(dir, "hosts"), `${readFileSync("/etc/hosts", "utf8")}\n${aliases}\n`);
  // An overlay whiteout hides /usr/bin/chromium from the app and its agent servers only.
  const overlay = { upper: sub("usr-bin/upper"), work: sub("usr-bin/work") };
  const setup = [
    'mount --bind "$HOSTS_FILE" /etc/hosts',
    'mknod "$OVERLAY_UPPER/chromium" c 0 0',
    'mount -t overlay overlay -o "lowerdir=/usr/bin,upperdir=$OVERLAY_UPPER,workdir=$OVERLAY_WORK" /usr/bin',
    'exec "$@"',
  ].join(" && ");
  const python = path.join(venv, "bin", "python");
  const appProcess = await startProcess({
    name: `process-pod-app-${port}`,
    command: "unshare",
    args: ["--mount", "--propagation", "private", "--pid", "--fork", "--mount-proc", "--kill-child=SIGTERM", "sh", "-c", setup, "sh", python, "-m", ...app.command, ...app.args],
    env: {
      ...app.env,
      HOME: sub("home"),
      TMPDIR: tmp,
      // LiteLLM would otherwise try to download its model price list at start.
      LITELLM_LOCAL_MODEL_COST_MAP: "True",
      HOSTS_FILE: path.join(dir, "hosts"),
      OVERLAY_UPPER: overlay.upper,
      OVERLAY_WORK: overlay.work,
    },
    cwd: path.join(dir, "app"),
    readyUrl: `http://127.0.0.1:${port}/health`,
    // Its imports and database migrations take minutes on a loaded 2-core machine.
    readyTimeoutMs: 600_000,
  });

  // The gateway: the rendered nginx.conf, its emptyDir at /tmp made a local directory.
  let gateway: StartedProcess;
  try {
    const gatewayDir = sub("gateway");
    chmodSync(gatewayDir, 0o777);
    const volume = (spec.volumes ?? []).find((v) => v.name === "gateway-config");
    const configMap = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name === volume?.configMap?.name) as (K8sObject & { data?: Record<string, string> }) | undefined;
    if (!configMap?.data?.["nginx.conf"]) throw new Error("the gateway's nginx.conf ConfigMap is not in the rendered objects");
    const confPath = path.join(gatewayDir, "nginx.conf");
    const conf = configMap.data["nginx.conf"].replaceAll("/tmp/", `${gatewayDir}/`);
    writeFileSync(confPath, conf);
    gateway = await startProcess({
      name: "process-pod-gateway",
      command: nginx,
      args: ["-c", confPath, "-e", "stderr", "-g", "daemon off;"],
      readyUrl: "http://127.0.0.1:3000/health",
      readyTimeoutMs: 30_000,
    });
  } catch (error) {
    await stopNamespace(appProcess);
    throw error;
  }

  return {
    env: app.env,
    volumeDirs,
    dir,
    app: appProcess,
    gateway,
    stop: async () => {
      await gateway.stop();
      await stopNamespace(appProcess);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
