// The DinD Docker cleanup (dockerCleanup.enabled in sandbox mode dind) against the pod's real
// daemon: ci/dind-cleanup-values.yaml with the schedule set to every minute. The container
// beside the daemon must remove what policy `safe` promises (stopped containers that are not
// sandboxes, dangling images) and never a sandbox (running or stopped, which upstream resumes)
// or the sandbox image.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { execa } from "execa";
import { helmBinary, repoRoot } from "../../ts/lib/helm-binaries.ts";
import { presetLevel, presets } from "../../ts/lib/presets.ts";
import { getObject, render } from "../../ts/lib/render.ts";
import { containerOf } from "../../ts/runtime/container-command.ts";
import { buildRuntimeImages, type BuiltImage } from "../../ts/runtime/images.ts";
import { ctr, importImage, loadIntoPodDocker } from "../../ts/runtime/node/node.ts";
import { eventually, k } from "./kube.ts";
import { recordPreset } from "./report.ts";

const preset = presets.find((p) => p.name === "dind-cleanup")!;
const release = "dind-cleanup";
const namespace = release;
const every = "* * * * *";
const helm = (args: string[]) => execa(helmBinary("helm4"), [...args, "--kubeconfig", inject("kubeconfig")], { cwd: repoRoot, reject: false, all: true });

let agentServer: BuiltImage;
let small: BuiltImage;
let pod = "";
/** For the runtime report: how long the install took, and whether the cleanup did what it must. */
const run: { secondsToReady?: number; cleaned: boolean } = { cleaned: false };
const docker = async (script: string) => (await k(["exec", "-n", namespace, pod, "-c", "dind", "--", "sh", "-c", script], { timeout: 120_000 })).stdout.trim();
const containers = async () => (await docker("docker ps -a --format '{{.Names}} {{.State}}'")).split("\n").filter(Boolean);
const images = async () => (await docker("docker image ls --format '{{.Repository}}:{{.Tag}} {{.ID}}'")).split("\n").filter(Boolean);
const danglingImages = async () => (await docker("docker image ls --filter dangling=true --quiet")).split("\n").filter(Boolean);

beforeAll(async () => {
  const built = await buildRuntimeImages({ only: ["app", "agent-server", "dind", "gateway"] });
  agentServer = built.find((i) => i.name === "agent-server")!;
  small = built.find((i) => i.name === "gateway")!;
  for (const image of built.filter((i) => i.name !== "agent-server")) {
    const listed = await ctr(["images", "ls", "-q", `name==${image.ref}`], { reject: false });
    if (!listed.stdout.trim()) await importImage(image.tar);
  }
  // The cleanup container's image is the Docker CLI; Debian's docker.io package in the dind
  // image carries the same client (and sh, awk, date), so that image stands in under the name.
  const { objects } = await render({ valuesFiles: preset.valuesFiles, set: { "dockerCleanup.schedule": every } });
  const cleanupImage = (containerOf(getObject(objects, "Deployment"), "docker-cleanup") as { image?: string }).image!;
  const dindRef = built.find((i) => i.name === "dind")!.ref;
  await ctr(["images", "tag", "--force", dindRef, cleanupImage]);
});

afterAll(async () => {
  recordPreset({ preset: "dind-cleanup", suite: "dind-cleanup (the cleanup against the pod's real daemon)", result: run.cleaned ? "passed" : "failed", secondsToReady: run.secondsToReady });
  await helm(["uninstall", release, "-n", namespace, "--wait", "--timeout", "120s"]);
  await k(["delete", "namespace", namespace, "--wait=false"], { reject: false });
});

describe("dockerCleanup in DinD against the real daemon", () => {
  it("installs ci/dind-cleanup-values.yaml with a one-minute schedule", async () => {
    await k(["create", "namespace", namespace]);
    await k(["label", "namespace", namespace, `pod-security.kubernetes.io/enforce=${presetLevel(preset)}`]);
    const started = Date.now();
    const install = await helm(["install", release, ".", "-n", namespace, "--wait", "--timeout", "600s", "-f", preset.valuesFiles[0], "--set", `dockerCleanup.schedule=${every}`]);
    expect(install.exitCode, install.all).toBe(0);
    run.secondsToReady = Math.round((Date.now() - started) / 100) / 10;
    const { stdout } = await k(["get", "pods", "-n", namespace, "-l", `app.kubernetes.io/instance=${release},app.kubernetes.io/component=server`, "-o", "jsonpath={.items[0].metadata.name}"]);
    pod = stdout.trim();
    expect(pod).not.toBe("");
  }, 660_000);

  it("removes stopped non-sandbox containers and dangling images, keeps sandboxes (running or stopped), the sandbox image and tagged images", async () => {
    // A small Debian image (the gateway's) under the sandbox image's reference: the cleanup
    // decides by name and tag, and loading the 2 GB agent server would only cost minutes.
    await loadIntoPodDocker(small.tar, { namespace, name: pod, container: "dind" });
    const image = agentServer.ref;
    await docker(`docker tag ${small.ref} ${image}`);
    // Sandboxes as upstream names them (oh-agent-server-<id>): one running, one stopped (resumable).
    await docker(`docker run -d --name oh-agent-server-live --entrypoint sleep ${image} 3600`);
    await docker(`docker run --name oh-agent-server-stopped --entrypoint true ${image}`);
    // Leftovers: a stopped container that is not a sandbox, a running one (kept: it is running).
    await docker(`docker run --name leftover-exited --entrypoint true ${image}`);
    await docker(`docker run -d --name leftover-running --entrypoint sleep ${image} 3600`);
    // A dangling image: a tag moved from one commit to another; the tag's image is kept. The
    // cleanup runs every minute and may already take the leftovers while this step lists them,
    // so what was made is known from the commands' own output, not from a listing.
    // From the running leftover, which the cleanup keeps (the exited one may be gone already).
    const [first, second] = (await docker("docker commit leftover-running cleanup-test:1 && docker commit -c 'ENV SECOND=1' leftover-running cleanup-test:1")).split("\n");
    expect(first, "the first commit's image ID").toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(second, "the second commit's image ID").toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(second, "the tag moved to another image, leaving the first one dangling").not.toBe(first);
    const before = await images();
    expect(await containers()).toEqual(expect.arrayContaining(["oh-agent-server-live running", "oh-agent-server-stopped exited", "leftover-running running"]));

    // Runs that ended before now may predate the leftovers, and one in progress may have listed
    // containers before they existed: wait for the second run to end after this point.
    const cleanupLog = async () => (await k(["logs", "-n", namespace, pod, "-c", "docker-cleanup"], { reject: false })).stdout;
    const runsEnded = (text: string) => (text.match(/docker cleanup: (done|failed)/g) ?? []).length;
    const endedBefore = runsEnded(await cleanupLog());
    const logs = await eventually(cleanupLog, (text) => runsEnded(text) >= endedBefore + 2, 210);
    expect(runsEnded(logs), "two cleanup runs ended after the leftovers were made").toBeGreaterThanOrEqual(endedBefore + 2);
    expect(logs).toContain("docker cleanup: done");
    const after = await containers();
    expect(after).toEqual(expect.arrayContaining(["oh-agent-server-live running", "oh-agent-server-stopped exited", "leftover-running running"]));
    expect(after.some((c) => c.startsWith("leftover-exited"))).toBe(false);
    const left = await images();
    expect(left.map((l) => l.split(" ")[0])).toEqual(expect.arrayContaining([image, "cleanup-test:1"]));
    expect(await danglingImages(), left.join("\n")).toEqual([]);
    expect(await docker(`docker image inspect --format present ${first} 2>/dev/null || echo removed`), "the image the tag left").toBe("removed");
    run.cleaned = true;
    console.log(`docker cleanup removed ${before.length - left.length} image(s) and 1 container; kept ${after.join(", ")}`);
  }, 600_000);
});
