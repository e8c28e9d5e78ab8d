// Every environment variable the chart sets on the app container is read by the OpenHands
// release it targets: each name needs an entry below whose evidence is found in that release's
// own source (the PyPI package, unpacked), or in the library that reads it. A variable with no
// entry, or whose evidence a release lacks, fails: the chart must not render dead settings.
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../ts/lib/helm-binaries.ts";
import { render } from "../../ts/lib/render.ts";
import { clusterApiVersions, presets } from "../../ts/lib/presets.ts";
import { container, serverDeployment } from "../../ts/lib/workload.ts";
import { pythonFiles, upstreamSource } from "../../ts/runtime/upstream-source.ts";
import { canvasConstraints, canvasInputs, prepareCanvasFiles } from "../../ts/runtime/image/canvas.ts";
import { canvasAgentServerVersion, canvasVersion } from "../../ts/runtime/image/specs.ts";

type Generation = "v0" | "v1" | "canvas";

/** A text that must occur in a file of the package (path matched by `file`). */
interface Evidence {
  /** `chart`: the chart's own files/ (code the chart runs in the app, such as its sitecustomize). */
  /** `agent-canvas`: the Canvas image's own files (its entrypoint, the npm package's Node servers). */
  package: "openhands-ai" | "openhands-agent-server" | "openhands-automation" | "litellm" | "botocore" | "chart" | "agent-canvas";
  file: RegExp;
  text: RegExp;
}

interface Contract {
  generation: Generation;
  /** Names, or patterns for indexed names (`OH_ALLOW_CORS_ORIGINS_<n>`). */
  names: (string | RegExp)[];
  /** Why the release reads it, in a few words. */
  why: string;
  /** Read by no program: another variable of the container refers to it as $(NAME). */
  referenced?: true;
  evidence: (name: string) => Evidence[];
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const lower = (name: string, prefix = "") => name.slice(prefix.length).toLowerCase();

/** `os.getenv('NAME')`, `os.environ['NAME']`, `os.environ.get('NAME')` or LiteLLM's `get_secret("NAME")`. */
const readsEnv = (pkg: Evidence["package"], name: string): Evidence => ({
  package: pkg,
  file: /\.py$/,
  text: new RegExp(`(getenv|environ\\.get|environ\\[|get_secret)\\(?\\s*['"]${esc(name)}['"]`),
});

/** 0.x `load_from_env`: `<PREFIX><FIELD>` sets the field of the config model that `prefix` names. */
const v0Field = (name: string, prefix: "" | "SANDBOX_" | "LLM_", file: RegExp): Evidence[] => [
  { package: "openhands-ai", file: /core\/config\/utils\.py$/, text: /env_var_name = \(prefix \+ field_name\)\.upper\(\)/ },
  ...(prefix === "LLM_" ? [{ package: "openhands-ai" as const, file: /core\/config\/utils\.py$/, text: /set_attr_from_env\(default_llm_config, 'LLM_'\)/ }] : []),
  ...(prefix === "SANDBOX_" ? [{ package: "openhands-ai" as const, file: /core\/config\/(app|openhands)_config\.py$/, text: /^\s+sandbox: SandboxConfig/m }] : []),
  { package: "openhands-ai", file, text: new RegExp(`^\\s+${esc(lower(name, prefix))}: `, "m") },
];

const dockerFromEnv: Evidence = { package: "openhands-ai", file: /\.py$/, text: /docker\.from_env\(/ };

const canvasScript = (name: string): Evidence => ({ package: "agent-canvas", file: /(entrypoint\.sh|static-server\.mjs)$/, text: new RegExp(`\\b${esc(name)}\\b`) });

const contracts: Contract[] = [
  // Agent Canvas: its entrypoint and Node server, the agent server 1.49.1 and LiteLLM it runs.
  {
    generation: "canvas",
    names: ["HOME", "PUBLIC_MODE_PORT", "VITE_DO_NOT_TRACK", "AUTOMATION_DB_URL"],
    why: "read by the Canvas image's entrypoint",
    evidence: (name) => [{ package: "agent-canvas", file: /entrypoint\.sh$/, text: new RegExp(`\\$\\{?${esc(name)}\\b`) }],
  },
  {
    generation: "canvas",
    names: ["AGENT_CANVAS_DISABLE_TELEMETRY"],
    why: "read by Canvas' Node server, which then marks its pages do-not-track",
    evidence: (name) => [{ package: "agent-canvas", file: /static-server\.mjs$/, text: new RegExp(`env\\.${esc(name)}\\b`) }],
  },
  {
    generation: "canvas",
    names: ["OPENHANDS_AGENT_SERVER_CONFIG_PATH", "DO_NOT_TRACK", "OH_SECRET_KEY", "OH_EXTRA_PYTHON_PATH"],
    why: "read by the agent server",
    evidence: (name) => [{ package: "openhands-agent-server", file: /\.py$/, text: new RegExp(`['"]${esc(name)}['"]`) }],
  },
  {
    generation: "canvas",
    names: ["OH_SESSION_API_KEYS_0"],
    why: "the agent server's session_api_keys from OH_<FIELD>_<n>, and the entrypoint's key",
    evidence: (name) => [
      { package: "openhands-agent-server", file: /agent_server\/config\.py$/, text: /^\s+session_api_keys: /m },
      canvasScript(name),
    ],
  },
  {
    generation: "canvas",
    names: [
      "OH_CONVERSATION_RUNTIME",
      "OH_CONVERSATION_IMAGE",
      "OH_CONVERSATION_CONTAINER_MEMORY",
      "OH_CONVERSATION_CONTAINER_CPUS",
      "OH_CONVERSATION_CONTAINER_PIDS_LIMIT",
      "OH_CONVERSATION_CONTAINER_STARTUP_TIMEOUT",
    ],
    why: "the agent server's Config fields from OH_<FIELD>",
    evidence: (name) => [
      { package: "openhands-agent-server", file: /agent_server\/config\.py$/, text: new RegExp(`^\\s+${name.slice("OH_".length).toLowerCase()}: `, "m") },
    ],
  },
  {
    generation: "canvas",
    names: ["DOCKER_HOST"],
    why: "read by the docker CLI that the agent server's Docker runtime runs with its environment",
    evidence: () => [{ package: "openhands-agent-server", file: /docker_runtime\/registry\.py$/, text: /"docker",\s*"run",/ }],
  },
  {
    generation: "canvas",
    names: ["AUTOMATION_KV_SECRET"],
    why: "the automation service's KVSettings.kv_secret (prefix AUTOMATION_)",
    evidence: () => [
      { package: "openhands-automation", file: /automation\/config\.py$/, text: /class KVSettings\(BaseSettings\):[\s\S]*?kv_secret: str[\s\S]*?"env_prefix": "AUTOMATION_"/ },
    ],
  },
  {
    generation: "canvas",
    names: ["AWS_REGION_NAME"],
    why: "LiteLLM's Bedrock client picks the region from it when the profile names none",
    evidence: (name) => [{ ...readsEnv("litellm", name), file: /llms\/bedrock\/base_aws_llm\.py$/ }],
  },
  {
    generation: "canvas",
    names: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
    why: "boto's environment credentials, which LiteLLM's Bedrock client falls back to",
    evidence: (name) => [{ package: "botocore", file: /credentials\.py$/, text: new RegExp(`['"]${esc(name)}['"]`) }],
  },
  {
    generation: "canvas",
    names: ["LITELLM_LOCAL_MODEL_COST_MAP"],
    why: "read by LiteLLM at import",
    evidence: (name) => [readsEnv("litellm", name)],
  },

  // 1.x: the app server reads its settings with os.getenv, and AppServerConfig from OH_<FIELD>.
  {
    generation: "v1",
    names: ["OH_PERSISTENCE_DIR", "SANDBOX_CONTAINER_URL_PATTERN", "SANDBOX_HOST_PORT", "SANDBOX_VOLUMES", "SANDBOX_STARTUP_GRACE_SECONDS", "PERMITTED_CORS_ORIGINS", "JWT_SECRET", "RUNTIME", "AGENT_SERVER_IMAGE_REPOSITORY", "AGENT_SERVER_IMAGE_TAG", "AWS_REGION_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
    why: "read by the app server with os.getenv",
    evidence: (name) => [readsEnv("openhands-ai", name)],
  },
  {
    generation: "v1",
    names: ["FILE_STORE_PATH"],
    why: "the app's state directory when OH_PERSISTENCE_DIR is unset (process mode, where agent servers would read OH_PERSISTENCE_DIR too)",
    evidence: (name) => [readsEnv("openhands-ai", name)],
  },
  {
    generation: "v1",
    names: ["OH_WEBHOOKS_0_BASE_URL", /^OH_ALLOW_CORS_ORIGINS_\d+$/],
    why: "process sandboxes inherit the app's environment, and the agent server's Config reads OH_<FIELD>",
    evidence: (name) => [
      { package: "openhands-ai", file: /sandbox\/process_sandbox_service\.py$/, text: /env = os\.environ\.copy\(\)/ },
      { package: "openhands-agent-server", file: /agent_server\/config\.py$/, text: /parser\.from_env\(ENVIRONMENT_VARIABLE_PREFIX\)/ },
      { package: "openhands-agent-server", file: /agent_server\/config\.py$/, text: name.startsWith("OH_WEBHOOKS_") ? /^\s+webhooks: /m : /^\s+allow_cors_origins: /m },
    ],
  },
  {
    generation: "v1",
    names: ["PROCESS_SANDBOX_START_SECONDS", "PROCESS_SANDBOX_URL_PATTERN"],
    why: "the chart's fixes for process sandboxes (files/process-sandbox-sitecustomize.py)",
    evidence: (name) => [{ package: "chart", file: /process-sandbox-sitecustomize\.py$/, text: new RegExp(`os\\.environ\\.get\\("${esc(name)}"\\)`) }],
  },
  {
    generation: "v1",
    names: ["PYTHONPATH"],
    why: "Python loads the chart's sitecustomize from it at start",
    evidence: () => [{ package: "chart", file: /process-sandbox-sitecustomize\.py$/, text: /Loaded by Python at start \(as sitecustomize, through PYTHONPATH\)/ }],
  },
  {
    generation: "v1",
    names: ["OH_AGENT_SERVER_ENV"],
    why: "JSON of extra agent-server variables, parsed with env_parser.from_env",
    evidence: () => [{ package: "openhands-ai", file: /sandbox_spec_service\.py$/, text: /from_env\(dict\[str, str\], 'OH_AGENT_SERVER_ENV'\)/ }],
  },
  {
    generation: "v1",
    names: ["OH_WEB_URL"],
    why: "AppServerConfig.web_url, read from OH_<FIELD>",
    evidence: () => [
      { package: "openhands-ai", file: /app_server\/config\.py$/, text: /from_env\(AppServerConfig, 'OH'\)/ },
      { package: "openhands-ai", file: /app_server\/config\.py$/, text: /^\s+web_url: /m },
    ],
  },
  {
    generation: "v1",
    names: ["OH_SANDBOX_KIND"],
    why: "picks the class of AppServerConfig.sandbox, read from OH_<FIELD>_KIND",
    evidence: () => [
      { package: "openhands-ai", file: /app_server\/config\.py$/, text: /from_env\(AppServerConfig, 'OH'\)/ },
      { package: "openhands-ai", file: /app_server\/config\.py$/, text: /^\s+sandbox: SandboxServiceInjector/m },
      { package: "openhands-agent-server", file: /agent_server\/env_parser\.py$/, text: /os\.environ\.get\(f"\{key\}_KIND"/ },
      { package: "openhands-ai", file: /sandbox\/docker_sandbox_service\.py$/, text: /^class DockerSandboxServiceInjector\(/m },
    ],
  },
  {
    generation: "v1",
    names: ["OH_SANDBOX_CONTAINER_URL_PATTERN", "OH_SANDBOX_HOST_PORT", "OH_SANDBOX_EXTRA_HOSTS", "OH_SANDBOX_STARTUP_GRACE_SECONDS", /^OH_SANDBOX_MOUNTS_\d+_(HOST|CONTAINER)_PATH$/],
    why: "fields of DockerSandboxServiceInjector (OH_SANDBOX_KIND), read from OH_SANDBOX_<FIELD>",
    evidence: (name) => {
      const mount = /^OH_SANDBOX_MOUNTS_\d+_(HOST|CONTAINER)_PATH$/.exec(name);
      const field = mount ? "mounts" : lower(name, "OH_SANDBOX_");
      return [
        { package: "openhands-ai", file: /app_server\/config\.py$/, text: /from_env\(AppServerConfig, 'OH'\)/ },
        { package: "openhands-ai", file: /sandbox\/docker_sandbox_service\.py$/, text: new RegExp(`^class DockerSandboxServiceInjector\\([^]*?^    ${field}: `, "m") },
        ...(mount
          ? [
              { package: "openhands-agent-server" as const, file: /agent_server\/env_parser\.py$/, text: /^class ListEnvParser\(/m },
              { package: "openhands-ai" as const, file: /sandbox\/docker_sandbox_service\.py$/, text: new RegExp(`^class VolumeMount\\([^]*?^    ${mount[1].toLowerCase()}_path: `, "m") },
            ]
          : []),
      ];
    },
  },
  {
    generation: "v1",
    names: ["DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"],
    why: "the Docker SDK's docker.from_env()",
    evidence: () => [dockerFromEnv],
  },
  // 0.x: AppConfig, SandboxConfig and the default LLMConfig are loaded from the environment.
  {
    generation: "v0",
    names: ["FILE_STORE", "FILE_STORE_PATH", "RUNTIME", "WORKSPACE_BASE", "WORKSPACE_MOUNT_PATH", "JWT_SECRET", "MAX_CONCURRENT_CONVERSATIONS"],
    why: "AppConfig fields through load_from_env",
    evidence: (name) => v0Field(name, "", /core\/config\/(app|openhands)_config\.py$/),
  },
  {
    generation: "v0",
    names: ["SANDBOX_RUNTIME_CONTAINER_IMAGE", "SANDBOX_LOCAL_RUNTIME_URL", "SANDBOX_VOLUMES"],
    why: "SandboxConfig fields through load_from_env",
    evidence: (name) => v0Field(name, "SANDBOX_", /core\/config\/sandbox_config\.py$/),
  },
  {
    generation: "v0",
    names: ["LLM_MODEL", "LLM_BASE_URL", "LLM_API_KEY", "LLM_AWS_REGION_NAME", "LLM_AWS_ACCESS_KEY_ID", "LLM_AWS_SECRET_ACCESS_KEY"],
    why: "the default LLMConfig through load_from_env",
    evidence: (name) => v0Field(name, "LLM_", /core\/config\/llm_config\.py$/),
  },
  {
    generation: "v0",
    names: ["LOG_ALL_EVENTS"],
    why: "logs every agent step (the controller imports it)",
    evidence: (name) => [readsEnv("openhands-ai", name), { package: "openhands-ai", file: /controller\/agent_controller\.py$/, text: /from openhands\.core\.logger import LOG_ALL_EVENTS/ }],
  },
  { generation: "v0", names: ["DOCKER_HOST"], why: "the Docker SDK's docker.from_env()", evidence: () => [dockerFromEnv] },
  { generation: "v0", names: ["HOST_IP"], why: "the node's address, which the kubelet puts into SANDBOX_LOCAL_RUNTIME_URL", referenced: true, evidence: () => [] },
  {
    generation: "v0",
    names: ["AWS_REGION_NAME", "AWS_REGION", "AWS_DEFAULT_REGION"],
    why: "LiteLLM's Bedrock client picks the region from these when the call names none",
    evidence: (name) => [{ ...readsEnv("litellm", name), file: /llms\/bedrock\/base_aws_llm\.py$/ }],
  },
  {
    generation: "v0",
    names: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
    why: "boto's environment credentials, which LiteLLM's Bedrock client falls back to",
    evidence: (name) => [{ package: "botocore", file: /credentials\.py$/, text: new RegExp(`['"]${esc(name)}['"]`) }],
  },
];

/** The upstream release a rendered app image tag names (`0.28` is 0.28.0). */
function releaseOf(tag: string): { generation: Generation; version: string } {
  const version = tag.split("-")[0].replace(/^v/, "").split(".").concat(["0", "0"]).slice(0, 3).join(".");
  return { generation: version.startsWith("0.") ? "v0" : "v1", version };
}

/** Library versions the releases' lock files pin (0.62.0's for 0.x, 1.11.0's for 1.x). */
const libraries: Record<Generation, Record<"litellm" | "botocore" | "openhands-agent-server" | "openhands-automation", string>> = {
  v0: { litellm: "1.77.7", botocore: "1.39.13", "openhands-agent-server": "none", "openhands-automation": "none" },
  v1: { litellm: "1.84.1", botocore: "1.42.82", "openhands-agent-server": "1.34.0", "openhands-automation": "none" },
  // Canvas 1.20.0's pins (ts/runtime/image/canvas/constraints-1.20.0.txt).
  canvas: { litellm: canvasPin("litellm"), botocore: canvasPin("botocore"), "openhands-agent-server": canvasAgentServerVersion, "openhands-automation": canvasPin("openhands-automation") },
};

const sources = new Map<string, Map<string, string>>();
function source(pkg: string, version: string): Map<string, string> {
  const key = `${pkg}-${version}`;
  if (!sources.has(key)) sources.set(key, pkg === "agent-canvas" ? canvasScripts() : pythonFiles(pkg === "chart" ? path.join(repoRoot, "files") : upstreamSource(pkg, version)));
  return sources.get(key)!;
}

/** The version Canvas' constraints pin for a package. */
function canvasPin(pkg: string): string {
  const pin = canvasConstraints().split("\n").find((l) => l.toLowerCase().startsWith(`${pkg}==`));
  if (!pin) throw new Error(`Canvas' constraints pin no ${pkg}`);
  return pin.split("==")[1].trim();
}

/** The Canvas image's entrypoint and the npm package's Node scripts (the package from the npm registry, cached). */
function canvasScripts(): Map<string, string> {
  const files = new Map<string, string>([["entrypoint.sh", readFileSync(path.join(canvasInputs, "entrypoint.sh"), "utf8")]]);
  const scripts = path.join(prepareCanvasFiles(path.join(tmpdir(), "env-contract-canvas.log")).packageDir, "scripts");
  for (const file of readdirSync(scripts).filter((f) => f.endsWith(".mjs"))) files.set(`scripts/${file}`, readFileSync(path.join(scripts, file), "utf8"));
  return files;
}

function versionOf(pkg: Evidence["package"], release: { generation: Generation; version: string }): string {
  if (pkg === "agent-canvas") return canvasVersion;
  return pkg === "openhands-ai" ? release.version : pkg === "chart" ? "files" : libraries[release.generation][pkg];
}

function found(e: Evidence, release: { generation: Generation; version: string }): string | undefined {
  const files = source(e.package, versionOf(e.package, release));
  for (const [file, text] of files) if (e.file.test(file) && e.text.test(text)) return file;
  return undefined;
}

const runtime = (tag: string) => ({ registry: "docker.openhands.dev", repository: "openhands/runtime", tag });
/** Values that switch on what no preset does, so every variable the chart can set is checked. */
const extraCases: { name: string; values: Record<string, unknown> }[] = [
  {
    name: "0.62 with every LLM and limit value",
    values: {
      openhands: { image: { tag: "0.62" } },
      sandbox: { image: runtime("0.62-nikolaik"), limits: { maxConcurrentConversations: 3 } },
      llm: { model: "openai/gpt-4o", baseUrl: "http://llm.lan/v1", apiKey: { existingSecret: "llm" } },
    },
  },
  {
    name: "1.11.0 on the node's Docker daemon without host networking",
    values: {
      sandbox: { mode: "hostDocker", hostDocker: { nodeAddress: "192.168.1.5", workspaceHostPath: "/srv/ws" } },
      nodeSelector: { "kubernetes.io/hostname": "node-a" },
      auth: { mode: "external", external: { description: "the LAN firewall" } },
    },
  },
  {
    name: "0.62 on the node's Docker daemon without host networking",
    values: {
      openhands: { image: { tag: "0.62" } },
      sandbox: { mode: "hostDocker", image: runtime("0.62-nikolaik") },
      nodeSelector: { "kubernetes.io/hostname": "node-a" },
      auth: { mode: "external", external: { description: "the LAN firewall" } },
    },
  },
  {
    name: "1.11.0 with sandbox env, startup grace, Bedrock and a JWT secret",
    values: {
      sandbox: { env: { FOO: "bar" }, limits: { startupGraceSeconds: 60 } },
      llm: { model: "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0", bedrock: { enabled: true, region: "us-east-1", existingSecret: "aws" } },
      openhands: { jwtSecret: { existingSecret: "jwt" } },
    },
  },
];

extraCases.push({
  name: "Canvas with the automation database, key-value store and Bedrock credentials from Secrets",
  values: {
    app: "canvas",
    canvas: { sessionKey: { existingSecret: "canvas-keys" }, automation: { databaseUrl: { existingSecret: "automation" }, kvSecret: { existingSecret: "automation" } } },
    llm: { bedrock: { enabled: true, region: "us-east-1", existingSecret: "aws" } },
  },
});

const cases = [
  ...presets.map((p) => ({ name: `preset ${p.name}`, options: { valuesFiles: p.valuesFiles } })),
  ...extraCases.map((c) => ({ name: c.name, options: { values: c.values } })),
];

describe("every variable the chart sets on the app is read by the OpenHands release it runs", () => {
  it.each(cases)("$name", async ({ options }) => {
    const { objects } = await render({ ...options, apiVersions: clusterApiVersions, kubeVersion: "1.33.0" });
    const pod = serverDeployment(objects).spec.template.spec;
    const canvas = pod.containers.some((c) => c.name === "canvas");
    const app = container(pod, canvas ? "canvas" : "openhands");
    const release = canvas ? { generation: "canvas" as const, version: canvasVersion } : releaseOf(app.image!.split(":").pop()!);
    const names = (app.env ?? []).map((e) => e.name);
    expect(names.length).toBeGreaterThan(0);
    const unread: string[] = [];
    for (const name of names) {
      const contract = contracts.find((c) => c.generation === release.generation && c.names.some((n) => (typeof n === "string" ? n === name : n.test(name))));
      if (!contract) {
        unread.push(`${name}: no evidence that OpenHands ${release.version} reads it`);
        continue;
      }
      if (contract.referenced && !(app.env ?? []).some((e) => e.value?.includes(`$(${name})`))) {
        unread.push(`${name} (${contract.why}): no variable refers to $(${name})`);
      }
      for (const e of contract.evidence(name)) {
        if (!found(e, release)) unread.push(`${name} (${contract.why}): ${e.text} not found in ${e.package} ${versionOf(e.package, release)}`);
      }
    }
    expect(unread, `the chart sets variables OpenHands ${release.version} does not read`).toEqual([]);
  });

  it.each(cases)("$name: no legacy SANDBOX_* field variable beside OH_SANDBOX_KIND, which makes upstream ignore them", async ({ options }) => {
    const { objects } = await render({ ...options, apiVersions: clusterApiVersions, kubeVersion: "1.33.0" });
    // 1.11.0 reads these only in its legacy block, `if config.sandbox is None:` (app_server/config.py).
    const legacy = ["SANDBOX_HOST_PORT", "SANDBOX_CONTAINER_URL_PATTERN", "SANDBOX_STARTUP_GRACE_SECONDS", "SANDBOX_VOLUMES"];
    // Every container of the server pod (Canvas' has no GUI server).
    for (const c of serverDeployment(objects).spec.template.spec.containers) {
      const names = (c.env ?? []).map((e: { name: string }) => e.name);
      if (names.includes("OH_SANDBOX_KIND")) expect(names.filter((n: string) => legacy.includes(n)), c.name).toEqual([]);
      else expect(names.filter((n: string) => n.startsWith("OH_SANDBOX_")), c.name).toEqual([]);
    }
  });

  it("the legacy variables are read only while no sandbox kind is configured", () => {
    const config = [...source("openhands-ai", "1.11.0")].find(([file]) => /app_server\/config\.py$/.test(file))![1];
    const legacyBlock = config.slice(config.indexOf("if config.sandbox is None:"));
    expect(config.indexOf("if config.sandbox is None:")).toBeGreaterThan(config.indexOf("from_env(AppServerConfig, 'OH')"));
    expect(legacyBlock).toContain("os.getenv('SANDBOX_HOST_PORT')");
  });

  it("the evidence check fails for a variable upstream does not read", () => {
    const dead = { package: "openhands-ai" as const, file: /\.py$/, text: /getenv\('OPENHANDS_CHART_NO_SUCH_SETTING'/ };
    expect(found(dead, { generation: "v1", version: "1.11.0" })).toBeUndefined();
    expect(found(readsEnv("openhands-ai", "OH_PERSISTENCE_DIR"), { generation: "v1", version: "1.11.0" })).toMatch(/app_server\/config\.py$/);
  });
});
