// Certificates and credentials of the node: one CA, the API server's and kubelet's serving
// certificates, the API server's client certificate for kubelets, the service account key
// pair, a token per component and a kubeconfig per component. Made with openssl.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { dirs, network, nodeName } from "./layout.ts";

export const componentKubeconfigs = ["admin", "kubelet", "kube-proxy", "kube-scheduler", "kube-controller-manager", "kube-router"] as const;
export type ComponentName = (typeof componentKubeconfigs)[number];

export function kubeconfigPath(component: ComponentName): string {
  return path.join(dirs.pki, `${component}.kubeconfig`);
}

async function openssl(args: string[]): Promise<void> {
  await execa("openssl", args, { cwd: dirs.pki });
}

/** A key and certificate signed by the CA; serving certificates get subject alternative names. */
async function certificate(name: string, subject: string, altNames?: string[]): Promise<void> {
  await openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject]);
  const ext = altNames ? `subjectAltName=${altNames.join(",")}\nextendedKeyUsage=serverAuth,clientAuth\n` : "extendedKeyUsage=clientAuth\n";
  writeFileSync(path.join(dirs.pki, `${name}.ext`), ext);
  await openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "30", "-extfile", `${name}.ext`]);
  rmSync(path.join(dirs.pki, `${name}.csr`));
  rmSync(path.join(dirs.pki, `${name}.ext`));
}

function kubeconfig(token: string): string {
  return [
    "apiVersion: v1", "kind: Config", "current-context: openhands-node",
    "clusters:", "- name: openhands-node", "  cluster:", `    server: https://${network.nodeIp}:6443`, `    certificate-authority: ${path.join(dirs.pki, "ca.crt")}`,
    "users:", "- name: user", "  user:", `    token: ${token}`,
    "contexts:", "- name: openhands-node", "  context: {cluster: openhands-node, user: user}",
  ].join("\n") + "\n";
}

/** Writes everything into dirs.pki (a fresh directory). */
export async function generatePki(): Promise<void> {
  mkdirSync(dirs.pki, { recursive: true, mode: 0o700 });
  // P-256 keys: generated in milliseconds where RSA takes seconds on a busy machine.
  await openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "30", "-subj", "/CN=openhands-node-ca"]);
  await certificate("apiserver", "/CN=kube-apiserver", [
    "DNS:kubernetes", "DNS:kubernetes.default", "DNS:kubernetes.default.svc", "DNS:kubernetes.default.svc.cluster.local", "DNS:localhost",
    "IP:127.0.0.1", `IP:${network.nodeIp}`, `IP:${network.apiServiceIp}`,
  ]);
  await certificate("apiserver-kubelet-client", "/CN=kube-apiserver-kubelet-client/O=system:masters");
  await certificate("kubelet-server", `/CN=${nodeName}`, [`DNS:${nodeName}`, `IP:${network.nodeIp}`, "IP:127.0.0.1"]);
  // Service account tokens are signed ES256.
  await openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sa.key"]);
  await openssl(["ec", "-in", "sa.key", "-pubout", "-out", "sa.pub"]);
  // user, groups per component (the kubelet is a node so the Node authorizer admits it).
  const identities: Record<ComponentName, [string, string]> = {
    admin: ["admin", "system:masters"],
    kubelet: [`system:node:${nodeName}`, "system:nodes"],
    "kube-proxy": ["system:kube-proxy", ""],
    "kube-scheduler": ["system:kube-scheduler", ""],
    "kube-controller-manager": ["system:kube-controller-manager", ""],
    // kube-router reads pods, namespaces and policies cluster-wide and writes nothing that matters.
    "kube-router": ["kube-router", "system:masters"],
  };
  const lines: string[] = [];
  for (const component of componentKubeconfigs) {
    const token = randomBytes(24).toString("hex");
    const [user, group] = identities[component];
    lines.push(`${token},${user},${user}${group ? `,"${group}"` : ""}`);
    writeFileSync(kubeconfigPath(component), kubeconfig(token), { mode: 0o600 });
  }
  writeFileSync(path.join(dirs.pki, "tokens.csv"), lines.join("\n") + "\n", { mode: 0o600 });
}
