// Sandbox mode dind: the Docker daemon as a sidecar of the OpenHands pod.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { render, renderError } from "../ts/lib/render.ts";
import { writeChartScripts } from "../ts/lib/chart-scripts.ts";
import { helms } from "../ts/lib/presets.ts";
import { container, envOf, mountsOf, serverDeployment, volume, type PodSpec } from "../ts/lib/workload.ts";

async function pod(kubeVersion: string, values: Record<string, unknown> = {}): Promise<PodSpec> {
  const { objects } = await render({ kubeVersion, values });
  return serverDeployment(objects).spec.template.spec;
}

describe("dind sidecar", () => {
  it.each(["1.29.0", "1.33.0", "1.35.0"])("on Kubernetes %s the daemon is a native sidecar gated by `docker info`", async (kube) => {
    const spec = await pod(kube);
    expect(spec.initContainers?.map((c) => c.name)).toEqual(["workspace-owner", "dind"]);
    const dind = container(spec, "dind");
    expect(dind.restartPolicy).toBe("Always");
    expect(dind.startupProbe).toMatchObject({ exec: { command: ["docker", "info"] }, periodSeconds: 2, failureThreshold: 60 });
    // Its only hook is the detached sandbox image pull (no wait), which holds nothing back.
    expect(dind.lifecycle!.postStart.exec.command).toEqual(["sh", "/opt/openhands-chart/dind-post-start.sh", "0", "ghcr.io/openhands/agent-server:1.34.0-python"]);
    expect(spec.containers.map((c) => c.name)).toEqual(["openhands", "gateway"]);
  });

  it("on Kubernetes 1.28 the daemon is the first container and its postStart hook waits for it", async () => {
    const spec = await pod("1.28.0");
    expect(spec.initContainers?.map((c) => c.name)).toEqual(["workspace-owner"]);
    expect(spec.containers.map((c) => c.name)).toEqual(["dind", "openhands", "gateway"]);
    expect(spec.containers[0].lifecycle!.postStart.exec.command).toEqual(["sh", "/opt/openhands-chart/dind-post-start.sh", "120", "ghcr.io/openhands/agent-server:1.34.0-python"]);
    expect(spec.containers[0].restartPolicy).toBeUndefined();
  });

  it("dind.startup postStart forces the wait loop on a cluster with native sidecars", async () => {
    const spec = await pod("1.33.0", { dind: { startup: "postStart" } });
    expect(spec.initContainers?.map((c) => c.name)).toEqual(["workspace-owner"]);
    expect(spec.containers[0].name).toBe("dind");
  });

  it("dind.startupTimeoutSeconds sets the probe budget and the wait loop", async () => {
    const native = await pod("1.33.0", { dind: { startupTimeoutSeconds: 300 } });
    expect(container(native, "dind").startupProbe!.failureThreshold).toBe(150);
    const legacy = await pod("1.28.0", { dind: { startupTimeoutSeconds: 300 } });
    expect(legacy.containers[0].lifecycle!.postStart.exec.command[2]).toBe("300");
  });

  it("the Docker API listens on a pod-local Unix socket only, never on TCP", async () => {
    const spec = await pod("1.33.0", { dind: { extraArgs: ["--mtu=1400"] } });
    const dind = container(spec, "dind");
    expect(dind.args).toEqual(["dockerd", "--host=unix:///run/dind/docker.sock", "--mtu=1400"]);
    expect(JSON.stringify(spec)).not.toMatch(/tcp:\/\/|2375|2376/);
    expect(envOf(dind)).toMatchObject({ DOCKER_TLS_CERTDIR: "", DOCKER_HOST: "unix:///run/dind/docker.sock" });
    expect(envOf(container(spec, "openhands")).DOCKER_HOST).toBe("unix:///run/dind/docker.sock");
    expect(volume(spec, "docker-socket")).toEqual({ name: "docker-socket", emptyDir: {} });
    expect(mountsOf(dind)["docker-socket"]).toBe("/run/dind");
    expect(mountsOf(container(spec, "openhands"))["docker-socket"]).toBe("/run/dind");
  });

  it("host.docker.internal resolves to 127.0.0.1 so the app reaches sandbox ports the daemon publishes in the pod", async () => {
    const spec = await pod("1.33.0");
    expect(spec.hostAliases).toEqual([{ ip: "127.0.0.1", hostnames: ["host.docker.internal"] }]);
  });

  it("the workspace mounts at the same path in the app and the daemon, which resolves sandbox bind mounts", async () => {
    const spec = await pod("1.33.0", { persistence: { workspace: { mountPath: "/srv/ws" } } });
    expect(mountsOf(container(spec, "dind")).workspace).toBe("/srv/ws");
    expect(mountsOf(container(spec, "openhands")).workspace).toBe("/srv/ws");
    expect(envOf(container(spec, "openhands")).SANDBOX_VOLUMES).toBe("/srv/ws:/workspace:rw");
  });

  it("the daemon is privileged; dind.securityContext adds to that", async () => {
    const spec = await pod("1.33.0", { dind: { securityContext: { privileged: false, readOnlyRootFilesystem: false } } });
    expect(container(spec, "dind").securityContext).toEqual({ privileged: true, readOnlyRootFilesystem: false });
  });

  it("/var/lib/docker is an emptyDir by default, with dind.emptyDirSizeLimit as its limit", async () => {
    expect(volume(await pod("1.33.0"), "docker-data")).toEqual({ name: "docker-data", emptyDir: {} });
    const limited = await pod("1.33.0", { dind: { emptyDirSizeLimit: "80Gi" } });
    expect(volume(limited, "docker-data")).toEqual({ name: "docker-data", emptyDir: { sizeLimit: "80Gi" } });
    expect(mountsOf(container(limited, "dind"))["docker-data"]).toBe("/var/lib/docker");
  });

  it("dind.persistence.enabled puts /var/lib/docker on a kept claim so images survive restarts", async () => {
    const { objects } = await render({ kubeVersion: "1.33.0", values: { dind: { persistence: { enabled: true, size: "100Gi", storageClass: "fast" } } } });
    const spec = serverDeployment(objects).spec.template.spec;
    expect(volume(spec, "docker-data").persistentVolumeClaim.claimName).toBe("openhands-docker");
    const claim = objects.find((o) => o.kind === "PersistentVolumeClaim" && o.metadata.name === "openhands-docker") as any;
    expect(claim.spec).toMatchObject({ storageClassName: "fast", resources: { requests: { storage: "100Gi" } } });
    expect(claim.metadata.annotations["helm.sh/resource-policy"]).toBe("keep");
  });

  it("dind.image, dind.env and dind.resources reach the daemon container", async () => {
    const spec = await pod("1.33.0", {
      dind: {
        image: { registry: "mirror.example:5000", repository: "docker", tag: "28.0.1-dind", pullPolicy: "Always" },
        env: { DOCKER_DRIVER: "overlay2" },
        resources: { requests: { cpu: "2" }, limits: { memory: "16Gi" } },
      },
    });
    const dind = container(spec, "dind") as any;
    expect(dind.image).toBe("mirror.example:5000/docker:28.0.1-dind");
    expect(dind.imagePullPolicy).toBe("Always");
    expect(envOf(dind).DOCKER_DRIVER).toBe("overlay2");
    expect(dind.resources).toEqual({ requests: { cpu: "2", memory: "1Gi" }, limits: { memory: "16Gi" } });
  });

  /**
   * Runs the daemon's postStart hook as rendered, from the scripts ConfigMap, with a stand-in
   * docker that answers `docker info` from the given call on (0 = never) and logs every call.
   */
  async function runHook(kubeVersion: string, answersFrom: number, values: Record<string, unknown> = {}) {
    const { objects } = await render({ kubeVersion, values });
    const dind = container(serverDeployment(objects).spec.template.spec, "dind");
    const [shell, script, ...args] = dind.lifecycle!.postStart.exec.command;
    const { dir, local } = writeChartScripts(objects);
    const bin = path.join(dir, "bin");
    const log = path.join(dir, "calls.log");
    mkdirSync(bin);
    writeFileSync(
      path.join(bin, "docker"),
      `#!/bin/sh\necho "$*" >> ${log}\nif [ "$1" = info ]; then n=$(grep -c '^info' ${log}); [ ${answersFrom} -gt 0 ] && [ "$n" -ge ${answersFrom} ] && exit 0; exit 1; fi\n`,
    );
    writeFileSync(path.join(bin, "sleep"), "#!/bin/sh\n");
    for (const tool of ["docker", "sleep"]) chmodSync(path.join(bin, tool), 0o755);
    const result = await execa(shell, [local(script), ...args], { env: { PATH: `${bin}:${process.env.PATH}` }, reject: false, timeout: 10_000 });
    const calls = async (until: (c: string[]) => boolean) => {
      for (let i = 0; i < 100; i++) {
        let lines: string[] = [];
        try {
          lines = readFileSync(log, "utf8").trim().split("\n");
        } catch {}
        if (until(lines)) return lines;
        await new Promise((r) => setTimeout(r, 50));
      }
      return readFileSync(log, "utf8").trim().split("\n");
    };
    return { result, calls };
  }

  it("sandbox.prePull pulls the sandbox image in the background once the daemon answers, without holding the hook", async () => {
    const { result, calls } = await runHook("1.33.0", 3);
    expect(result.exitCode).toBe(0);
    const seen = await calls((c) => c.some((l) => l.startsWith("pull")));
    expect(seen.filter((l) => l.startsWith("pull"))).toEqual(["pull ghcr.io/openhands/agent-server:1.34.0-python"]);
    expect(seen.filter((l) => l === "info").length).toBeGreaterThanOrEqual(3);
  });

  it("without native sidecars the hook returns once the daemon answers, and fails after dind.startupTimeoutSeconds", async () => {
    const answers = await runHook("1.28.0", 4, { sandbox: { prePull: false } });
    expect(answers.result.exitCode).toBe(0);
    expect((await answers.calls(() => true)).filter((l) => l === "info")).toHaveLength(4);
    const silent = await runHook("1.28.0", 0, { sandbox: { prePull: false }, dind: { startupTimeoutSeconds: 12 } });
    expect(silent.result.exitCode).toBe(1);
    expect(silent.result.stderr).toBe("dockerd did not answer within 12s");
    expect((await silent.calls(() => true)).filter((l) => l === "info")).toHaveLength(12);
  });

  it("sandbox.prePull false leaves the native sidecar without hooks", async () => {
    expect(container(await pod("1.33.0", { sandbox: { prePull: false } }), "dind").lifecycle).toBeUndefined();
  });

  it("dind.sysbox runs the daemon unprivileged under the Sysbox runtime class in its own user namespace", async () => {
    const { objects } = await render({ kubeVersion: "1.33.0", values: { dind: { sysbox: { enabled: true } } } });
    const d = serverDeployment(objects);
    const spec = d.spec.template.spec as any;
    expect(spec.runtimeClassName).toBe("sysbox-runc");
    expect(spec.hostUsers).toBe(false);
    expect(d.spec.template.metadata.annotations!["io.kubernetes.cri-o.userns-mode"]).toBe("auto:size=65536");
    expect(container(spec, "dind").securityContext).toBeUndefined();
  });
});

describe("dind.extraArgs", () => {
  const tls = ["--tlsverify", "--tlscacert=/certs/ca.pem", "--tlscert=/certs/cert.pem", "--tlskey=/certs/key.pem"];

  it.each([
    [["--host=tcp://0.0.0.0:2375"], "--host=tcp://0.0.0.0:2375"],
    [["--host", "tcp://0.0.0.0:2375"], "--host tcp://0.0.0.0:2375"],
    [["-H", "tcp://0.0.0.0:2375"], "-H tcp://0.0.0.0:2375"],
    [["-Htcp://0.0.0.0:2375"], "-Htcp://0.0.0.0:2375"],
    // dockerd reads an address without a scheme as TCP.
    [["-H=0.0.0.0:2375"], "-H=0.0.0.0:2375"],
    // --tlsverify=false, or --tlsverify without certificates, is no TLS.
    [["--host=tcp://0.0.0.0:2376", "--tlsverify=false", ...tls.slice(1)], "--host=tcp://0.0.0.0:2376"],
    [["--host=tcp://0.0.0.0:2376", "--tlsverify"], "--host=tcp://0.0.0.0:2376"],
  ])("refuses %j: a TCP daemon without TLS", async (extraArgs, given) => {
    for (const helm of helms) {
      expect(await renderError({ helm, values: { dind: { extraArgs } } })).toContain(
        `dind.extraArgs: "${given}" opens the Docker daemon on TCP without TLS, which gives root on its machine to anyone who reaches the port (sandboxes included).`,
      );
    }
  });

  it("accepts other flags, other sockets, and a TCP host with --tlsverify and certificates", async () => {
    for (const extraArgs of [["--mtu=1400", "--host-gateway-ip=10.0.0.1"], ["--host=unix:///run/other.sock"], ["--host=tcp://0.0.0.0:2376", ...tls]]) {
      const spec = await pod("1.33.0", { dind: { extraArgs } });
      expect(container(spec, "dind").args).toEqual(["dockerd", "--host=unix:///run/dind/docker.sock", ...extraArgs]);
    }
  });
});
