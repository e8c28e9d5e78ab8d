// The preset external-secrets-store with the real External Secrets Operator: its controller
// (built from its Go module at the pinned version, with that version's CRDs) runs against a
// control plane of this suite's own, and its AWS provider talks to a stand-in for STS and
// Secrets Manager (ts/runtime/fake-aws-secrets.ts). The SecretStore and ExternalSecrets the
// chart renders must be accepted by the operator and turned into Secrets holding exactly the
// keys the rendered workloads read, with the values the store served, fetched with the role
// the preset names, in its region. Every expectation is derived from the rendered objects.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { execa } from "execa";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterDir, kubectl, start, versions, type RunningControlPlane } from "../../ts/lib/control-plane.ts";
import { buildExternalSecretsOperator, externalSecretsCrds, externalSecretsVersion, startExternalSecretsOperatorWithIrsa, type RunningOperator } from "../../ts/lib/external-secrets-operator.ts";
import { repoRoot } from "../../ts/lib/helm-binaries.ts";
import { clusterApiVersions } from "../../ts/lib/presets.ts";
import { getObject, objectsOfKind, render, type K8sObject } from "../../ts/lib/render.ts";
import { eventually } from "../../ts/lib/eventually.ts";
import type { PodSpec } from "../../ts/lib/workload.ts";
import { startFakeAwsSecrets, type FakeAwsSecrets } from "../../ts/runtime/fake-aws-secrets.ts";

const preset = "external-secrets-store";
const valuesFile = `ci/${preset}-values.yaml`;
const namespace = preset;
const presetValues = parse(readFileSync(path.join(repoRoot, valuesFile), "utf8"));

interface ExternalSecret extends K8sObject {
  spec: {
    refreshInterval: string;
    secretStoreRef: { name: string; kind: string };
    target: { name: string; creationPolicy: string };
    data: { secretKey: string; remoteRef: { key: string; property?: string } }[];
  };
}
interface SecretStore extends K8sObject {
  spec: { provider: { aws: { service: string; region: string; role?: string; auth?: unknown } } };
}
interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** Pod specs of every workload in the render (Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, Pods), hooks left out. */
function workloadPods(objects: K8sObject[]): { workload: string; pod: PodSpec }[] {
  const pods: { workload: string; pod: PodSpec }[] = [];
  for (const o of objects) {
    if (o.metadata.annotations?.["helm.sh/hook"]) continue;
    const spec = o.spec as Record<string, any> | undefined;
    const pod = o.kind === "Pod" ? spec : o.kind === "CronJob" ? spec?.jobTemplate?.spec?.template?.spec : spec?.template?.spec;
    if (pod && ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"].includes(o.kind)) pods.push({ workload: `${o.kind}/${o.metadata.name}`, pod });
  }
  return pods;
}

/** The keys each Secret is read by (secretKeyRef), and the Secrets read whole (envFrom, secret volumes). */
function secretReads(objects: K8sObject[]): { keys: Map<string, Set<string>>; whole: Set<string>; optional: Set<string> } {
  const keys = new Map<string, Set<string>>();
  const whole = new Set<string>();
  const optional = new Set<string>();
  for (const { pod } of workloadPods(objects)) {
    for (const c of [...pod.containers, ...(pod.initContainers ?? [])] as Record<string, any>[]) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (!ref) continue;
        if (!keys.has(ref.name)) keys.set(ref.name, new Set());
        keys.get(ref.name)!.add(ref.key);
        if (ref.optional) optional.add(`${ref.name}/${ref.key}`);
      }
      for (const e of c.envFrom ?? []) if (e.secretRef) whole.add(e.secretRef.name);
    }
    for (const v of (pod.volumes ?? []) as Record<string, any>[]) {
      if (v.secret) whole.add(v.secret.secretName);
      for (const s of v.projected?.sources ?? []) if (s.secret) whole.add(s.secret.name);
    }
  }
  return { keys, whole, optional };
}

/**
 * What the stand-in store holds, from the ExternalSecrets' remote references: a remote key read
 * with properties holds a JSON object with a distinct value per property (and one property no
 * one reads); one read whole holds a plain string. Values carry a random part, so a match cannot
 * be chance.
 */
function remoteSecrets(externalSecrets: ExternalSecret[]): Record<string, string> {
  const nonce = randomBytes(4).toString("hex");
  const properties = new Map<string, Set<string>>();
  for (const es of externalSecrets) {
    for (const d of es.spec.data) {
      if (!properties.has(d.remoteRef.key)) properties.set(d.remoteRef.key, new Set());
      if (d.remoteRef.property) properties.get(d.remoteRef.key)!.add(d.remoteRef.property);
    }
  }
  const secrets: Record<string, string> = {};
  for (const [key, props] of properties) {
    secrets[key] = props.size === 0
      ? `whole value of ${key} ${nonce}`
      : JSON.stringify(Object.fromEntries([...props, "unread"].map((p) => [p, `${p} of ${key} ${nonce}`])));
  }
  return secrets;
}

/** The value an ExternalSecret's data entry should get from `secrets`. */
function expectedValue(secrets: Map<string, string>, remoteRef: { key: string; property?: string }): string {
  const value = secrets.get(remoteRef.key)!;
  return remoteRef.property ? String(JSON.parse(value)[remoteRef.property]) : value;
}

describe(`preset ${preset} with the External Secrets Operator ${externalSecretsVersion}`, () => {
  let plane: RunningControlPlane | undefined;
  let operator: RunningOperator | undefined;
  let aws: FakeAwsSecrets | undefined;
  let objects: K8sObject[];
  let store: SecretStore;
  let externalSecrets: ExternalSecret[];
  const work = mkdtempSync(path.join(tmpdir(), "eso-suite-"));
  // The operator's own identity, as IRSA gives it to the operator's pod: a role and a projected
  // service account token in a file, which the AWS SDK trades for credentials (AssumeRoleWithWebIdentity).
  const operatorIdentity = { roleArn: "arn:aws:iam::123456789012:role/external-secrets-operator", token: `eyJ.${randomBytes(24).toString("base64url")}.sig` };
  const k = (args: string[], input?: string) => execa(kubectl(), ["--kubeconfig", plane!.kubeconfig, ...args], { input });
  const getJson = async (kind: string, name: string) => JSON.parse((await k(["get", kind, name, "-n", namespace, "-o", "json"])).stdout);
  const conditions = async (kind: string, name: string): Promise<Condition[]> => (await getJson(kind, name)).status?.conditions ?? [];
  const secretData = async (name: string): Promise<Record<string, string> | undefined> => {
    const r = await execa(kubectl(), ["--kubeconfig", plane!.kubeconfig, "get", "secret", name, "-n", namespace, "-o", "json"], { reject: false });
    if (r.exitCode !== 0) return undefined;
    const data = (JSON.parse(r.stdout).data ?? {}) as Record<string, string>;
    return Object.fromEntries(Object.entries(data).map(([key, v]) => [key, Buffer.from(v, "base64").toString("utf8")]));
  };
  const ready = (cs: Condition[]) => cs.some((c) => c.type === "Ready" && c.status === "True");
  const operatorLogTail = () => operator?.log().split("\n").slice(-40).join("\n") ?? "";

  beforeAll(async () => {
    const started = Date.now();
    // A cold Go cache builds the controller here (minutes); the cache keeps it for every later run.
    await buildExternalSecretsOperator();
    const built = Date.now();
    plane = await start("external-secrets");
    const crds = path.join(work, "crds.yaml");
    writeFileSync(crds, await externalSecretsCrds());
    await k(["apply", "--server-side", "-f", crds]);
    await eventually(async () => (await execa(kubectl(), ["--kubeconfig", plane!.kubeconfig, "wait", "--for=condition=Established", "crd", "--all", "--timeout=30s"], { reject: false })).exitCode, (code) => code === 0, 60);

    const rendered = await render({ valuesFiles: [valuesFile], namespace, apiVersions: clusterApiVersions, kubeVersion: versions.kubernetes.slice(1) });
    objects = rendered.objects;
    store = getObject<SecretStore>(objects, "SecretStore");
    externalSecrets = objectsOfKind(objects, "ExternalSecret") as ExternalSecret[];

    aws = await startFakeAwsSecrets({
      region: store.spec.provider.aws.region,
      webIdentity: operatorIdentity,
      roles: store.spec.provider.aws.role ? [store.spec.provider.aws.role] : [],
      secrets: remoteSecrets(externalSecrets),
    });
    operator = await startExternalSecretsOperatorWithIrsa({ kubeconfig: plane.kubeconfig, dir: path.join(clusterDir, "external-secrets", "operator"), identity: operatorIdentity, endpoint: aws.endpoint });

    await k(["create", "namespace", namespace]);
    // What `helm install` creates, hooks (helm test) aside.
    const manifest = path.join(work, "manifest.yaml");
    writeFileSync(manifest, objects.filter((o) => !o.metadata.annotations?.["helm.sh/hook"]).map((o) => stringify(o)).join("---\n"));
    await k(["apply", "--server-side", "-n", namespace, "-f", manifest]);
    console.log(`${preset}: operator built or found in ${((built - started) / 1000).toFixed(1)}s, control plane, CRDs and install in ${((Date.now() - built) / 1000).toFixed(1)}s`);
  });

  afterAll(async () => {
    await operator?.stop();
    await aws?.close();
    await plane?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("renders the store and ExternalSecrets the preset asks for (a SecretStore for externalSecrets.store, one ExternalSecret per enabled externalSecrets.secrets entry)", () => {
    expect(store.spec.provider.aws).toMatchObject({ service: presetValues.externalSecrets.store.service, region: presetValues.externalSecrets.store.region, role: presetValues.externalSecrets.store.role });
    const enabled = Object.values(presetValues.externalSecrets.secrets as Record<string, { enabled: boolean; targetName: string }>).filter((s) => s.enabled).map((s) => s.targetName).sort();
    expect(externalSecrets.map((es) => es.spec.target.name).sort()).toEqual(enabled);
    for (const es of externalSecrets) expect(es.spec.secretStoreRef).toEqual({ name: store.metadata.name, kind: "SecretStore" });
  });

  it("the SecretStore for externalSecrets.store becomes Ready after the operator's own (IRSA) identity assumed externalSecrets.store.role through STS in externalSecrets.store.region", async () => {
    const cs = await eventually(() => conditions("secretstore", store.metadata.name), ready, 90);
    expect(cs, `SecretStore conditions; operator log:\n${operatorLogTail()}`).toContainEqual(expect.objectContaining({ type: "Ready", status: "True" }));
    const webIdentity = aws!.requests.filter((r) => r.operation === "sts:AssumeRoleWithWebIdentity");
    expect(webIdentity.length).toBeGreaterThan(0);
    for (const r of webIdentity) {
      expect(r.roleArn).toBe(operatorIdentity.roleArn);
      expect(r.refused).toBeUndefined();
    }
    const assumes = aws!.requests.filter((r) => r.operation === "sts:AssumeRole");
    expect(assumes.length).toBeGreaterThan(0);
    for (const r of assumes) {
      expect(r).toMatchObject({ roleArn: presetValues.externalSecrets.store.role, region: presetValues.externalSecrets.store.region, service: "sts", callerRole: operatorIdentity.roleArn });
      expect(r.refused).toBeUndefined();
    }
  });

  it("every ExternalSecret of externalSecrets.secrets becomes Ready with reason SecretSynced", async () => {
    for (const es of externalSecrets) {
      const cs = await eventually(() => conditions("externalsecret", es.metadata.name), ready, 90);
      expect(cs.find((c) => c.type === "Ready"), `ExternalSecret ${es.metadata.name}; operator log:\n${operatorLogTail()}`).toMatchObject({ status: "True", reason: "SecretSynced" });
    }
  });

  it("each ExternalSecret's target Secret holds exactly the keys the rendered workloads read from it, with the values the store served (llmApiKey's property taken out of the JSON secret, awsCredentials read whole)", async () => {
    const reads = secretReads(objects);
    const served = aws!.secrets;
    for (const es of externalSecrets) {
      const target = es.spec.target.name;
      const data = await eventually(() => secretData(target), (d) => d !== undefined, 60);
      expect(data, `Secret ${target}`).toBeDefined();
      const consumed = [...(reads.keys.get(target) ?? [])].sort();
      expect(consumed.length + (reads.whole.has(target) ? 1 : 0), `some workload reads Secret ${target}`).toBeGreaterThan(0);
      if (!reads.whole.has(target)) expect(Object.keys(data!).sort(), `keys of Secret ${target}`).toEqual(consumed);
      for (const d of es.spec.data) expect(data![d.secretKey], `${target}/${d.secretKey}`).toBe(expectedValue(served, d.remoteRef));
    }
  });

  it("every secretKeyRef of the rendered workloads resolves to a key the operator wrote or a Secret the chart renders", async () => {
    const rendered = new Map(objectsOfKind(objects, "Secret").map((s) => [s.metadata.name, s]));
    const reads = secretReads(objects);
    expect(reads.keys.size).toBeGreaterThan(0);
    for (const [name, keys] of reads.keys) {
      const data = await secretData(name);
      for (const key of keys) {
        if (reads.optional.has(`${name}/${key}`)) continue;
        const renderedSecret = rendered.get(name) as Record<string, any> | undefined;
        const present = data?.[key] !== undefined || renderedSecret?.data?.[key] !== undefined || renderedSecret?.stringData?.[key] !== undefined;
        expect(present, `Secret ${name} key ${key} (read by the workloads)`).toBe(true);
      }
    }
  });

  it("the Bedrock access key ID and secret access key the awsCredentials ExternalSecret fills are two different values", async () => {
    const es = externalSecrets.find((e) => e.metadata.name.endsWith("aws-credentials"));
    expect(es, "an ExternalSecret for externalSecrets.secrets.awsCredentials").toBeDefined();
    const data = (await secretData(es!.spec.target.name))!;
    const values = es!.spec.data.map((d) => data[d.secretKey]);
    expect(values).toHaveLength(2);
    expect(values[0], `${es!.spec.target.name}: ${es!.spec.data.map((d) => d.secretKey).join(" and ")} hold the same value`).not.toBe(values[1]);
  });

  it("every GetSecretValue was signed with the credentials STS issued for externalSecrets.store.role, in externalSecrets.store.region, and read each remote key the ExternalSecrets name", () => {
    const reads = aws!.requests.filter((r) => r.operation === "secretsmanager:GetSecretValue");
    expect(reads.length).toBeGreaterThan(0);
    for (const r of reads) {
      expect(r.refused).toBeUndefined();
      expect(r).toMatchObject({ assumedRole: presetValues.externalSecrets.store.role, region: presetValues.externalSecrets.store.region, service: "secretsmanager", versionStage: "AWSCURRENT" });
    }
    const remoteKeys = new Set(externalSecrets.flatMap((es) => es.spec.data.map((d) => d.remoteRef.key)));
    expect(new Set(reads.map((r) => r.secretId))).toEqual(remoteKeys);
    expect(aws!.requests.filter((r) => r.refused).map((r) => `${r.operation}: ${r.refused}`)).toEqual([]);
  });

  it("a changed value of llmApiKey's remote secret reaches its target Secret when the ExternalSecret is refreshed", async () => {
    const es = externalSecrets.find((e) => e.spec.data.some((d) => d.remoteRef.property));
    expect(es, "an ExternalSecret reading a JSON property").toBeDefined();
    const entry = es!.spec.data.find((d) => d.remoteRef.property)!;
    const current = JSON.parse(aws!.secrets.get(entry.remoteRef.key)!);
    current[entry.remoteRef.property!] = `rotated ${randomBytes(4).toString("hex")}`;
    aws!.secrets.set(entry.remoteRef.key, JSON.stringify(current));
    // The operator's documented way to refresh before refreshInterval: any change of the annotation force-sync.
    await k(["annotate", "externalsecret", es!.metadata.name, "-n", namespace, `force-sync=${Date.now()}`, "--overwrite"]);
    const data = await eventually(() => secretData(es!.spec.target.name), (d) => d?.[entry.secretKey] === current[entry.remoteRef.property!], 60);
    expect(data?.[entry.secretKey]).toBe(current[entry.remoteRef.property!]);
  });

  it("a SecretStore like the chart's but assuming a role other than externalSecrets.store.role is refused by the stand-in and does not become Ready", async () => {
    const otherRole = "arn:aws:iam::123456789012:role/not-the-preset-role";
    const other = { ...store, metadata: { ...store.metadata, name: `${store.metadata.name}-other-role` }, spec: { provider: { aws: { ...store.spec.provider.aws, role: otherRole } } } };
    await k(["apply", "--server-side", "-n", namespace, "-f", "-"], JSON.stringify(other));
    const cs = await eventually(() => conditions("secretstore", other.metadata.name), (c) => c.some((x) => x.type === "Ready"), 60);
    expect(cs.find((c) => c.type === "Ready")).toMatchObject({ status: "False" });
    expect(aws!.requests.filter((r) => r.roleArn === otherRole).map((r) => r.refused)).toContainEqual(expect.stringMatching(/^AccessDenied/));
  });
});
