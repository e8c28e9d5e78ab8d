// Sandbox mode kubernetes on a real API server: the app's ServiceAccount can make every call
// upstream 0.62 makes for a conversation (openhands/runtime/impl/kubernetes/kubernetes_runtime.py:
// _init_k8s_resources, _wait_until_ready, _cleanup_k8s_resources) and nothing more, and the
// account runtime pods run as (the runtime namespace's default) can do nothing at all.
import { execa } from "execa";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { helmBinary, repoRoot } from "../../ts/lib/helm-binaries.ts";
import { kubectl } from "../../ts/lib/control-plane.ts";

const kubeconfig = inject("kubeconfig");
const release = "openhands";
const namespace = "runtime-rbac";
const runtimeNamespace = `${namespace}-sandboxes`;
const app = `system:serviceaccount:${namespace}:openhands`;
const runtimePod = `system:serviceaccount:${runtimeNamespace}:default`;

const k = (args: string[], options: { as?: string; input?: string } = {}) => {
  const impersonate = options.as ? ["--as", options.as, "--as-group", "system:serviceaccounts", "--as-group", "system:authenticated"] : [];
  return execa(kubectl(), ["--kubeconfig", kubeconfig, ...impersonate, ...args], { reject: false, input: options.input });
};
// kubectl reads "pods/exec" as the pod named exec: a subresource goes in --subresource.
const canI = async (as: string, verb: string, resource: string, ns: string) => {
  const [kind, subresource] = resource.split("/");
  const args = ["auth", "can-i", verb, kind, "-n", ns, ...(subresource ? ["--subresource", subresource] : [])];
  return (await k(args, { as })).stdout.trim();
};

// The objects upstream builds for conversation "abc" (_get_*_manifest), as JSON.
const sid = "abc";
const pod = (privileged: boolean) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: `openhands-runtime-${sid}`, labels: { app: "openhands-runtime", session: sid } },
  spec: {
    restartPolicy: "Never",
    containers: [
      {
        name: "runtime",
        image: "docker.openhands.dev/openhands/runtime:0.62-nikolaik",
        command: ["/openhands/micromamba/bin/micromamba", "run", "-n", "openhands", "poetry", "run", "python", "-u", "-m", "openhands.runtime.action_execution_server", "8080"],
        env: [{ name: "port", value: "8080" }, { name: "PYTHONUNBUFFERED", value: "1" }, { name: "VSCODE_PORT", value: "8081" }],
        ports: [{ containerPort: 8080, name: "http" }, { containerPort: 8081, name: "vscode" }, { containerPort: 30082 }, { containerPort: 30083 }],
        volumeMounts: [{ name: "workspace-volume", mountPath: "/workspace" }],
        workingDir: "/openhands/code/",
        resources: { limits: { memory: "2Gi" }, requests: { cpu: "1", memory: "1Gi" } },
        readinessProbe: { httpGet: { path: "/alive", port: 8080 }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 3 },
        securityContext: { privileged },
      },
    ],
    volumes: [{ name: "workspace-volume", persistentVolumeClaim: { claimName: `openhands-runtime-${sid}-pvc` } }],
  },
});
const claim = {
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  metadata: { name: `openhands-runtime-${sid}-pvc`, namespace: runtimeNamespace },
  spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "2Gi" } } },
};
const service = (name: string, port: number, target: string) => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name },
  spec: { selector: { app: "openhands-runtime", session: sid }, type: "ClusterIP", ports: [{ port, targetPort: target, name: target === "http" ? "execution-server" : "code" }] },
});
const ingress = {
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name: `openhands-runtime-${sid}-ingress-code`, annotations: { "external-dns.alpha.kubernetes.io/hostname": `${sid}.rt.example.com` } },
  spec: {
    rules: [
      {
        host: `${sid}.rt.example.com`,
        http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: `openhands-runtime-${sid}-svc-code`, port: { number: 8081 } } } }] },
      },
    ],
  },
};
const create = (object: object, as = app) => k(["create", "-n", runtimeNamespace, "-f", "-"], { as, input: stringify(object) });

describe("sandbox mode kubernetes on a real API server", () => {
  beforeAll(async () => {
    await k(["create", "namespace", namespace]);
    const install = await execa(helmBinary("helm4"), [
      "install", release, repoRoot, "-n", namespace, "--kubeconfig", kubeconfig,
      "--set", "openhands.image.tag=0.62",
      "--set", "sandbox.mode=kubernetes",
      "--set", "sandbox.image.registry=docker.openhands.dev",
      "--set", "sandbox.image.repository=openhands/runtime",
      "--set", "sandbox.image.tag=0.62-nikolaik",
      "--set", "sandbox.kubernetes.ingressDomain=rt.example.com",
      "--set", "sandbox.kubernetes.createNamespace=true",
      // Upstream's per-conversation VS Code Ingresses need a lock outside the chart.
      "--set", "auth.mode=external",
      "--set", "auth.external.description=forward auth on the ingress controller",
    ], { reject: false });
    expect(install.exitCode, install.stderr).toBe(0);
  });

  afterAll(async () => {
    await execa(helmBinary("helm4"), ["uninstall", release, "-n", namespace, "--kubeconfig", kubeconfig], { reject: false });
    await k(["delete", "namespace", namespace, runtimeNamespace, "--wait=false"]);
  });

  it("the app's account makes upstream's calls for one conversation, start to cleanup", async () => {
    for (const object of [claim, pod(false), service(`openhands-runtime-${sid}-svc`, 8080, "http"), service(`openhands-runtime-${sid}-svc-code`, 8081, "vscode"), ingress]) {
      const result = await create(object);
      expect(result.exitCode, `${(object as any).kind}: ${result.stderr}`).toBe(0);
    }
    for (const [kind, name] of [["pod", `openhands-runtime-${sid}`], ["pvc", `openhands-runtime-${sid}-pvc`]]) {
      expect((await k(["get", kind, name, "-n", runtimeNamespace], { as: app })).exitCode).toBe(0);
    }
    for (const [kind, name] of [["pod", `openhands-runtime-${sid}`], ["service", `openhands-runtime-${sid}-svc`], ["service", `openhands-runtime-${sid}-svc-code`], ["ingress", `openhands-runtime-${sid}-ingress-code`], ["pvc", `openhands-runtime-${sid}-pvc`]]) {
      const result = await k(["delete", kind, name, "-n", runtimeNamespace, "--wait=false"], { as: app });
      expect(result.exitCode, `${kind}: ${result.stderr}`).toBe(0);
    }
  });

  it("kubectl auth can-i answers yes for what the Role grants (so the refusals below are real)", async () => {
    expect(await canI(app, "create", "pods", runtimeNamespace)).toBe("yes");
    expect(await canI(app, "delete", "ingresses", runtimeNamespace)).toBe("yes");
  });

  it("the app's account can do nothing else: no exec, port-forward, listing, Secrets, NetworkPolicies, or its own namespace", async () => {
    for (const [verb, resource, ns] of [
      ["create", "pods/exec", runtimeNamespace],
      ["create", "pods/portforward", runtimeNamespace],
      ["list", "pods", runtimeNamespace],
      ["update", "pods", runtimeNamespace],
      ["get", "secrets", runtimeNamespace],
      ["create", "networkpolicies", runtimeNamespace],
      ["get", "services", runtimeNamespace],
      ["create", "pods", namespace],
      ["create", "pods/exec", namespace],
      ["get", "secrets", namespace],
    ]) {
      expect(`${verb} ${resource} in ${ns}: ${await canI(app, verb, resource, ns)}`).toBe(`${verb} ${resource} in ${ns}: no`);
    }
  });

  it("the account runtime pods run as (the runtime namespace's default) holds nothing", async () => {
    for (const [verb, resource, ns] of [
      ["create", "pods", runtimeNamespace],
      ["get", "pods", runtimeNamespace],
      ["create", "ingresses", runtimeNamespace],
      ["create", "pods/exec", namespace],
      ["get", "secrets", namespace],
      ["get", "secrets", runtimeNamespace],
    ]) {
      expect(`${verb} ${resource} in ${ns}: ${await canI(runtimePod, verb, resource, ns)}`).toBe(`${verb} ${resource} in ${ns}: no`);
    }
    expect((await create(claim, runtimePod)).exitCode).not.toBe(0);
  });

  it("the runtime namespace admits upstream's runtime pod at baseline and refuses a privileged one", async () => {
    const labels = JSON.parse((await k(["get", "namespace", runtimeNamespace, "-o", "json"])).stdout).metadata.labels;
    expect(labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");
    const privileged = await create({ ...pod(true), metadata: { ...pod(true).metadata, name: "openhands-runtime-priv" } });
    expect(privileged.exitCode).not.toBe(0);
    expect(privileged.stderr).toContain('violates PodSecurity "baseline');
  });
});
