// The node itself: what every chart install relies on works on it.
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { writeDockerArchive } from "../../ts/runtime/node/image-archive.ts";
import { dirs } from "../../ts/runtime/node/layout.ts";
import { importImage, nodeHandle } from "../../ts/runtime/node/node.ts";
import { fillBusybox } from "../../ts/runtime/node/system-images.ts";
import { apply, busyboxPod, eventually, getFromPod, k, refusedByNc } from "./kube.ts";

const ns = "node-basics";
const webServer = "mkdir -p /tmp/www && echo hello-from-$HOSTNAME > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www";

beforeAll(async () => {
  await k(["create", "namespace", ns]);
  // The default ServiceAccount appears asynchronously; pods are refused until it exists.
  await eventually(() => k(["get", "serviceaccount", "default", "-n", ns], { reject: false }), (r) => r.exitCode === 0, 30);
});

afterAll(async () => {
  await k(["delete", "namespace", ns, "--wait=false"], { reject: false });
});

describe("the node", () => {
  it("runs a pod and returns its logs through the kubelet", async () => {
    await apply(busyboxPod(ns, "hello", "echo hello from a pod; sleep 3600"));
    await k(["wait", "-n", ns, "--for=condition=Ready", "pod/hello", "--timeout=120s"]);
    const logs = await eventually(() => k(["logs", "-n", ns, "hello"]), (r) => r.stdout.includes("hello from a pod"), 20);
    expect(logs.stdout).toContain("hello from a pod");
  });

  it("binds a claim through local-path-provisioner and keeps what the pod wrote on the node's disk", async () => {
    await apply(`apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: ${ns}}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
${busyboxPod(ns, "writer", "echo persisted > /data/marker; sleep 3600", {}, `    volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]`)}`);
    await k(["wait", "-n", ns, "--for=condition=Ready", "pod/writer", "--timeout=120s"]);
    const { stdout: phase } = await k(["get", "pvc", "-n", ns, "data", "-o", "jsonpath={.status.phase}"]);
    expect(phase).toBe("Bound");
    const { stdout: volume } = await k(["get", "pvc", "-n", ns, "data", "-o", "jsonpath={.spec.volumeName}"]);
    const onDisk = readdirSync(path.join(dirs.state, "local-path")).find((d) => d.startsWith(volume));
    expect(onDisk, `a directory for ${volume} under ${dirs.state}/local-path`).toBeDefined();
    expect(existsSync(path.join(dirs.state, "local-path", onDisk!, "marker"))).toBe(true);
  });

  it("resolves a Service through CoreDNS and routes its ClusterIP to the pod", async () => {
    await apply(`${busyboxPod(ns, "web", webServer)}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ${ns}}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]`);
    await apply(busyboxPod(ns, "client", "sleep 3600"));
    await k(["wait", "-n", ns, "--for=condition=Ready", "pod/web", "pod/client", "--timeout=120s"]);
    const { stdout: clusterIp } = await k(["get", "svc", "-n", ns, "web", "-o", "jsonpath={.spec.clusterIP}"]);
    const lookup = await eventually(() => k(["exec", "-n", ns, "client", "--", "nslookup", `web.${ns}.svc.cluster.local`], { reject: false }), (r) => r.stdout.includes(clusterIp), 30);
    expect(lookup.stdout).toContain(clusterIp);
    const page = await eventually(() => getFromPod(ns, "client", `web.${ns}.svc.cluster.local`, 80), (s) => s.includes("hello-from-web"), 30);
    expect(page).toContain("hello-from-web");
  });

  it("enforces a NetworkPolicy: only labelled pods reach the policed pod", async () => {
    await apply(busyboxPod(ns, "allowed", "sleep 3600", { access: "granted" }));
    await k(["wait", "-n", ns, "--for=condition=Ready", "pod/allowed", "--timeout=120s"]);
    const { stdout: webIp } = await k(["get", "pod", "-n", ns, "web", "-o", "jsonpath={.status.podIP}"]);
    // Both reach it before the policy exists: the refusal below is the policy's doing.
    expect(await eventually(() => getFromPod(ns, "client", webIp, 8080), (s) => s.includes("hello-from-web"), 30)).toContain("hello-from-web");
    await apply(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-ingress, namespace: ${ns}}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {access: granted}}}]
    ports: [{port: 8080}]`);
    const blocked = await eventually(() => getFromPod(ns, "client", webIp, 8080), (s) => refusedByNc.test(s), 30);
    expect(blocked).toMatch(refusedByNc);
    expect(await eventually(() => getFromPod(ns, "allowed", webIp, 8080), (s) => s.includes("hello-from-web"), 30)).toContain("hello-from-web");
    await k(["delete", "networkpolicy", "-n", ns, "web-ingress"]);
    expect(await eventually(() => getFromPod(ns, "client", webIp, 8080), (s) => s.includes("hello-from-web"), 30)).toContain("hello-from-web");
  });

  describe("reaching in and out", () => {
    let server: Server;
    beforeAll(async () => {
      server = createServer((_, res) => res.end("hello-from-the-host"));
      await new Promise<void>((resolve) => server.listen(18080, inject("hostIp"), resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("lets pods reach a process listening on the host end of the node's link", async () => {
      const page = await eventually(() => getFromPod(ns, "client", inject("hostIp"), 18080), (s) => s.includes("hello-from-the-host"), 20);
      expect(page).toContain("hello-from-the-host");
    });

    it("runs commands inside the node's network, where ClusterIPs answer", async () => {
      const { stdout: clusterIp } = await k(["get", "svc", "-n", ns, "web", "-o", "jsonpath={.spec.clusterIP}"]);
      const node = nodeHandle();
      const r = await node.runInNode("sh", ["-c", `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 3 ${clusterIp} 80`], { reject: false });
      expect(r.stdout).toContain("hello-from-web");
    });
  });

  it("imports a docker-archive tar so pods run it without any registry", async () => {
    const work = mkdtempSync(path.join(tmpdir(), "import-image-"));
    try {
      const rootfs = path.join(work, "rootfs");
      await fillBusybox(rootfs);
      writeFileSync(path.join(rootfs, "marker"), "imported-image-content\n");
      const tar = path.join(work, "image.tar");
      await writeDockerArchive(rootfs, [{ reference: "example.test/runtime/imported:1", cmd: ["sh", "-c", "cat /marker; sleep 3600"] }], tar);
      await importImage(tar);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    await apply(`apiVersion: v1
kind: Pod
metadata: {name: imported, namespace: ${ns}}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: main, image: example.test/runtime/imported:1, imagePullPolicy: Never}]`);
    await k(["wait", "-n", ns, "--for=condition=Ready", "pod/imported", "--timeout=60s"]);
    const logs = await eventually(() => k(["logs", "-n", ns, "imported"]), (r) => r.stdout.includes("imported-image-content"), 20);
    expect(logs.stdout).toContain("imported-image-content");
  });
});
