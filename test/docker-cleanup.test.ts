// dockerCleanup: frees the sandboxes' Docker daemon, without touching what a sandbox or the
// next conversation needs: a CronJob on the node's daemon (hostDocker), a container beside
// the daemon in the OpenHands pod (dind), so that nothing needs pods/exec.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { getObject, objectsOfKind, render, renderError } from "../ts/lib/render.ts";
import { helms } from "../ts/lib/presets.ts";
import { container, envOf, mountsOf, serverDeployment } from "../ts/lib/workload.ts";
import { writeChartScripts } from "../ts/lib/chart-scripts.ts";

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

/** Runs the CronJob's command as rendered (its script from the scripts ConfigMap) against a docker that lists `ps` and records every call. */
async function runCleanupJob(values: Record<string, unknown>, ps: string[] = []) {
  const { objects, job } = await cronJob(values);
  const cleanup = podOf(job).containers[0];
  const [shell, script] = cleanup.command as string[];
  const { dir, local } = writeChartScripts(objects);
  const log = path.join(dir, "calls.log");
  writeFileSync(path.join(dir, "docker"), `#!/bin/sh\necho "$*" >> ${log}\nif [ "$1" = ps ]; then printf '%s\\n' ${ps.map((l) => `'${l}'`).join(" ")}; fi\n`);
  chmodSync(path.join(dir, "docker"), 0o755);
  await execa(shell, [local(script)], { env: { PATH: `${dir}:${process.env.PATH}`, ...(envOf(cleanup) as Record<string, string>) } });
  return readFileSync(log, "utf8").trim().split("\n");
}

describe("Docker cleanup", () => {
  it("runs on dockerCleanup.schedule and timeZone, never twice at once, keeping the history asked for", async () => {
    const { job } = await cronJob({ ...hostDocker, dockerCleanup: { enabled: true, schedule: "30 3 * * *", timeZone: "Asia/Tokyo", successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 5 } });
    expect(job.spec).toMatchObject({ schedule: "30 3 * * *", timeZone: "Asia/Tokyo", concurrencyPolicy: "Forbid", successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 5 });
  });

  it("with hostDocker, runs on the OpenHands node with the node's socket", async () => {
    const { job } = await cronJob({ ...hostDocker, sandbox: { ...hostDocker.sandbox, hostDocker: { socketPath: "/run/docker.sock" } } });
    const pod = podOf(job);
    expect(pod.nodeSelector).toEqual({ "kubernetes.io/hostname": "golyat-1" });
    expect(pod.volumes).toEqual([
      { name: "docker-socket", hostPath: { path: "/run/docker.sock", type: "Socket" } },
      { name: "chart-scripts", configMap: { name: "openhands-scripts" } },
    ]);
    expect(pod.containers[0].image).toBe("docker.io/library/docker:29.7.2-cli");
    expect(pod.containers[0].volumeMounts).toEqual([
      { name: "docker-socket", mountPath: "/var/run/docker.sock" },
      { name: "chart-scripts", mountPath: "/opt/openhands-chart", readOnly: true },
    ]);
  });

  it("policy pruneAll is the seed's exact command", async () => {
    expect(await runCleanupJob({ ...hostDocker, dockerCleanup: { enabled: true, policy: "pruneAll" } })).toEqual(["system prune -af --volumes"]);
  });

  it("policy safe (the default) never prunes all images, volumes or the whole system", async () => {
    const calls = await runCleanupJob(hostDocker, ["a1 oh-agent-server-abc", "c3 build-leftover"]);
    for (const call of calls) expect(call).not.toMatch(/system prune|image prune -a|prune -af|--volumes|volume prune -a/);
  });

  it("policy safe, run against a stand-in docker, removes only stopped non-sandbox containers and safe leftovers", async () => {
    // A docker that lists a stopped 1.x sandbox, a stopped 0.x runtime and two other stopped
    // containers, and records every call.
    const calls = await runCleanupJob(hostDocker, ["a1 oh-agent-server-abc", "b2 openhands-runtime-xyz", "c3 build-leftover", "d4 agent_started_app"]);
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

describe("Docker cleanup with dind", () => {
  async function cleanupPod(dockerCleanup: Record<string, unknown> = {}) {
    const { objects } = await render({ values: { dockerCleanup: { enabled: true, ...dockerCleanup } } });
    const pod = serverDeployment(objects).spec.template.spec;
    return { objects, pod, cleanup: container(pod, "docker-cleanup") };
  }

  it("runs beside the daemon in the OpenHands pod: no CronJob, ServiceAccount, Role or binding, so nothing holds pods/exec", async () => {
    const { objects, pod, cleanup } = await cleanupPod();
    expect((cleanup as any).command).toEqual(["sh", "/opt/openhands-chart/docker-cleanup-loop.sh"]);
    for (const kind of ["CronJob", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"]) expect(objectsOfKind(objects, kind)).toEqual([]);
    expect(objectsOfKind(objects, "ServiceAccount").map((a) => a.metadata.name)).toEqual(["openhands"]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(cleanup.image).toBe("docker.io/library/docker:29.7.2-cli");
    expect(envOf(cleanup)).toMatchObject({ DOCKER_HOST: "unix:///run/dind/docker.sock", CLEANUP_SCHEDULE: "0 0 * * *", CLEANUP_POLICY: "safe" });
    expect(mountsOf(cleanup)).toEqual({ "docker-socket": "/run/dind", "chart-scripts": "/opt/openhands-chart" });
    expect(cleanup.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(cleanup.resources).toEqual({ requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } });
  });

  it("without dockerCleanup.enabled there is no cleanup container", async () => {
    const { objects } = await render({ values: {} });
    expect(serverDeployment(objects).spec.template.spec.containers.map((c) => c.name)).not.toContain("docker-cleanup");
  });

  /**
   * Runs one minute of the cleanup container's loop at a given UTC time ("%M %H %d %m %w"),
   * with stand-ins for date, docker and sleep (which ends the loop as the kubelet would).
   */
  async function oneMinute(dockerCleanup: Record<string, unknown>, now: string) {
    const { objects, cleanup } = await cleanupPod(dockerCleanup);
    const [shell, loop] = (cleanup as any).command as string[];
    const { local } = writeChartScripts(objects);
    const dir = mkdtempSync(path.join(tmpdir(), "cleanup-loop-"));
    const log = path.join(dir, "calls.log");
    writeFileSync(path.join(dir, "date"), `#!/bin/sh\ncase "$2" in '+%S') echo 07 ;; *) echo '${now}' ;; esac\n`);
    writeFileSync(path.join(dir, "docker"), `#!/bin/sh\necho "docker $*" >> ${log}\n`);
    writeFileSync(path.join(dir, "sleep"), `#!/bin/sh\necho "sleep $*" >> ${log}\nkill -TERM $PPID\n`);
    for (const tool of ["date", "docker", "sleep"]) chmodSync(path.join(dir, tool), 0o755);
    const result = await execa(shell, [local(loop)], { env: { PATH: `${dir}:${process.env.PATH}`, ...(envOf(cleanup) as Record<string, string>) }, reject: false, timeout: 10_000 });
    let calls: string[] = [];
    try {
      calls = readFileSync(log, "utf8").trim().split("\n");
    } catch {}
    return { exitCode: result.exitCode, stderr: result.stderr, calls };
  }

  it.each([
    ["0 0 * * *", "00 00 15 06 3", true],
    ["0 0 * * *", "01 00 15 06 3", false],
    ["30 18 * * *", "30 18 01 01 4", true],
    ["30 18 * * *", "30 03 01 01 4", false],
    ["*/15 * * * *", "45 07 01 01 0", true],
    ["*/15 * * * *", "46 07 01 01 0", false],
    ["0 9-17/2 * * MON-FRI", "00 11 02 03 1", true],
    ["0 9-17/2 * * MON-FRI", "00 11 07 03 6", false],
    // Both day fields restricted: either may match, as in cron.
    ["0 0 1 * 7", "00 00 05 03 0", true],
    ["0 0 1 * 1", "00 00 02 03 4", false],
    ["@weekly", "00 00 02 03 0", true],
    ["0 0 * JAN,jul *", "00 00 02 07 2", true],
  ])("schedule %s at %s (UTC): cleans up = %s, then sleeps to the next minute", async (schedule, now, runs) => {
    const { exitCode, calls } = await oneMinute({ schedule }, now);
    expect(exitCode).toBe(0);
    const cleaned = calls.filter((c) => c.startsWith("docker "));
    if (runs) expect(cleaned).toEqual([expect.stringMatching(/^docker ps -a/), "docker image prune -f", "docker builder prune -f --filter until=24h", "docker volume prune -f"]);
    else expect(cleaned).toEqual([]);
    expect(calls[calls.length - 1]).toBe("sleep 53");
  });

  it("a failing cleanup is logged and the loop goes on (the container never exits and never takes the pod's readiness down)", async () => {
    const { objects, cleanup } = await cleanupPod({ policy: "pruneAll" });
    const { local } = writeChartScripts(objects);
    const dir = mkdtempSync(path.join(tmpdir(), "cleanup-fail-"));
    writeFileSync(path.join(dir, "date"), `#!/bin/sh\ncase "$2" in '+%S') echo 00 ;; *) echo '00 00 01 01 0' ;; esac\n`);
    writeFileSync(path.join(dir, "docker"), "#!/bin/sh\nexit 1\n");
    writeFileSync(path.join(dir, "sleep"), `#!/bin/sh\necho "sleep $*" > ${dir}/slept\nkill -TERM $PPID\n`);
    for (const tool of ["date", "docker", "sleep"]) chmodSync(path.join(dir, tool), 0o755);
    const result = await execa("sh", [local(((cleanup as any).command as string[])[1])], { env: { PATH: `${dir}:${process.env.PATH}`, ...(envOf(cleanup) as Record<string, string>), CLEANUP_SCHEDULE: "@daily" }, reject: false, timeout: 10_000 });
    expect(result.stderr).toContain("docker cleanup: failed");
    expect(readFileSync(path.join(dir, "slept"), "utf8").trim()).toBe("sleep 60");
    expect(result.exitCode).toBe(0);
  });

  it.each([
    [{ timeZone: "Asia/Tokyo" }, "dockerCleanup.timeZone: with sandbox.mode dind the cleanup runs inside the OpenHands pod and reads dockerCleanup.schedule in UTC, so Asia/Tokyo cannot apply."],
    [{ schedule: "0 0 * *" }, 'dockerCleanup.schedule: "0 0 * *" is not a cron schedule of five fields'],
    [{ schedule: "CRON_TZ=Asia/Tokyo 0 0 * * *" }, 'dockerCleanup.schedule: "CRON_TZ=Asia/Tokyo 0 0 * * *" is not a cron schedule of five fields'],
    [{ schedule: "61 * * * *" }, "dockerCleanup.schedule: 61 is out of range for the minute (0 to 59)."],
    [{ schedule: "0 0 0 * *" }, "dockerCleanup.schedule: 0 is out of range for the day of month (1 to 31)."],
    [{ schedule: "*/0 * * * *" }, 'dockerCleanup.schedule: the step in "*/0" (minute) must be 1 or more.'],
    [{ schedule: "0 0 * * FRY" }, 'dockerCleanup.schedule: "FRY" is not a value of the day of week.'],
  ])("refuses %j", async (dockerCleanup, message) => {
    for (const helm of helms) expect(await renderError({ helm, values: { dockerCleanup: { enabled: true, ...dockerCleanup } } })).toContain(message);
  });
});
