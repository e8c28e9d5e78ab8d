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
