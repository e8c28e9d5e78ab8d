// Small helpers for the runtime suites: kubectl against the node, and retries for the few
// seconds Service routing and policies take to follow a change.
import { execa } from "execa";
import { inject } from "vitest";
import { kubectl } from "../../ts/lib/control-plane.ts";

export function k(args: string[], options: { reject?: boolean; input?: string; timeout?: number } = {}) {
  return execa(kubectl(), ["--kubeconfig", inject("kubeconfig"), ...args], { reject: options.reject ?? true, input: options.input, timeout: options.timeout });
}

export async function apply(yaml: string): Promise<void> {
  await k(["apply", "-f", "-"], { input: yaml });
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

export { eventually } from "../../ts/lib/eventually.ts";

/** An HTTP GET from inside a pod (busybox nc; the static wget crashes in pods). Empty on failure. */
export async function getFromPod(namespace: string, pod: string, host: string, port: number): Promise<string> {
  const r = await k(["exec", "-n", namespace, pod, "--", "sh", "-c", `printf 'GET / HTTP/1.0\\r\\nHost: ${host}\\r\\n\\r\\n' | nc -w 3 ${host} ${port}`], { reject: false, timeout: 20_000 });
  return r.exitCode === 0 ? r.stdout : "";
}
