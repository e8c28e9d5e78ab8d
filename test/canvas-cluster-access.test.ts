// canvas.clusterAccess: the agent's access to the Kubernetes API (Role, RoleBinding, the token
// in the Canvas container only), off by default, and the values it refuses.
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { helmBinary, repoRoot } from "../ts/lib/helm-binaries.ts";
import { objectsOfKind, render, renderError, type K8sObject } from "../ts/lib/render.ts";
import { clusterApiVersions, helms } from "../ts/lib/presets.ts";
import { container, serverDeployment } from "../ts/lib/workload.ts";
import { podSecurityLevel } from "../ts/lib/pod-security.ts";

const tokenPath = "/var/run/secrets/kubernetes.io/serviceaccount";
const preset = "ci/canvas-values.yaml";
const canvas = { app: "canvas", canvas: { sessionKey: { existingSecret: "canvas-keys" } } };
const withAccess = (access: Record<string, unknown> = {}) => ({
  ...canvas,
  canvas: { ...canvas.canvas, clusterAccess: { enabled: true, ...access } },
});

async function objectsOf(values: Record<string, unknown>, valuesFiles: string[] = []): Promise<K8sObject[]> {
  return (await render({ values, valuesFiles, apiVersions: clusterApiVersions })).objects;
}
const podOf = (objects: K8sObject[]) => serverDeployment(objects).spec.template.spec;
/** Every container of the pod that mounts something at the ServiceAccount token's path. */
const containersWithToken = (objects: K8sObject[]) =>
  podOf(objects)
    .containers.filter((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === tokenPath))
    .map((c) => c.name);
const rbac = (objects: K8sObject[]) => [...objectsOfKind(objects, "Role"), ...objectsOfKind(objects, "RoleBinding")] as any[];

const readWrite = ["get", "list", "watch", "create", "update", "patch", "delete"];
const readOnly = ["get", "list", "watch"];

describe("canvas.clusterAccess", () => {
  it("is off by default: no Role or RoleBinding, no token in any container, the pod's automount off", async () => {
    const presets = [[preset], ["ci/canvas-tunnel-values.yaml"], ["ci/canvas-docker-values.yaml"]];
    for (const objects of [await objectsOf(canvas), ...(await Promise.all(presets.map((files) => objectsOf({}, files))))]) {
      expect(rbac(objects)).toEqual([]);
      expect(containersWithToken(objects)).toEqual([]);
      expect(podOf(objects).automountServiceAccountToken).toBe(false);
      expect((podOf(objects).volumes ?? []).map((v) => v.name)).not.toContain("cluster-access-token");
    }
  });

  it("on: a Role in the release namespace with the default rules (namespaced workloads, no Secrets, no RBAC, no exec)", async () => {
    for (const helm of helms) {
      const objects = (await render({ values: withAccess(), helm, namespace: "apps" })).objects;
      const [role] = objectsOfKind(objects, "Role") as any[];
      expect(role.metadata).toMatchObject({ name: "openhands-agent", namespace: "apps" });
      expect(role.rules).toEqual([
        { apiGroups: [""], resources: ["pods", "services", "configmaps"], verbs: readWrite },
        { apiGroups: [""], resources: ["pods/log", "events"], verbs: readOnly },
        { apiGroups: ["apps"], resources: ["deployments"], verbs: readWrite },
        { apiGroups: ["apps"], resources: ["replicasets"], verbs: readOnly },
        { apiGroups: ["batch"], resources: ["jobs"], verbs: readWrite },
        { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: readWrite },
      ]);
      const resources = role.rules.flatMap((r: { resources: string[] }) => r.resources);
      for (const forbidden of ["secrets", "pods/exec", "pods/attach", "pods/portforward", "roles", "rolebindings", "serviceaccounts"]) {
        expect(resources).not.toContain(forbidden);
      }
      expect(role.rules.flatMap((r: { apiGroups: string[] }) => r.apiGroups)).not.toContain("rbac.authorization.k8s.io");
      expect(objectsOfKind(objects, "ClusterRole")).toEqual([]);
      expect(objectsOfKind(objects, "ClusterRoleBinding")).toEqual([]);
    }
  });

  it("on: the RoleBinding gives the Role to the chart's own ServiceAccount, the one the pod runs as", async () => {
    const objects = (await render({ values: withAccess(), namespace: "apps" })).objects;
    const [binding] = objectsOfKind(objects, "RoleBinding") as any[];
    const [account] = objectsOfKind(objects, "ServiceAccount");
    expect(binding.metadata).toMatchObject({ name: "openhands-agent", namespace: "apps" });
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "openhands-agent" });
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: account.metadata.name, namespace: "apps" }]);
    expect(podOf(objects).serviceAccountName).toBe(account.metadata.name);
  });

  it("on: the token, the cluster CA and the namespace are mounted where in-cluster clients look, in the Canvas container only", async () => {
    // oauth2-proxy (the preset's sign-in) shares the pod and must not get the token.
    const objects = await objectsOf({ canvas: { clusterAccess: { enabled: true } } }, [preset]);
    expect(podOf(objects).containers.map((c) => c.name)).toContain("oauth2-proxy");
    expect(containersWithToken(objects)).toEqual(["canvas"]);
    expect(podOf(objects).automountServiceAccountToken).toBe(false);
    const mount = container(podOf(objects), "canvas").volumeMounts!.find((m) => m.mountPath === tokenPath)!;
    expect(mount).toEqual({ name: "cluster-access-token", mountPath: tokenPath, readOnly: true });
    const tokenVolume = podOf(objects).volumes!.find((v) => v.name === "cluster-access-token") as any;
    expect(tokenVolume.projected.sources).toEqual([
      { serviceAccountToken: { path: "token", expirationSeconds: 3600 } },
      { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
      { downwardAPI: { items: [{ path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } }] } },
    ]);
    expect(tokenVolume.projected.defaultMode).toBe(0o444);
  });

  it("canvas.clusterAccess.namespace puts the Role and binding in that namespace, for the account of the release namespace", async () => {
    const objects = (await render({ values: withAccess({ namespace: "agent-apps" }), namespace: "canvas" })).objects;
    for (const object of rbac(objects)) expect(object.metadata.namespace).toBe("agent-apps");
    const [binding] = objectsOfKind(objects, "RoleBinding") as any[];
    expect(binding.subjects[0]).toMatchObject({ kind: "ServiceAccount", namespace: "canvas" });
  });

  it("canvas.clusterAccess.rules replaces the default rules", async () => {
    const rules = [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"], resourceNames: ["app-config"] }];
    const [role] = objectsOfKind(await objectsOf(withAccess({ rules })), "Role") as any[];
    expect(role.rules).toEqual(rules);
  });

  it("serviceAccount.name names the account that gets the Role when the chart creates none", async () => {
    const values = { ...withAccess(), serviceAccount: { create: false, name: "canvas-agent" } };
    const objects = await objectsOf(values);
    const [binding] = objectsOfKind(objects, "RoleBinding") as any[];
    expect(binding.subjects[0].name).toBe("canvas-agent");
    expect(podOf(objects).serviceAccountName).toBe("canvas-agent");
  });

  it("leaves the NetworkPolicy's egress open when it is not restricted (the API server is reachable as anything else)", async () => {
    const [policy] = objectsOfKind(await objectsOf(withAccess({}), []), "NetworkPolicy");
    expect(policy).toBeUndefined();
    const [restricted] = objectsOfKind(await objectsOf({ canvas: { clusterAccess: { enabled: true } } }, [preset]), "NetworkPolicy") as any[];
    expect(restricted.spec.policyTypes).toEqual(["Ingress"]);
  });

  it("with networkPolicy.egress.restrict, allows egress to canvas.clusterAccess.apiServer on its ports", async () => {
    const values = {
      canvas: { clusterAccess: { enabled: true, apiServer: { cidrs: ["192.168.1.10/32", "192.168.1.11/32"] } } },
      networkPolicy: { egress: { restrict: true } },
    };
    const [policy] = objectsOfKind(await objectsOf(values, [preset]), "NetworkPolicy") as any[];
    expect(policy.spec.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(policy.spec.egress).toContainEqual({
      to: [{ ipBlock: { cidr: "192.168.1.10/32" } }, { ipBlock: { cidr: "192.168.1.11/32" } }],
      ports: [
        { port: 443, protocol: "TCP" },
        { port: 6443, protocol: "TCP" },
      ],
    });
    // Without cluster access the same policy has no such rule.
    const [without] = objectsOfKind(await objectsOf({ networkPolicy: { egress: { restrict: true } } }, [preset]), "NetworkPolicy") as any[];
    expect(JSON.stringify(without.spec.egress)).not.toContain("192.168.1.10/32");
    expect(without.spec.egress.some((rule: any) => rule.ports?.some((p: any) => p.port === 6443))).toBe(false);
  });

  it("keeps the Canvas pod at Pod Security restricted: the token comes as a projected volume", async () => {
    for (const valuesFiles of [[preset], ["ci/canvas-tunnel-values.yaml"]]) {
      const pod = podOf(await objectsOf({ canvas: { clusterAccess: { enabled: true, apiServer: { cidrs: ["10.0.0.1/32"] } } } }, valuesFiles));
      expect(podSecurityLevel(pod)).toBe("restricted");
    }
  });

  it("NOTES.txt warns who can use the API, and where, only when cluster access is on", async () => {
    const args = ["install", "openhands", repoRoot, "--dry-run=client", "--namespace", "ai", "--set", "app=canvas", "--set", "canvas.sessionKey.existingSecret=canvas-keys"];
    const off = (await execa(helmBinary("helm4"), args)).stdout;
    expect(off).not.toContain("WARNING: canvas.clusterAccess");
    const on = (await execa(helmBinary("helm4"), [...args, "--set", "canvas.clusterAccess.enabled=true", "--set", "canvas.clusterAccess.namespace=agent-apps"])).stdout;
    expect(on).toContain("WARNING: canvas.clusterAccess is on: every agent can use the Kubernetes API in namespace agent-apps as ServiceAccount openhands (Role openhands-agent)");
  });

  it("refuses canvas.clusterAccess.enabled with app openhands, where nothing would read it", async () => {
    const message = await renderError({ values: { canvas: { clusterAccess: { enabled: true } } } });
    expect(message).toContain("canvas.clusterAccess.enabled: app is openhands, and cluster access for the agent applies to Agent Canvas (app: canvas) only.");
  });

  it("refuses binding the Role to the namespace's default account", async () => {
    for (const serviceAccount of [{ create: false }, { create: false, name: "default" }]) {
      const message = await renderError({ values: { ...withAccess(), serviceAccount } });
      expect(message).toContain("serviceAccount.name: canvas.clusterAccess binds its Role to the chart's ServiceAccount");
    }
  });

  it("refuses a restricted egress without the API server's addresses, naming canvas.clusterAccess.apiServer.cidrs", async () => {
    const message = await renderError({ values: { ...withAccess(), networkPolicy: { enabled: true, egress: { restrict: true } } } });
    expect(message).toContain("canvas.clusterAccess.apiServer.cidrs: networkPolicy.egress.restrict blocks the agent's connections to the Kubernetes API");
  });

  it("refuses empty rules and cluster-scoped keys in a rule through the schema", async () => {
    expect(await renderError({ values: withAccess({ rules: [] }) })).toContain("/canvas/clusterAccess/rules");
    const nonResource = [{ apiGroups: [""], resources: ["pods"], verbs: ["get"], nonResourceURLs: ["/metrics"] }];
    expect(await renderError({ values: withAccess({ rules: nonResource }) })).toContain("nonResourceURLs");
  });
});
