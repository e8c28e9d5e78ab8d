// dockerCleanup: a CronJob that frees the sandboxes' Docker daemon, without touching
// what a sandbox or the next conversation needs.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { getObject, render } from "../ts/lib/render.ts";
import { restrictedViolations } from "../ts/lib/pod-security.ts";

const hostDocker = {
  openhands: { image: { tag: "0.62" } },
  sandbox: { mode: "hostDocker", image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.62-nikolaik" } },
  nodeSelector: { "kubernetes.io/hostname": "golyat-1" },
  // The node's published sandbox ports need a lock outside the chart.
  auth: { mode: "external", external: { description: "golyat-1's firewall" } },
};

async function cronJob(values: Record<string, unknown>) {
  const { objects } = await render({ values: { dockerCleanup: { enabled: true }, ...values } });
  return { objects, job: getObject(objects, "CronJob", "openhands-docker-cleanup") as any };
}
const podOf = (job: any) => job.spec.jobTemplate.spec.template.spec;
const scriptOf = (job: any) => {
  const command: string[] = podOf(job).containers[0].command;
  return command[command.length - 1];
};

describe("Docker cleanup", () => {
  it("runs on dockerCleanup.schedule and timeZone, never twice at once, keeping the history asked for", async () => {
    const { job } = await cronJob({ dockerCleanup: { enabled: true, schedule: "30 3 * * *", timeZone: "Asia/Tokyo", successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 5 } });
    expect(job.spec).toMatchObject({ schedule: "30 3 * * *", timeZone: "Asia/Tokyo", concurrencyPolicy: "Forbid", successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 5 });
  });

  it("with hostDocker, runs on the OpenHands node with the node's socket", async () => {
    const { job } = await cronJob({ ...hostDocker, sandbox: { ...hostDocker.sandbox, hostDocker: { socketPath: "/run/docker.sock" } } });
    const pod = podOf(job);
    expect(pod.nodeSelector).toEqual({ "kubernetes.io/hostname": "golyat-1" });
    expect(pod.volumes).toEqual([{ name: "docker-socket", hostPath: { path: "/run/docker.sock", type: "Socket" } }]);
    expect(pod.containers[0].image).toBe("docker.io/library/docker:29.7.2-cli");
    expect(pod.containers[0].volumeMounts).toEqual([{ name: "docker-socket", mountPath: "/var/run/docker.sock" }]);
  });

  it("with dind, execs into the sidecar with kubectl, as a restricted pod, through a Role limited to that", async () => {
    const { objects, job } = await cronJob({});
    const pod = podOf(job);
    expect(pod.containers[0].command.slice(0, 7)).toEqual(["kubectl", "exec", "deploy/openhands", "--container=dind", "--", "sh", "-c"]);
    expect(pod.serviceAccountName).toBe("openhands-docker-cleanup");
    expect(restrictedViolations(pod)).toEqual([]);
    expect(pod.volumes ?? []).not.toContainEqual(expect.objectContaining({ hostPath: expect.anything() }));
    const role = getObject(objects, "Role", "openhands-docker-cleanup") as any;
    expect(role.rules).toEqual([
      { apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["openhands"], verbs: ["get"] },
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
      { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] },
    ]);
    expect((getObject(objects, "RoleBinding", "openhands-docker-cleanup") as any).subjects).toEqual([{ kind: "ServiceAccount", name: "openhands-docker-cleanup", namespace: "openhands" }]);
  });

  it("policy pruneAll is the seed's exact command", async () => {
    const { job } = await cronJob({ ...hostDocker, dockerCleanup: { enabled: true, policy: "pruneAll" } });
    expect(scriptOf(job)).toBe("docker system prune -af --volumes");
  });

  it("policy safe (the default) never prunes all images, volumes or the whole system", async () => {
    const script = scriptOf((await cronJob({})).job);
    expect(script).not.toMatch(/system prune|image prune -a|prune -af|--volumes|volume prune -a/);
  });

  it("policy safe, run against a stand-in docker, removes only stopped non-sandbox containers and safe leftovers", async () => {
    const script = scriptOf((await cronJob({})).job);
    const dir = mkdtempSync(path.join(tmpdir(), "cleanup-"));
    const log = path.join(dir, "calls.log");
    // A docker that lists a stopped 1.x sandbox, a stopped 0.x runtime and two other stopped
    // containers, and records every call.
    writeFileSync(
      path.join(dir, "docker"),
      `#!/bin/sh\necho "$*" >> ${log}\nif [ "$1" = ps ]; then printf '%s\\n' 'a1 oh-agent-server-abc' 'b2 openhands-runtime-xyz' 'c3 build-leftover' 'd4 agent_started_app'; fi\n`,
    );
    chmodSync(path.join(dir, "docker"), 0o755);
    await execa("sh", ["-c", script], { env: { PATH: `${dir}:${process.env.PATH}` } });
    const calls = readFileSync(log, "utf8").trim().split("\n");
    expect(calls).toEqual([
      "ps -a --filter status=exited --filter status=created --filter status=dead --format {{.ID}} {{.Names}}",
      "rm c3",
      "rm d4",
      "image prune -f",
      "builder prune -f --filter until=24h",
      "volume prune -f",
    ]);
  });

  it("is refused where there is no Docker daemon to clean", async () => {
    const { renderError } = await import("../ts/lib/render.ts");
    expect(await renderError({ values: { sandbox: { mode: "remoteDocker", remoteDocker: { host: "tcp://1.2.3.4:2376", tlsSecret: "t" } }, dockerCleanup: { enabled: true } } })).toContain(
      "dockerCleanup.enabled: the cleanup job works on the Docker daemon of sandbox mode dind or hostDocker",
    );
  });
});
