// The External Secrets Operator for a preset's SecretStore on the node: its CRDs served by the
// node's API server for the run, its own controller outside the node with the identity IRSA
// gives its pod, and an STS and Secrets Manager stand-in holding the preset's remote keys.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { externalSecretsCrds, startExternalSecretsOperatorWithIrsa, type RunningOperator } from "../../ts/lib/external-secrets-operator.ts";
import { startFakeAwsSecrets, type FakeAwsSecrets } from "../../ts/runtime/fake-aws-secrets.ts";
import { eventually, k } from "./kube.ts";

export interface OperatorOnNode {
  aws: FakeAwsSecrets;
  operator: RunningOperator;
  /** The last lines the controller printed. */
  logTail(lines?: number): string;
  /** Stops the controller and the stand-in, and removes the CRDs (and with them any ExternalSecret left). */
  stop(): Promise<void>;
}

/** Starts the operator for a store that assumes `store.role` in `store.region`, with `secrets` (name to SecretString) in the stand-in. */
export async function startOperatorOnNode(store: { region: string; role: string }, secrets: Record<string, string>): Promise<OperatorOnNode> {
  const work = mkdtempSync(path.join(tmpdir(), "eso-node-"));
  const crdsFile = path.join(work, "crds.yaml");
  writeFileSync(crdsFile, await externalSecretsCrds());
  await k(["apply", "--server-side", "-f", crdsFile]);
  await eventually(async () => (await k(["wait", "--for=condition=Established", "crd/externalsecrets.external-secrets.io", "crd/secretstores.external-secrets.io", "--timeout=30s"], { reject: false })).exitCode, (code) => code === 0, 60);
  // The operator's own identity, as IRSA gives its pod one: a role and a service account token file.
  const identity = { roleArn: "arn:aws:iam::123456789012:role/external-secrets-operator", token: `eyJ.${randomBytes(24).toString("base64url")}.sig` };
  const aws = await startFakeAwsSecrets({ region: store.region, webIdentity: identity, roles: [store.role], secrets });
  const operator = await startExternalSecretsOperatorWithIrsa({ kubeconfig: inject("kubeconfig"), dir: path.join(work, "operator"), identity, endpoint: aws.endpoint });
  return {
    aws,
    operator,
    logTail: (lines = 40) => operator.log().split("\n").slice(-lines).join("\n"),
    stop: async () => {
      await operator.stop();
      await aws.close();
      // Other suites render against the node's API versions: the operator's CRDs go with it.
      await k(["delete", "--ignore-not-found", "-f", crdsFile], { reject: false, timeout: 120_000 });
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** A Secret's data, decoded; undefined when there is none. */
export async function secretData(namespace: string, name: string): Promise<Record<string, string> | undefined> {
  const r = await k(["get", "secret", name, "-n", namespace, "-o", "json"], { reject: false });
  if (r.exitCode !== 0) return undefined;
  const data = (JSON.parse(r.stdout).data ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([key, v]) => [key, Buffer.from(v, "base64").toString("utf8")]));
}
