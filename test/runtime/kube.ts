// Small helpers for the runtime suites: kubectl against the node, and retries for the few
// seconds Service routing and policies take to follow a change.
import { execa } from "execa";
import { inject } from "vitest";
import { kubectl } from "../../ts/lib/control-plane.ts";
import { crdManifests } from "../../ts/lib/crds.ts";
import { eventually } from "../../ts/lib/eventually.ts";

export function k(args: string[], options: { reject?: boolean; input?: string; timeout?: number } = {}) {
  return execa(kubectl(), ["--kubeconfig", inject("kubeconfig"), ...args], { reject: options.reject ?? true, input: options.input, timeout: options.timeout });
}

export async function apply(yaml: string): Promise<void> {
  await k(["apply", "-f", "-"], { input: yaml });
}

/** The Gateway API CRDs (ts/lib/crds.ts), applied to the node's API server once they are all Established. */
export async function installGatewayApiCrds(): Promise<void> {
  const manifests = (await crdManifests()).filter((m) => m.source.startsWith("sigs.k8s.io/gateway-api@"));
  for (const { manifest } of manifests) await k(["apply", "--server-side", "--force-conflicts", "-f", "-"], { input: manifest });
  // A CRD just created may have no conditions yet, and `kubectl wait` fails on those at once.
  await eventually(
    async () => (await k(["wait", "--for=condition=Established", "crd", "gatewayclasses.gateway.networking.k8s.io", "gateways.gateway.networking.k8s.io", "httproutes.gateway.networking.k8s.io", "--timeout=30s"], { reject: false })).exitCode,
    (code) => code === 0,
    120,
  );
}

/** A plain busybox pod (the node's own image) running `script`. */
export function busyboxPod(namespace: string, name: string, script: string, labels: Record<string, string> = {}, extra = ""): string {
  return `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${namespace}, labels: ${JSON.stringify({ app: name, ...labels })}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: localhost/openhands-node/busybox:1
    imagePullPolicy: Never
    command: [sh, -c, ${JSON.stringify(script)}]
${extra}`;
}

export { eventually };

/**
 * An HTTP GET from inside a pod (busybox nc; the static wget crashes in pods): the reply, or
 * what nc said when it got none (`refusedByNc`). Its stdin stays open a while: busybox nc
 * closes the connection when its input ends, so an answer slower than that would read as none.
 */
export async function getFromPod(namespace: string, pod: string, host: string, port: number, path = "/"): Promise<string> {
  const request = `printf 'GET ${path} HTTP/1.0\\r\\nHost: ${host}\\r\\n\\r\\n'`;
  const r = await k(["exec", "-n", namespace, pod, "--", "sh", "-c", `(${request}; sleep 3) | nc -w 10 ${host} ${port} 2>&1`], { reject: false, timeout: 30_000 });
  return r.stdout;
}

/** What busybox nc says when a connection is refused (a policy's REJECT) or times out (a DROP). */
export const refusedByNc = /can't connect.*(refused|timed out)|timed out/i;
