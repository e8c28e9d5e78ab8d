// Sandbox mode process (1.x): agent-server processes inside the app container, no Docker.
import { describe, expect, it } from "vitest";
import { getObject, render, renderError } from "../ts/lib/render.ts";
import { container, envOf, mountsOf, serverDeployment } from "../ts/lib/workload.ts";

async function processPod(values: Record<string, unknown> = {}) {
  const { objects } = await render({ values: { sandbox: { mode: "process" }, ...values } });
  return { objects, spec: serverDeployment(objects).spec.template.spec };
}

describe("sandbox mode process", () => {
  it("sets RUNTIME=process and nothing Docker-related", async () => {
    const { spec } = await processPod();
    const env = envOf(container(spec, "openhands"));
    expect(env.RUNTIME).toBe("process");
    for (const name of ["DOCKER_HOST", "AGENT_SERVER_IMAGE_REPOSITORY", "AGENT_SERVER_IMAGE_TAG", "SANDBOX_VOLUMES"]) expect(env).not.toHaveProperty(name);
    expect(spec.containers.map((c) => c.name)).toEqual(["openhands"]);
    expect(spec.initContainers).toBeUndefined();
    expect(spec.hostAliases).toBeUndefined();
    expect(spec.volumes!.map((v) => v.name)).toEqual(["state", "workspace"]);
  });

  it("runs the server directly as the image's non-root user 42420, with fsGroup for the volumes", async () => {
    const { spec } = await processPod();
    const app = container(spec, "openhands") as any;
    expect(app.command).toEqual(["uvicorn", "openhands.server.listen:app", "--host", "0.0.0.0", "--port", "3000"]);
    expect(app.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 42420,
      runAsGroup: 42420,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, fsGroup: 42420, seccompProfile: { type: "RuntimeDefault" } });
  });

  it("openhands.securityContext.runAsUser, the one uid knob, changes the user, group and fsGroup together", async () => {
    const { spec } = await processPod({ openhands: { securityContext: { runAsUser: 1000 } } });
    expect(container(spec, "openhands").securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    expect(spec.securityContext).toMatchObject({ fsGroup: 1000 });
  });

  it("exposes sandbox.process.ports agent-server ports from 8000 on the pod and the Service", async () => {
    const { objects, spec } = await processPod({ sandbox: { mode: "process", process: { ports: 3 } } });
    expect(container(spec, "openhands").ports).toEqual([
      { name: "http", containerPort: 3000, protocol: "TCP" },
      { name: "sandbox-0", containerPort: 8000, protocol: "TCP" },
      { name: "sandbox-1", containerPort: 8001, protocol: "TCP" },
      { name: "sandbox-2", containerPort: 8002, protocol: "TCP" },
    ]);
    const svc = getObject(objects, "Service") as any;
    expect(svc.spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([
      ["http", 3000, "http"],
      ["sandbox-0", 8000, "sandbox-0"],
      ["sandbox-1", 8001, "sandbox-1"],
      ["sandbox-2", 8002, "sandbox-2"],
    ]);
  });

  it("keeps the sandboxes' directories on the workspace volume, where upstream creates them", async () => {
    const { spec } = await processPod();
    expect(mountsOf(container(spec, "openhands")).workspace).toBe("/tmp/openhands-sandboxes");
  });

  it("is refused with a 0.x image", async () => {
    const message = await renderError({
      values: { sandbox: { mode: "process" }, openhands: { image: { tag: "0.62" } } },
    });
    expect(message).toContain("sandbox.mode: process runs agent-server processes, which only OpenHands 1.x has");
  });
});
