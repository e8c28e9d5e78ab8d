// Free text in values never becomes structure: every string the schema lets a user type
// (found by walking values.schema.json, so new keys are covered without listing them) is
// tried with attack payloads; each is either rejected by both pinned Helms or rendered as
// one inert scalar: the same objects, the same containers and arguments, no new keys.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Ajv } from "ajv";
import { parse, stringify } from "yaml";
import { parse as parseToml } from "smol-toml";
import { repoRoot, type HelmName } from "../ts/lib/helm-binaries.ts";
import { cachedHelm } from "../ts/lib/render-cache.ts";
import { clusterApiVersions, helms, presets } from "../ts/lib/presets.ts";
import { parseManifest, templateArgs, type K8sObject } from "../ts/lib/render.ts";
import { limiter } from "../ts/lib/limiter.ts";
import {
  coalesce,
  concretePath,
  freeTextTargets,
  placeExists,
  valueAt,
  withString,
  type FreeTextTarget,
} from "../ts/lib/free-text.ts";

const schema = JSON.parse(readFileSync(path.join(repoRoot, "values.schema.json"), "utf8"));
const defaults = parse(readFileSync(path.join(repoRoot, "values.yaml"), "utf8"));
const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
// INJECTION_KEYS=a.b,c.d narrows the run to some keys while working on them.
const only = process.env.INJECTION_KEYS?.split(",");
/** Keys whose strings are templates by design: the operator writes chart content there. */
const templateKeys = ["extraObjects[]"];
const targets = freeTextTargets(schema).filter((t) => (!only || only.includes(t.name)) && !templateKeys.includes(t.name));

/** An attack, built around a token that marks where the value lands. */
interface Payload {
  name: string;
  make: (token: string) => string;
}

const payloads: Payload[] = [
  { name: "a newline", make: (t) => `${t}\nsecond line` },
  {
    name: "a newline, `---` and a whole LoadBalancer Service",
    make: (t) =>
      `${t}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${t}-exposed\nspec:\n  type: LoadBalancer\n  selector:\n    app.kubernetes.io/name: openhands\n  ports:\n    - port: 80\n      targetPort: 3000\n`,
  },
  { name: "`: ` (a mapping)", make: (t) => `${t}: injected` },
  { name: "template text", make: (t) => `${t}{{ .Release.Name }}{{ .Values.auth.mode }}` },
  { name: "a command-line flag", make: (t) => `--skip-auth-route=${t}.*` },
  { name: "é, a right-to-left override and a zero-width space", make: (t) => `${t}é\u202e\u200b` },
  { name: "10000 characters", make: (t) => t + "a".repeat(10000 - t.length) },
];

const tokenOf = (targetIndex: number, payloadIndex: number) => `zq${targetIndex}p${payloadIndex}z`;

/**
 * Where a key is looked for: values.yaml, then every preset, then these, which switch on
 * what no preset combines. The first base in which the key's value shows up is its context.
 */
const everyResource = { requests: { cpu: "100m", memory: "64Mi", "ephemeral-storage": "1Gi" }, limits: { cpu: "1", memory: "1Gi", "ephemeral-storage": "2Gi" } };
const everySecurityField = { capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] }, seccompProfile: { type: "Localhost", localhostProfile: "profiles/openhands.json" } };
const extraContexts: { name: string; on: string; values: Record<string, unknown> }[] = [
  {
    name: "oauth2-proxy with every optional container field",
    on: "oauth2-proxy",
    values: {
      imagePullSecrets: [{ name: "regcred" }],
      hostAliases: [{ ip: "10.0.0.5", hostnames: ["llm.internal"] }],
      podSecurityContext: { seccompProfile: everySecurityField.seccompProfile },
      openhands: { extraEnv: [{ name: "EXTRA", value: "x" }], resources: everyResource, securityContext: everySecurityField },
      dind: { resources: everyResource, securityContext: everySecurityField },
      sandbox: { gateway: { resources: everyResource, securityContext: everySecurityField } },
      auth: { oauth2Proxy: { resources: everyResource, securityContext: everySecurityField } },
    },
  },
  {
    name: "remoteDocker's callback listener under a NetworkPolicy",
    on: "remote-docker",
    values: { networkPolicy: { enabled: true }, sandbox: { remoteDocker: { callback: { allowFrom: ["192.168.10.20/32"], service: { externalTrafficPolicy: "Local", annotations: { "example.com/lb": "x" } } } } } },
  },
  {
    name: "a LoadBalancer Service with every field",
    on: "oauth2-proxy",
    values: { service: { type: "LoadBalancer", loadBalancerIP: "192.0.2.1", loadBalancerClass: "example.com/lb", loadBalancerSourceRanges: ["10.0.0.0/8"], externalTrafficPolicy: "Local" } },
  },
  {
    name: "External Secrets for every Secret",
    on: "external-secrets-store",
    values: {
      externalSecrets: {
        store: { credentialsSecret: "aws-reader" },
        secrets: {
          tunnelToken: { enabled: true, targetName: "tunnel", secretKey: "token", remoteKey: "openhands/tunnel", property: "token" },
          jwtSecret: { enabled: true, targetName: "jwt", secretKey: "jwt", remoteKey: "openhands/jwt", property: "jwt" },
          oauth2Proxy: { enabled: true, targetName: "oauth", clientIdRemoteKey: "oauth/id", clientSecretRemoteKey: "oauth/secret", cookieSecretRemoteKey: "oauth/cookie", property: "value" },
          awsCredentials: { property: "value" },
        },
      },
    },
  },
  { name: "Canvas with every container field", on: "canvas", values: { canvas: { resources: everyResource, securityContext: everySecurityField } } },
  {
    name: "External Secrets for the Canvas keys and the automation service's settings",
    on: "canvas",
    values: {
      canvas: { sessionKey: { existingSecret: "" }, secretKey: { existingSecret: "" } },
      externalSecrets: {
        enabled: true,
        storeRef: { name: "vault", kind: "ClusterSecretStore" },
        secrets: {
          canvasSessionKey: { enabled: true, targetName: "canvas-session", secretKey: "session", remoteKey: "canvas/session", property: "value" },
          canvasSecretKey: { enabled: true, targetName: "canvas-secret", secretKey: "secret", remoteKey: "canvas/secret", property: "value" },
          canvasAutomationDatabaseUrl: { enabled: true, targetName: "canvas-automation-db", secretKey: "url", remoteKey: "canvas/automation-db", property: "value" },
          canvasAutomationKvSecret: { enabled: true, targetName: "canvas-automation-kv", secretKey: "kv", remoteKey: "canvas/automation-kv", property: "value" },
        },
      },
    },
  },
  {
    name: "Canvas with cluster access and a rule naming objects",
    on: "canvas",
    values: { canvas: { clusterAccess: { enabled: true, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"], resourceNames: ["app-config"] }] } } },
  },
  { name: "tunnel with every resource", on: "tunnel", values: { tunnel: { resources: everyResource } } },
  { name: "docker cleanup with every resource", on: "dind-cleanup", values: { dockerCleanup: { resources: everyResource } } },
];

interface Base {
  name: string;
  values: unknown;
}

const presetFile = (file: string) => parse(readFileSync(path.join(repoRoot, file), "utf8"));
const presetBases: Base[] = presets.map((p) => ({ name: p.name, values: p.valuesFiles.reduce((acc, f) => coalesce(acc, presetFile(f)), defaults as unknown) }));
const bases: Base[] = [
  ...presetBases,
  ...extraContexts.map((c) => ({ name: c.name, values: coalesce(presetBases.find((b) => b.name === c.on)!.values, c.values) })),
];

/** A first element for an empty array of objects: the first one any base has at that path. */
function fill(arrayPath: (string | number)[]): unknown {
  for (const base of bases) {
    const found = valueAt(base.values, arrayPath);
    if (Array.isArray(found) && found.length > 0) return found[0];
  }
  return {};
}

/** Keys whose value reaches only NOTES.txt, which `helm template` does not print. */
const notesOnly: Record<string, string> = {
  "auth.external.description": "external.description",
};

// ---- rendering -------------------------------------------------------------------------

interface HelmRun {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/**
 * Values as a YAML file: keys over 1024 characters need YAML's explicit `? key` form, and
 * Helm's YAML reader wants DEL escaped, which only double-quoted scalars allow.
 */
const valuesDir = mkdtempSync(path.join(tmpdir(), "openhands-injection-"));
let valuesCount = 0;
function writeValues(values: unknown): string {
  const file = path.join(valuesDir, `values-${valuesCount++}.yaml`);
  const text = stringify(values, { lineWidth: 0, defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "QUOTE_DOUBLE" });
  writeFileSync(file, text.replaceAll("\u007f", "\\x7f"));
  return file;
}

async function helm(name: HelmName, values: unknown, extraArgs: string[] = []): Promise<HelmRun> {
  const args = templateArgs({ valuesFiles: [writeValues(values)], apiVersions: clusterApiVersions, kubeVersion: "1.33.0", extraArgs });
  const result = await cachedHelm(name, args);
  return { ok: result.exitCode === 0, stdout: result.stdout, stderr: result.stderr };
}

const slot = limiter(4);

// ---- schema rejection, checked for every key at once ----------------------------------

/** Whether the schema (as ajv reads it) rejects the string at the target. */
function schemaRejects(target: FreeTextTarget, value: string): boolean {
  const tree = withString(defaults, target, value, fill);
  if (validate(tree)) return false;
  const at = "/" + concretePath(target).join("/");
  const ours = (validate.errors ?? []).filter((e) => e.instancePath === at || e.instancePath.startsWith(`${at}/`));
  if (ours.length === 0) throw new Error(`${target.name}: values.yaml with this key set fails the schema elsewhere: ${JSON.stringify(validate.errors)}`);
  return true;
}

/** Whether Helm's schema error names the target (Helm 3 `- a.b.0: `, Helm 4 `at '/a/b/0'`). */
function helmNames(stderr: string, target: FreeTextTarget, token: string): boolean {
  const last = target.steps[target.steps.length - 1];
  if (last.kind === "mapKey") {
    return stderr.split("\n").some((line) => line.includes(token) && /property ?name/i.test(line));
  }
  const at = concretePath(target);
  return stderr.includes(`- ${at.join(".")}: `) || stderr.includes(`at '/${at.join("/")}'`);
}

/**
 * A map key over 1024 characters is one Helm 3 cannot even read back into its schema
 * check; such keys are tried one by one instead of in the shared render.
 */
const aloneInRender = (t: FreeTextTarget, value: string) => t.steps[t.steps.length - 1].kind === "mapKey" && value.length > 1024;

/** Per payload and Helm: one render with every schema-rejected key set at once. */
const rejectedBySchema: boolean[][] = targets.map((t, ti) => payloads.map((p, pi) => schemaRejects(t, p.make(tokenOf(ti, pi)))));
const groupedRuns: Promise<Record<HelmName, HelmRun>>[] = payloads.map((p, pi) => {
  let tree: unknown = defaults;
  targets.forEach((t, ti) => {
    const value = p.make(tokenOf(ti, pi));
    if (rejectedBySchema[ti][pi] && !aloneInRender(t, value)) tree = withString(tree, t, value, fill);
  });
  return Promise.all(helms.map((h) => slot(() => helm(h, tree)))).then((runs) => Object.fromEntries(helms.map((h, i) => [h, runs[i]])) as Record<HelmName, HelmRun>);
});

// ---- inertness of what renders -----------------------------------------------------------

type Leaves = Map<string, unknown>;
function leavesOf(value: unknown, prefix: string, out: Leaves): Leaves {
  if (Array.isArray(value)) value.forEach((v, i) => leavesOf(v, `${prefix}[${i}]`, out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) leavesOf(v, `${prefix}.${JSON.stringify(k)}`, out);
  else out.set(prefix, value);
  return out;
}
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, shapeOf(v)]));
  return value === null ? "null" : typeof value;
}
/** Whether a rendered string holds the value (Helm's toYaml drops a final line break). */
function carries(leaf: string, payload: string): boolean {
  const value = payload.trimEnd();
  return leaf.includes(value) || leaf.includes(JSON.stringify(value).slice(1, -1));
}

/** A payload put into one key of a render, marked by its token. */
interface Planted {
  token: string;
  payload: string;
}

/**
 * What differs between the render with harmless values and the render with the payloads,
 * beyond the strings the values went into. Empty when every payload is inert.
 */
function structuralChanges(plain: K8sObject[], attacked: K8sObject[], planted: Planted[]): string[] {
  const kinds = (objects: K8sObject[]) => objects.map((o) => o.kind).join(",");
  if (kinds(plain) !== kinds(attacked)) return [`objects changed from [${kinds(plain)}] to [${kinds(attacked)}]`];
  const problems: string[] = [];
  const carried = new Set<string>();
  plain.forEach((before, i) => {
    const after = attacked[i];
    const where = `${after.kind}/${after.metadata?.name}`;
    if (JSON.stringify(shapeOf(before)) !== JSON.stringify(shapeOf(after))) {
      problems.push(`${where} changed shape (keys, list lengths or scalar types)`);
      return;
    }
    const old = leavesOf(before, "", new Map());
    for (const [leaf, value] of leavesOf(after, "", new Map())) {
      const previous = old.get(leaf);
      if (value === previous) continue;
      if (/^\."spec"\."template"\."metadata"\."annotations"\."checksum\//.test(leaf)) continue;
      const text = String(value);
      const owners = planted.filter((p) => text.includes(p.token));
      if (owners.length === 0) problems.push(`${where} ${leaf} changed without carrying a value`);
      for (const p of owners) if (carries(text, p.payload)) carried.add(p.token);
      if (after.kind === "ConfigMap" && leaf.startsWith(".data.")) problems.push(...embeddedFileChanges(where, leaf, String(previous), text));
    }
  });
  if (problems.length === 0) for (const p of planted) if (!carried.has(p.token)) problems.push(`no rendered string holds the whole value ${p.token}`);
  return problems;
}

/** A file in a ConfigMap keeps its lines, and a TOML file its keys. */
function embeddedFileChanges(where: string, leaf: string, before: string, after: string): string[] {
  const problems: string[] = [];
  if (before.split("\n").length !== after.split("\n").length) problems.push(`${where} ${leaf} gained lines`);
  if (leaf.endsWith('.toml"')) {
    try {
      if (JSON.stringify(shapeOf(parseToml(before))) !== JSON.stringify(shapeOf(parseToml(after)))) problems.push(`${where} ${leaf} gained or lost TOML keys`);
    } catch (error) {
      problems.push(`${where} ${leaf} is not valid TOML: ${(error as Error).message}`);
    }
  }
  return problems;
}

interface Verdict {
  payload: string;
  /** How the payload was stopped, or what went wrong. */
  outcome: string;
  problem?: string;
}

/** Tries one key: its schema-rejected payloads against the grouped runs, the rest rendered in the key's context. */
async function tryTarget(target: FreeTextTarget, ti: number): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  const accepted: number[] = [];
  for (const [pi, p] of payloads.entries()) {
    if (!rejectedBySchema[ti][pi]) {
      accepted.push(pi);
      continue;
    }
    const value = p.make(tokenOf(ti, pi));
    if (aloneInRender(target, value)) {
      for (const h of helms) {
        const run = await slot(() => helm(h, withString(defaults, target, value, fill)));
        verdicts.push({ payload: `${p.name} (${h})`, outcome: "rejected", problem: run.ok ? `${h} renders it` : undefined });
      }
      continue;
    }
    const runs = await groupedRuns[pi];
    for (const h of helms) {
      const named = !runs[h].ok && helmNames(runs[h].stderr, target, tokenOf(ti, pi));
      verdicts.push({ payload: `${p.name} (${h})`, outcome: "rejected by the schema", problem: named ? undefined : `${h}'s schema error does not name ${concretePath(target).join(".")}` });
    }
  }
  if (accepted.length === 0) return verdicts;
  if (notesOnly[target.name]) {
    verdicts.push({ payload: "all", outcome: "reaches NOTES.txt only" });
    return verdicts;
  }

  const base = (await contexts).get(ti);
  if (!base) {
    verdicts.push({ payload: "all", outcome: "never rendered", problem: "no preset or extra context renders this key: add one to extraContexts" });
    return verdicts;
  }
  const group = await groupRun(base);
  for (const pi of accepted) {
    if (group.clean.has(pi)) {
      for (const h of helms) verdicts.push({ payload: `${payloads[pi].name} (${h}, in ${base.name}, beside ${group.members.length - 1} other keys)`, outcome: "rendered inert" });
    } else {
      verdicts.push(...(await tryAlone(target, ti, base, pi)));
    }
  }
  return verdicts;
}

// ---- payloads the schema accepts: where each key renders, and what it renders ------------

const acceptedOf = targets.map((_, ti) => payloads.map((_, pi) => pi).filter((pi) => !rejectedBySchema[ti][pi]));
const rendersSomewhere = (ti: number) => acceptedOf[ti].length > 0 && !notesOnly[targets[ti].name];
const probeToken = (ti: number) => `zq${ti}cz`;

/**
 * The keys among `tis` whose probe value shows up when rendered in the base: all at once,
 * and when that render is refused (a key the base's settings reject), half by half.
 */
async function shownIn(base: Base, tis: number[]): Promise<number[]> {
  if (tis.length === 0) return [];
  const tree = tis.reduce((acc, ti) => withString(acc, targets[ti], probeToken(ti), fill), base.values);
  const run = await slot(() => helm("helm4", tree));
  if (run.ok) return tis.filter((ti) => run.stdout.includes(probeToken(ti)));
  if (tis.length === 1) return [];
  const half = Math.ceil(tis.length / 2);
  return [...(await shownIn(base, tis.slice(0, half))), ...(await shownIn(base, tis.slice(half)))];
}

/** Each key's context: the first base whose render shows the key. */
const contexts: Promise<Map<number, Base>> = (async () => {
  const probes = await Promise.all(
    bases.map((base) => shownIn(base, targets.map((_, ti) => ti).filter((ti) => rendersSomewhere(ti) && placeExists(base.values, targets[ti])))),
  );
  const found = new Map<number, Base>();
  probes.forEach((shown, bi) => shown.forEach((ti) => found.has(ti) || found.set(ti, bases[bi])));
  return found;
})();

function harmlessValue(base: Base, ti: number): string {
  const current = valueAt(base.values, concretePath(targets[ti]));
  return typeof current === "string" && current !== "" ? current : "inj-benign";
}

interface GroupRun {
  members: number[];
  /** Payloads every member took inertly in one render per Helm. */
  clean: Set<number>;
}

/**
 * All keys whose context is the base, tried together: one render per payload and Helm with
 * every member that accepts the payload holding it. A payload with any finding is retried
 * key by key (tryAlone), so findings name their key.
 */
const groupRuns = new Map<string, Promise<GroupRun>>();
function groupRun(base: Base): Promise<GroupRun> {
  if (!groupRuns.has(base.name)) {
    groupRuns.set(
      base.name,
      (async () => {
        const found = await contexts;
        const members = [...found.entries()].filter(([, b]) => b === base).map(([ti]) => ti);
        const harmless = members.reduce((acc, ti) => withString(acc, targets[ti], harmlessValue(base, ti), fill), base.values);
        const plain = await Promise.all(helms.map((h) => slot(() => helm(h, harmless))));
        const clean = new Set<number>();
        await Promise.all(
          payloads.map(async (p, pi) => {
            const planted = members.filter((ti) => acceptedOf[ti].includes(pi)).map((ti) => ({ ti, token: tokenOf(ti, pi), payload: p.make(tokenOf(ti, pi)) }));
            if (planted.length === 0) return;
            const tree = planted.reduce((acc, { ti, payload }) => withString(acc, targets[ti], payload, fill), harmless);
            const runs = await Promise.all(helms.map((h) => slot(() => helm(h, tree))));
            const inert = runs.every((run, hi) => {
              if (!run.ok || !plain[hi].ok) return false;
              try {
                return structuralChanges(parseManifest(plain[hi].stdout), parseManifest(run.stdout), planted).length === 0;
              } catch {
                return false;
              }
            });
            if (inert) clean.add(pi);
          }),
        );
        return { members, clean };
      })(),
    );
  }
  return groupRuns.get(base.name)!;
}

/** Whether Helm failed in a template's `fail` or `required`, not on the YAML the templates produced. */
const refusedByChart = (stderr: string) => /execution error at \(/.test(stderr) && !/YAML parse error|error converting YAML/.test(stderr);

/** One key and one payload on their own in the key's context. */
async function tryAlone(target: FreeTextTarget, ti: number, base: Base, pi: number): Promise<Verdict[]> {
  const verdicts: Verdict[] = [];
  const harmless = harmlessValue(base, ti);
  const token = tokenOf(ti, pi);
  const payload = payloads[pi].make(token);
  const plain = await Promise.all(helms.map((h) => slot(() => helm(h, withString(base.values, target, harmless, fill)))));
  const runs = await Promise.all(helms.map((h) => slot(() => helm(h, withString(base.values, target, payload, fill)))));
  if (runs.every((r) => !r.ok)) {
    // A refusal must be the chart's own (a preflight `fail` or `required`): a manifest the payload
    // broke into invalid YAML fails only by luck, and a better-crafted payload would not.
    return runs.map((r, hi) => ({
      payload: `${payloads[pi].name} (${helms[hi]}, in ${base.name})`,
      outcome: "refused by a preflight check",
      problem: refusedByChart(r.stderr) ? undefined : `the render fails, but not by the chart's own check: ${r.stderr.slice(0, 300)}`,
    }));
  }
  for (const [hi, h] of helms.entries()) {
    const run = runs[hi];
    const name = `${payloads[pi].name} (${h}, in ${base.name})`;
    if (!run.ok) {
      verdicts.push({ payload: name, outcome: "rejected by one Helm only", problem: `only ${h} rejects it: ${run.stderr.slice(0, 300)}` });
    } else if (!plain[hi].ok) {
      verdicts.push({ payload: name, outcome: "no baseline", problem: `the harmless value ${JSON.stringify(harmless)} does not render: ${plain[hi].stderr.slice(0, 300)}` });
    } else {
      let problems: string[];
      try {
        problems = structuralChanges(parseManifest(plain[hi].stdout), parseManifest(run.stdout), [{ token, payload }]);
      } catch (error) {
        problems = [`the manifest does not parse: ${(error as Error).message}`];
      }
      verdicts.push({ payload: name, outcome: "rendered inert", problem: problems.length > 0 ? problems.join("; ") : undefined });
    }
  }
  return verdicts;
}

const results = targets.map((t, ti) => tryTarget(t, ti));

describe("free-text values", () => {
  it("are enumerated from values.schema.json, including array items and map keys and values", () => {
    const names = targets.map((t) => t.name);
    for (const known of ["llm.model", "auth.oauth2Proxy.emailDomains[]", "openhands.env{value}", "openhands.env{key}", "ingress.tls[].hosts[]", "externalSecrets.secrets.llmApiKey.property", "dind.sysbox.runtimeClassName"]) {
      expect(names).toContain(known);
    }
    expect(names).not.toContain("sandbox.mode");
    if (!only) expect(targets.length).toBeGreaterThan(150);
  });

  it("that reach only NOTES.txt appear in no other template", () => {
    const templates = readdirSync(path.join(repoRoot, "templates")).filter((f) => f !== "NOTES.txt" && f !== "_preflight.tpl" && !f.startsWith("tests"));
    expect(templates.length).toBeGreaterThan(10);
    for (const field of Object.values(notesOnly)) {
      for (const file of templates) expect({ file, uses: readFileSync(path.join(repoRoot, "templates", file), "utf8").includes(field) }).toEqual({ file, uses: false });
    }
  });

  for (const [ti, target] of targets.entries()) {
    it(`${target.name} takes every attack (newline, a Service document, \`: \`, template text, a flag, unicode, 10000 characters) rejected by both Helms or renders it inert`, async () => {
      const verdicts = await results[ti];
      expect(verdicts.filter((v) => v.problem).map((v) => `${v.payload}: ${v.problem}`)).toEqual([]);
      expect(verdicts.length).toBeGreaterThan(0);
    }, 600_000);
  }
});

describe("config.toml of sandbox mode kubernetes", () => {
  it("holds any string as a valid TOML string, quotes, backslashes and control characters included (schema checks skipped)", async () => {
    const nasty = 'a"b\\c\nd\te\u0001f\u007fg\u00e9\u202e"""\n[core]\nruntime = "docker"';
    const preset = presetBases.find((b) => b.name === "v0-kubernetes-runtime")!;
    const fields = { ingressDomain: "ingress_domain", ingressTlsSecretName: "ingress_tls_secret", pvcStorageClass: "pvc_storage_class" };
    const shaped = { imagePullSecrets: [{ name: nasty }], nodeSelector: { [nasty]: nasty }, resources: { requests: { cpu: nasty, memory: nasty }, limits: { memory: nasty } } };
    const shapedKeys = ["image_pull_secret", "node_selector_key", "node_selector_val", "resource_cpu_request", "resource_memory_request", "resource_memory_limit"];
    const values = coalesce(preset.values, { sandbox: { kubernetes: { ...Object.fromEntries(Object.keys(fields).map((k) => [k, nasty])), ...shaped } } });
    for (const h of helms) {
      const run = await helm(h, values, ["--skip-schema-validation", "--show-only", "templates/config-configmap.yaml"]);
      expect(run.stderr).toBe("");
      expect(run.ok).toBe(true);
      const config = parseToml(String((parseManifest(run.stdout)[0].data as Record<string, string>)["config.toml"])) as Record<string, Record<string, unknown>>;
      expect(Object.keys(config)).toEqual(["core", "kubernetes"]);
      expect(config.core).toEqual({ runtime: "kubernetes" });
      for (const key of [...Object.values(fields), ...shapedKeys]) expect(config.kubernetes[key]).toBe(nasty);
    }
  });
});
