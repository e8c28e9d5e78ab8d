// Values that pass straight into Kubernetes accept every field Kubernetes accepts (checked against
// the API server's own OpenAPI schemas in test/fixtures), still refuse typos, and Helm's
// `--set key=null` drops a default.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../ts/lib/helm-binaries.ts";
import { helms } from "../ts/lib/presets.ts";
import { render, renderError } from "../ts/lib/render.ts";
import { fixturesDir } from "../ts/lib/strict-schema.ts";
import { container, serverDeployment } from "../ts/lib/workload.ts";

const schema = JSON.parse(readFileSync(path.join(repoRoot, "values.schema.json"), "utf8"));
const kubernetes = JSON.parse(readFileSync(path.join(fixturesDir, "v1.json"), "utf8")).components.schemas;

const podOf = async (options: Parameters<typeof render>[0]) => serverDeployment((await render(options)).objects).spec.template.spec;

describe("Kubernetes objects in values", () => {
  it.each([
    ["ContainerSecurityContext", "SecurityContext"],
    ["PodSecurityContext", "PodSecurityContext"],
    ["Resources", "ResourceRequirements"],
    ["SELinuxOptions", "SELinuxOptions"],
    ["SeccompProfile", "SeccompProfile"],
    ["Capabilities", "Capabilities"],
  ])("%s takes every field of the Kubernetes %s", (chart, api) => {
    const fields = Object.keys(kubernetes[`io.k8s.api.core.v1.${api}`].properties);
    expect(fields.length).toBeGreaterThan(1);
    expect(Object.keys(schema.definitions[chart].properties).sort()).toEqual(fields.sort());
  });

  describe.each(helms)("with %s", (helm) => {
    it("renders an extended resource (nvidia.com/gpu) into the container's limits", async () => {
      const pod = await podOf({ helm, values: { openhands: { resources: { limits: { "nvidia.com/gpu": 1 } } }, dind: { resources: { requests: { "hugepages-2Mi": "64Mi" } } } } });
      expect(container(pod, "openhands").resources).toEqual({ requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "4Gi", "nvidia.com/gpu": 1 } });
      expect(container(pod, "dind").resources).toMatchObject({ requests: { "hugepages-2Mi": "64Mi" } });
    });

    it("renders seLinuxOptions and appArmorProfile of the container and the pod", async () => {
      const seLinuxOptions = { type: "spc_t", level: "s0:c123,c456" };
      const pod = await podOf({
        helm,
        values: { openhands: { securityContext: { seLinuxOptions, appArmorProfile: { type: "RuntimeDefault" } } }, podSecurityContext: { seLinuxOptions, seLinuxChangePolicy: "MountOption" } },
      });
      expect(container(pod, "openhands").securityContext).toMatchObject({ seLinuxOptions, appArmorProfile: { type: "RuntimeDefault" } });
      expect(pod.securityContext).toMatchObject({ seLinuxOptions, seLinuxChangePolicy: "MountOption" });
    });

    it("keeps podSecurityContext.sysctls beside the ones the sandbox gateway adds", async () => {
      const pod = await podOf({ helm, values: { podSecurityContext: { sysctls: [{ name: "net.ipv4.tcp_keepalive_time", value: "600" }] } } });
      expect((pod.securityContext as { sysctls: unknown[] }).sysctls).toEqual([
        { name: "net.ipv4.tcp_keepalive_time", value: "600" },
        { name: "net.ipv4.ip_local_port_range", value: "40000 49999" },
        { name: "net.ipv4.ip_unprivileged_port_start", value: "80" },
      ]);
    });

    it.each([
      [{ openhands: { securityContext: { seLinuxOption: { type: "spc_t" } } } }, "seLinuxOption"],
      [{ openhands: { resources: { limit: { cpu: "1" } } } }, "limit"],
      [{ openhands: { securityContext: { procMount: "Masked" } } }, "procMount"],
    ])("refuses %j, naming %s", async (values, key) => {
      expect(await renderError({ helm, values })).toMatch(new RegExp(`(^|[^A-Za-z])${key}([^A-Za-z]|$)`));
    });

    it.each([
      ["openhands.resources", (pod: any) => expect(container(pod, "openhands").resources).toBeUndefined()],
      ["openhands.resources.limits.memory", (pod: any) => expect(container(pod, "openhands").resources).toEqual({ requests: { cpu: "250m", memory: "1Gi" }, limits: {} })],
      ["openhands.securityContext", (pod: any) => expect(container(pod, "openhands").securityContext).toBeUndefined()],
      ["dind.securityContext", (pod: any) => expect(container(pod, "dind").securityContext).toEqual({ privileged: true })],
      ["podSecurityContext", (pod: any) => expect(pod.securityContext).not.toHaveProperty("seccompProfile")],
      ["podSecurityContext.seccompProfile", (pod: any) => expect(pod.securityContext).not.toHaveProperty("seccompProfile")],
      ["nodeSelector", (pod: any) => expect(pod.nodeSelector).toBeUndefined()],
      ["tolerations", (pod: any) => expect(pod.tolerations).toBeUndefined()],
    ])("--set %s=null drops the default", async (key, check) => {
      check(await podOf({ helm, set: { [key]: "null" } }));
    });
  });
});
