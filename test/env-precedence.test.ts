// The app's environment: chart-set variables < openhands.env < openhands.extraEnv, and
// sandbox.env as the one source of OH_AGENT_SERVER_ENV. A name set twice renders once, the
// later layer's value where the earlier entry stood (docs/environment.md).
import { describe, expect, it } from "vitest";
import { helms, presets, clusterApiVersions } from "../ts/lib/presets.ts";
import { render, renderError, type K8sObject } from "../ts/lib/render.ts";
import { container, serverDeployment, type PodSpec } from "../ts/lib/workload.ts";

async function appEnv(values: Record<string, unknown>) {
  const { objects } = await render({ kubeVersion: "1.33.0", values });
  return container(serverDeployment(objects).spec.template.spec, "openhands").env ?? [];
}
const named = (env: { name: string }[], name: string) => env.filter((e) => e.name === name);

/** Names that appear more than once in any container of any pod the render holds. */
function duplicateEnvNames(objects: K8sObject[]): string[] {
  const found: string[] = [];
  for (const o of objects) {
    const spec = ((o.spec as any)?.template?.spec ?? (o.spec as any)?.jobTemplate?.spec?.template?.spec) as PodSpec | undefined;
    for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
      const names = (c.env ?? []).map((e) => e.name);
      for (const n of new Set(names)) if (names.filter((m) => m === n).length > 1) found.push(`${o.kind}/${o.metadata.name} ${c.name} ${n}`);
    }
  }
  return found;
}

const hostDockerV0 = {
  openhands: { image: { tag: "0.62" } },
  sandbox: { mode: "hostDocker", image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.62-nikolaik" } },
  nodeSelector: { "kubernetes.io/hostname": "n1" },
  auth: { mode: "external", external: { description: "the node's firewall" } },
};

describe("environment precedence", () => {
  it("chart-set < openhands.env: the user's value replaces the chart's, once", async () => {
    const env = await appEnv({ openhands: { env: { DOCKER_HOST: "unix:///elsewhere.sock", EXTRA: "1" } } });
    expect(named(env, "DOCKER_HOST")).toEqual([{ name: "DOCKER_HOST", value: "unix:///elsewhere.sock" }]);
    expect(named(env, "EXTRA")).toEqual([{ name: "EXTRA", value: "1" }]);
  });

  it("chart-set < extraEnv: the user's entry replaces the chart's where it stood, so $(HOST_IP) references still resolve", async () => {
    const env = await appEnv({ ...hostDockerV0, openhands: { ...hostDockerV0.openhands, extraEnv: [{ name: "HOST_IP", value: "192.0.2.7" }] } });
    expect(named(env, "HOST_IP")).toEqual([{ name: "HOST_IP", value: "192.0.2.7" }]);
    expect(env[0].name).toBe("HOST_IP");
    expect(named(env, "SANDBOX_LOCAL_RUNTIME_URL")).toEqual([{ name: "SANDBOX_LOCAL_RUNTIME_URL", value: "http://$(HOST_IP)" }]);
  });

  it("chart-set from a Secret < openhands.env: a plain value replaces the secretKeyRef, once", async () => {
    const env = await appEnv({ openhands: { jwtSecret: { existingSecret: "jwt" }, env: { JWT_SECRET: "from-values" } } });
    expect(named(env, "JWT_SECRET")).toEqual([{ name: "JWT_SECRET", value: "from-values" }]);
  });

  it("openhands.env < extraEnv: extraEnv wins, once", async () => {
    const env = await appEnv({ openhands: { env: { LOG_LEVEL: "info" }, extraEnv: [{ name: "LOG_LEVEL", value: "debug" }] } });
    expect(named(env, "LOG_LEVEL")).toEqual([{ name: "LOG_LEVEL", value: "debug" }]);
  });

  it("extraEnv may read a chart-set variable from elsewhere (valueFrom), once", async () => {
    const env = await appEnv({ openhands: { extraEnv: [{ name: "DOCKER_HOST", valueFrom: { configMapKeyRef: { name: "docker", key: "host" } } }] } });
    expect(named(env, "DOCKER_HOST")).toEqual([{ name: "DOCKER_HOST", valueFrom: { configMapKeyRef: { name: "docker", key: "host" } } }]);
  });

  it.each(helms)("with %s, a name listed twice in extraEnv is refused, naming both entries", async (helm) => {
    expect(await renderError({ helm, values: { openhands: { extraEnv: [{ name: "A", value: "1" }, { name: "B", value: "2" }, { name: "A", value: "3" }] } } })).toContain(
      "openhands.extraEnv[2]: A is already set by openhands.extraEnv[0]",
    );
  });

  it.each([
    [{ openhands: { env: { OH_AGENT_SERVER_ENV: "{}" } } }, "openhands.env.OH_AGENT_SERVER_ENV: the chart builds OH_AGENT_SERVER_ENV from sandbox.env"],
    [{ openhands: { extraEnv: [{ name: "OH_AGENT_SERVER_ENV", value: "{}" }] } }, "openhands.extraEnv[0]: the chart builds OH_AGENT_SERVER_ENV from sandbox.env"],
  ])("sandbox.env is the one source of OH_AGENT_SERVER_ENV: %j beside it is refused", async (values, message) => {
    expect(await renderError({ values: { ...values, sandbox: { env: { GIT_AUTHOR_NAME: "bot" } } } })).toContain(message);
  });

  it.each([{}, { persistence: { workspace: { enabled: false } } }])("OH_AGENT_SERVER_ENV the chart builds for Docker sandboxes is refused beside openhands.env, even without sandbox.env (%j)", async (values) => {
    expect(await renderError({ values: { ...values, openhands: { env: { OH_AGENT_SERVER_ENV: "{}" } } } })).toContain("openhands.env.OH_AGENT_SERVER_ENV: the chart builds OH_AGENT_SERVER_ENV");
  });

  it("with process sandboxes and without sandbox.env, OH_AGENT_SERVER_ENV in openhands.env is the user's own", async () => {
    const env = await appEnv({ sandbox: { mode: "process" }, openhands: { env: { OH_AGENT_SERVER_ENV: '{"A":"1"}' } } });
    expect(named(env, "OH_AGENT_SERVER_ENV")).toEqual([{ name: "OH_AGENT_SERVER_ENV", value: '{"A":"1"}' }]);
  });

  it("dind.env over the daemon's chart-set variables: once, dind.env's value", async () => {
    const { objects } = await render({ kubeVersion: "1.33.0", values: { dind: { env: { DOCKER_HOST: "unix:///run/dind/other.sock", DOCKER_DRIVER: "overlay2" } } } });
    const dind = serverDeployment(objects).spec.template.spec.initContainers!.find((c) => c.name === "dind")!;
    expect(dind.env).toEqual([
      { name: "DOCKER_TLS_CERTDIR", value: "" },
      { name: "DOCKER_HOST", value: "unix:///run/dind/other.sock" },
      { name: "DOCKER_DRIVER", value: "overlay2" },
    ]);
  });

  it.each(presets)("preset $name: no container lists a variable twice", async (preset) => {
    const { objects } = await render({ valuesFiles: preset.valuesFiles, apiVersions: clusterApiVersions, kubeVersion: "1.33.0" });
    expect(duplicateEnvNames(objects)).toEqual([]);
  });
});
