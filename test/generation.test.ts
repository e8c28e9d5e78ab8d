// The OpenHands generation (0.x or 1.x) decides the app's environment and where state lives.
import { describe, expect, it } from "vitest";
import { render } from "../ts/lib/render.ts";
import { container, envOf, mountsOf, serverDeployment } from "../ts/lib/workload.ts";
import { currentKube } from "../ts/lib/presets.ts";

const runtime = (tag: string) => ({ registry: "docker.openhands.dev", repository: "openhands/runtime", tag });

async function app(values: Record<string, unknown>) {
  const { objects } = await render({ kubeVersion: currentKube, values });
  const pod = serverDeployment(objects).spec.template.spec;
  const c = container(pod, "openhands");
  return { env: envOf(c), mounts: mountsOf(c) };
}

describe("OpenHands generation", () => {
  it("the default install runs 1.x with the agent-server image it bundles and state in OH_PERSISTENCE_DIR", async () => {
    const { env, mounts } = await app({});
    expect(env).toMatchObject({
      AGENT_SERVER_IMAGE_REPOSITORY: "ghcr.io/openhands/agent-server",
      AGENT_SERVER_IMAGE_TAG: "1.34.0-python",
      OH_PERSISTENCE_DIR: "/.openhands",
    });
    expect(env).not.toHaveProperty("SANDBOX_RUNTIME_CONTAINER_IMAGE");
    expect(env).not.toHaveProperty("FILE_STORE_PATH");
    expect(mounts.state).toBe("/.openhands");
  });

  it("sandbox.image.tag of another agent-server release renders from a repository of your own, which 1.11.0 runs as named", async () => {
    const { env } = await app({ sandbox: { image: { registry: "registry.lan", repository: "openhands/agent-server", tag: "1.30.0-python" } } });
    expect(env).toMatchObject({ AGENT_SERVER_IMAGE_REPOSITORY: "registry.lan/openhands/agent-server", AGENT_SERVER_IMAGE_TAG: "1.30.0-python" });
  });

  it("sandbox.image.tag without a suffix is left as named by 1.11.0, so the chart accepts it", async () => {
    const { env } = await app({ sandbox: { image: { tag: "1.30.0" } } });
    expect(env.AGENT_SERVER_IMAGE_TAG).toBe("1.30.0");
  });

  it("openhands.image.tag 0.28 selects 0.x: runtime image variable and FILE_STORE_PATH at /.openhands-state", async () => {
    const { env, mounts } = await app({ openhands: { image: { tag: "0.28" } }, sandbox: { image: runtime("0.28-nikolaik") } });
    expect(env).toMatchObject({
      SANDBOX_RUNTIME_CONTAINER_IMAGE: "docker.openhands.dev/openhands/runtime:0.28-nikolaik",
      FILE_STORE: "local",
      FILE_STORE_PATH: "/.openhands-state",
    });
    expect(env).not.toHaveProperty("AGENT_SERVER_IMAGE_REPOSITORY");
    expect(env).not.toHaveProperty("OH_PERSISTENCE_DIR");
    expect(mounts.state).toBe("/.openhands-state");
  });

  it("0.x from 0.45 on keeps state in /.openhands", async () => {
    const { env, mounts } = await app({ openhands: { image: { tag: "0.49.0" } }, sandbox: { image: runtime("0.49.0-nikolaik") } });
    expect(env.FILE_STORE_PATH).toBe("/.openhands");
    expect(mounts.state).toBe("/.openhands");
  });

  it("0.x before 0.38 hands sandboxes the workspace through WORKSPACE_BASE and WORKSPACE_MOUNT_PATH", async () => {
    const { env } = await app({ openhands: { image: { tag: "0.30" } }, sandbox: { image: runtime("0.30-nikolaik") } });
    expect(env).toMatchObject({ WORKSPACE_BASE: "/opt/workspace_base", WORKSPACE_MOUNT_PATH: "/opt/workspace_base" });
    expect(env).not.toHaveProperty("SANDBOX_VOLUMES");
  });

  it("0.x from 0.38 on and 1.x hand sandboxes the workspace through SANDBOX_VOLUMES", async () => {
    const v0 = await app({ openhands: { image: { tag: "0.40.0" } }, sandbox: { image: runtime("0.40.0-nikolaik") } });
    const v1 = await app({ persistence: { workspace: { mountPath: "/data/ws", sandboxPath: "/workspace/project" } } });
    expect(v0.env.SANDBOX_VOLUMES).toBe("/opt/workspace_base:/workspace:rw");
    expect(v0.env).not.toHaveProperty("WORKSPACE_BASE");
    expect(v1.env.SANDBOX_VOLUMES).toBe("/data/ws:/workspace/project:rw");
  });

  it("persistence.workspace.enabled false hands sandboxes no workspace", async () => {
    const { env, mounts } = await app({ persistence: { workspace: { enabled: false } } });
    expect(env).not.toHaveProperty("SANDBOX_VOLUMES");
    expect(mounts).not.toHaveProperty("workspace");
  });

  it("openhands.generation v1 makes an unversioned tag such as main usable", async () => {
    const { env } = await app({ openhands: { image: { tag: "main" }, generation: "v1" } });
    expect(env.OH_PERSISTENCE_DIR).toBe("/.openhands");
  });

  it("openhands.generation v0 with an unversioned tag uses the current 0.x layout", async () => {
    const { env } = await app({ openhands: { image: { tag: "main" }, generation: "v0" }, sandbox: { image: runtime("main-nikolaik") } });
    expect(env.FILE_STORE_PATH).toBe("/.openhands");
    expect(env.SANDBOX_VOLUMES).toBe("/opt/workspace_base:/workspace:rw");
  });

  it("a v-prefixed tag is read as its version", async () => {
    const { env } = await app({ openhands: { image: { tag: "v1.8.0" } } });
    expect(env.OH_PERSISTENCE_DIR).toBe("/.openhands");
  });

  it("persistence.state.mountPath overrides the derived state directory in the mount and the variable", async () => {
    const { env, mounts } = await app({ persistence: { state: { mountPath: "/data/openhands" } } });
    expect(env.OH_PERSISTENCE_DIR).toBe("/data/openhands");
    expect(mounts.state).toBe("/data/openhands");
  });

  it("openhands.logAllEvents false sets LOG_ALL_EVENTS=false for 0.x", async () => {
    const { env } = await app({ openhands: { image: { tag: "0.28" }, logAllEvents: false }, sandbox: { image: runtime("0.28-nikolaik") } });
    expect(env.LOG_ALL_EVENTS).toBe("false");
  });

  it("openhands.logAllEvents renders nothing for 1.x, which logs no agent steps", async () => {
    const { env } = await app({ openhands: { logAllEvents: true } });
    expect(env).not.toHaveProperty("LOG_ALL_EVENTS");
  });

  it("sandbox.limits.maxConcurrentConversations sets MAX_CONCURRENT_CONVERSATIONS from 0.28.1 on", async () => {
    const { env } = await app({ openhands: { image: { tag: "0.28.1" } }, sandbox: { image: runtime("0.28.1-nikolaik"), limits: { maxConcurrentConversations: 3 } } });
    expect(env.MAX_CONCURRENT_CONVERSATIONS).toBe("3");
  });

  it("openhands.env adds variables and overrides the chart's, without duplicates", async () => {
    const { objects } = await render({ values: { openhands: { env: { LOG_ALL_EVENTS: "false", SANDBOX_STARTUP_GRACE_SECONDS: "300" } } } });
    const c = container(serverDeployment(objects).spec.template.spec, "openhands");
    expect(envOf(c)).toMatchObject({ LOG_ALL_EVENTS: "false", SANDBOX_STARTUP_GRACE_SECONDS: "300" });
    const names = (c.env ?? []).map((e) => e.name);
    expect(names.length).toBe(new Set(names).size);
  });
});
