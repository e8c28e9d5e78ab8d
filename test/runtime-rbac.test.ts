// Sandbox mode kubernetes (OpenHands 0.45 to 0.62): what the app may do in the runtime
// namespace, and what agent code in runtime pods can never do.
//
// Upstream facts (openhands/runtime/impl/kubernetes/kubernetes_runtime.py, the same in 0.45
// and 0.62): runtime pods set no serviceAccountName and no automountServiceAccountToken
// (_get_runtime_pod_manifest), so they run as the runtime namespace's default account with
// its token; the app only reads, creates and deletes the pod and its claim and creates and
// deletes two Services and one Ingress (_init_k8s_resources, _cleanup_k8s_resources).
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { getObject, objectsOfKind, render, renderError } from "../ts/lib/render.ts";
import { podSecurityLevel } from "../ts/lib/pod-security.ts";
import { serverDeployment } from "../ts/lib/workload.ts";
import { helms } from "../ts/lib/presets.ts";

const runtime = (kubernetes: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  openhands: { image: { tag: "0.62" } },
  sandbox: {
    mode: "kubernetes",
    image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.62-nikolaik" },
    kubernetes: { ingressDomain: "rt.example.com", ...kubernetes },
  },
  // Upstream's per-conversation VS Code Ingresses need a lock outside the chart.
  auth: { mode: "external", external: { description: "forward auth on the ingress controller" } },
  ...extra,
});

const configToml = (objects: Awaited<ReturnType<typeof render>>["objects"]) =>
  (getObject(objects, "ConfigMap", "openhands-config") as any).data["config.toml"] as string;

/** The runtime pod as upstream 0.62 builds it (_get_runtime_pod_manifest), the parts Pod Security reads. */
const upstreamRuntimePod = (privileged: boolean) => ({
  restartPolicy: "Never",
  containers: [{ name: "runtime", image: "runtime", securityContext: { privileged } }],
  volumes: [{ name: "workspace-volume", persistentVolumeClaim: { claimName: "openhands-runtime-x-pvc" } }],
});

describe("runtime RBAC", () => {
  it("grants only the calls upstream makes: no exec, port-forward, list, watch, update or NetworkPolicies", async () => {
    const { objects } = await render({ values: runtime() });
    const role = getObject(objects, "Role", "openhands-runtime") as any;
    expect(role.rules).toEqual([
      { apiGroups: [""], resources: ["pods", "persistentvolumeclaims"], verbs: ["get", "create", "delete"] },
      { apiGroups: [""], resources: ["services"], verbs: ["create", "delete"] },
      { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: ["create", "delete"] },
    ]);
  });

  it("puts runtime pods in <release namespace>-sandboxes by default, never in the release namespace", async () => {
    const { objects } = await render({ values: runtime(), namespace: "tools" });
    expect(getObject(objects, "Role").metadata.namespace).toBe("tools-sandboxes");
    expect(getObject(objects, "RoleBinding").metadata.namespace).toBe("tools-sandboxes");
    expect(configToml(objects)).toContain('namespace = "tools-sandboxes"');
  });

  it("binds the Role to the app's own ServiceAccount only, which the app pod runs as", async () => {
    const { objects } = await render({ values: runtime() });
    const binding = getObject(objects, "RoleBinding", "openhands-runtime") as any;
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "openhands-runtime" });
    expect(binding.subjects).toEqual([{ kind: "ServiceAccount", name: "openhands", namespace: "openhands" }]);
    expect(getObject(objects, "ServiceAccount", "openhands")).toBeTruthy();
    const pod = serverDeployment(objects).spec.template.spec as any;
    expect(pod.serviceAccountName).toBe("openhands");
    // No binding anywhere names an account of the runtime namespace, where runtime pods run.
    for (const b of objectsOfKind(objects, "RoleBinding") as any[]) {
      for (const s of b.subjects) expect(s.namespace).not.toBe("openhands-sandboxes");
    }
  });

  it("with a named existing ServiceAccount, binds that one", async () => {
    const { objects } = await render({ values: runtime({}, { serviceAccount: { create: false, name: "openhands-app" } }) });
    expect((getObject(objects, "RoleBinding") as any).subjects).toEqual([{ kind: "ServiceAccount", name: "openhands-app", namespace: "openhands" }]);
  });

  it.each([
    [
      "the release namespace as the runtime namespace",
      runtime({ namespace: "openhands" }),
      "sandbox.kubernetes.namespace: runtime pods run agent code as their namespace's default ServiceAccount, so they must not share the release namespace openhands with the app",
    ],
    [
      "serviceAccount.create false without a name (the namespace's default account)",
      runtime({}, { serviceAccount: { create: false } }),
      "serviceAccount.name: sandbox mode kubernetes binds the runtime Role (create and delete pods, Services, claims and Ingresses in openhands-sandboxes) to the app's ServiceAccount, and default is the account every pod of openhands without one of its own runs as.",
    ],
    [
      "serviceAccount.name default",
      runtime({}, { serviceAccount: { create: false, name: "default" } }),
      "serviceAccount.name: sandbox mode kubernetes binds the runtime Role",
    ],
    [
      "a namespace shared with the cluster's own workloads",
      runtime({ namespace: "kube-system" }),
      "sandbox.kubernetes.namespace: kube-system is shared with other workloads, and the app may create pods there that mount its Secrets or run as its ServiceAccounts.",
    ],
  ])("refuses %s", async (_what, values, message) => {
    for (const helm of helms) expect(await renderError({ helm, values })).toContain(message);
  });

  it("refuses a namespace name Kubernetes refuses, in the schema, naming the key", async () => {
    for (const helm of helms) expect(await renderError({ helm, values: runtime({ namespace: "Sandboxes" }) })).toMatch(/sandbox[./]kubernetes[./]namespace/);
  });

  it("refuses a derived runtime namespace longer than 63 characters", async () => {
    const namespace = "n".repeat(60);
    expect(await renderError({ values: runtime(), namespace })).toContain(`sandbox.kubernetes.namespace: "${namespace}-sandboxes" is not a namespace name`);
  });
});

describe("runtime namespace", () => {
  it("is rendered only when asked, kept on uninstall, at the Pod Security level upstream's runtime pods need", async () => {
    expect(objectsOfKind((await render({ values: runtime() })).objects, "Namespace")).toEqual([]);
    for (const privileged of [false, true]) {
      const { objects } = await render({ values: runtime({ createNamespace: true, privileged }) });
      const ns = getObject(objects, "Namespace", "openhands-sandboxes");
      expect(ns.metadata.annotations!["helm.sh/resource-policy"]).toBe("keep");
      const level = podSecurityLevel(upstreamRuntimePod(privileged) as any);
      expect(level).toBe(privileged ? "privileged" : "baseline");
      for (const mode of ["enforce", "audit", "warn"]) expect(ns.metadata.labels![`pod-security.kubernetes.io/${mode}`]).toBe(level);
    }
  });
});

describe("[kubernetes] section of config.toml", () => {
  it("leaves out an empty StorageClass, which upstream would send as storageClassName \"\" (no dynamic provisioning)", async () => {
    const bare = configToml((await render({ values: runtime() })).objects);
    expect(bare).not.toMatch(/pvc_storage_class/);
    for (const key of ["ingress_tls_secret", "image_pull_secret", "node_selector_key", "node_selector_val", "tolerations_yaml"]) expect(bare).not.toContain(key);
    const set = configToml((await render({ values: runtime({ pvcStorageClass: "longhorn" }) })).objects);
    expect(set).toContain('pvc_storage_class = "longhorn"');
  });

  it("writes tolerations with the snake_case fields upstream's V1Toleration(**entry) accepts", async () => {
    const tolerations = [{ key: "gpu", operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 }];
    const toml = configToml((await render({ values: runtime({ tolerations }) })).objects);
    const line = toml.split("\n").find((l) => l.startsWith("tolerations_yaml = "))!;
    const parsed = parse(JSON.parse(line.slice("tolerations_yaml = ".length)));
    expect(parsed).toEqual([{ key: "gpu", operator: "Exists", effect: "NoExecute", toleration_seconds: 30 }]);
  });

  it.each([
    [
      "an empty ingressDomain (upstream would ask for the host \"<id>.\")",
      runtime({ ingressDomain: "" }),
      "sandbox.kubernetes.ingressDomain: OpenHands creates an Ingress for every conversation at <conversation id>.<ingressDomain>, and with an empty domain the API server rejects that host",
    ],
    ["a toleration field upstream cannot take", runtime({ tolerations: [{ key: "k", operator: "Exists", tolerationSecond: 5 }] }), "sandbox.kubernetes.tolerations[0]: tolerationSecond is not a toleration field"],
    ["a node selector label without a value", runtime({ nodeSelector: { pool: "" } }), "sandbox.kubernetes.nodeSelector: OpenHands ignores a node selector whose value is empty, and pool has none"],
  ])("refuses %s", async (_what, values, message) => {
    for (const helm of helms) expect(await renderError({ helm, values })).toContain(message);
  });
});
