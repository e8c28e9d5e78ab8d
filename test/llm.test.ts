// LLM settings: what each OpenHands generation reads, credentials from Secrets. 0.x reads
// LLM_* variables; 1.x reads only its settings store, which an init container seeds.
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { getObject, render, renderError, type K8sObject } from "../ts/lib/render.ts";
import { helms } from "../ts/lib/presets.ts";
import { container, envOf, serverDeployment, type Container } from "../ts/lib/workload.ts";
import { helmBinary, repoRoot } from "../ts/lib/helm-binaries.ts";

async function rendered(values: Record<string, unknown>) {
  const { objects } = await render({ values, apiVersions: ["external-secrets.io/v1/ExternalSecret"] });
  const spec = serverDeployment(objects).spec.template.spec;
  const seed = spec.initContainers?.find((c) => c.name === "seed-llm-settings") as Container | undefined;
  return { objects, spec, env: envOf(container(spec, "openhands")), seed, seedEnv: seed ? envOf(seed) : undefined };
}

const v0 = { openhands: { image: { tag: "0.62" } }, sandbox: { image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.62-nikolaik" } } };
const bedrock = { model: "bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0", bedrock: { enabled: true, region: "ap-northeast-1" } };
const llmVariables = (env: Record<string, unknown>) => Object.keys(env).filter((k) => k.startsWith("LLM_"));

describe("LLM settings with OpenHands 1.x (the settings store)", () => {
  it("llm.model, llm.baseUrl and llm.apiKey reach the seed-llm-settings init container, which runs the chart's script with the app image", async () => {
    const { seed, seedEnv, spec } = await rendered({ llm: { model: "openai/qwen3-coder", baseUrl: "http://litellm.ai.svc:4000", apiKey: { existingSecret: "llm", key: "token" } } });
    expect(seed!.image).toBe("docker.openhands.dev/openhands/openhands:1.11.0");
    expect(seed!.command).toEqual(["python", "/opt/openhands-chart/seed-llm-settings.py"]);
    expect(seedEnv).toEqual({
      OH_PERSISTENCE_DIR: "/.openhands",
      LITELLM_LOCAL_MODEL_COST_MAP: "True",
      OPENHANDS_SUPPRESS_BANNER: "1",
      LLM_MODEL: "openai/qwen3-coder",
      LLM_BASE_URL: "http://litellm.ai.svc:4000",
      LLM_API_KEY: { secretKeyRef: { name: "llm", key: "token" } },
    });
    // Same state volume and user as the app, so the app can read what it writes.
    expect(seed!.volumeMounts).toContainEqual({ name: "state", mountPath: "/.openhands" });
    expect(seed!.securityContext).toEqual(container(spec, "openhands").securityContext);
  });

  it("keeps every LLM variable and the key off the app container, which copies LLM_* into every sandbox", async () => {
    const { env } = await rendered({ llm: { model: "openai/qwen3-coder", baseUrl: "http://litellm.ai.svc:4000", apiKey: { existingSecret: "llm" } } });
    expect(llmVariables(env)).toEqual([]);
  });

  it("the seed script is mounted from a ConfigMap, and a change to it rolls the pod", async () => {
    const { objects, spec } = await rendered({ llm: { model: "openai/x" } });
    const scripts = getObject(objects, "ConfigMap", "openhands-scripts") as any;
    expect(scripts.data["seed-llm-settings.py"]).toContain("settings.update({'agent_settings_diff': {'llm': llm}})");
    expect((spec as any).volumes).toContainEqual({ name: "chart-scripts", configMap: { name: "openhands-scripts" } });
    expect(serverDeployment(objects).spec.template.metadata.annotations!["checksum/scripts"]).toMatch(/^[0-9a-f]{64}$/);
  });

  it("without llm.model nothing is seeded: the UI's settings apply", async () => {
    const { seed, env, objects } = await rendered({});
    expect(seed).toBeUndefined();
    // The scripts ConfigMap ships every chart script; no container runs the seed.
    expect(JSON.stringify(objects.filter((o: K8sObject) => o.kind === "Deployment"))).not.toContain("seed-llm-settings");
    expect(Object.keys(env).filter((k) => k.startsWith("LLM_") || k.startsWith("AWS_"))).toEqual([]);
  });

  it("Bedrock: the seed gets region and access key; the app keeps only AWS_* for the model picker", async () => {
    const { env, seedEnv } = await rendered({ llm: { ...bedrock, bedrock: { ...bedrock.bedrock, existingSecret: "aws" } } });
    expect(seedEnv).toMatchObject({
      LLM_MODEL: bedrock.model,
      LLM_AWS_REGION_NAME: "ap-northeast-1",
      LLM_AWS_ACCESS_KEY_ID: { secretKeyRef: { name: "aws", key: "AWS_ACCESS_KEY_ID" } },
      LLM_AWS_SECRET_ACCESS_KEY: { secretKeyRef: { name: "aws", key: "AWS_SECRET_ACCESS_KEY" } },
    });
    expect(env).toMatchObject({
      AWS_REGION_NAME: "ap-northeast-1",
      AWS_ACCESS_KEY_ID: { secretKeyRef: { name: "aws", key: "AWS_ACCESS_KEY_ID" } },
      AWS_SECRET_ACCESS_KEY: { secretKeyRef: { name: "aws", key: "AWS_SECRET_ACCESS_KEY" } },
    });
    expect(llmVariables(env)).toEqual([]);
  });

  it.each([
    ["an API key without a model", { llm: { apiKey: { existingSecret: "llm" } } }, "llm.model: OpenHands 1.x starts conversations only with the LLM in its settings store"],
    ["a base URL without a model", { llm: { baseUrl: "http://llm:4000" } }, "llm.model: OpenHands 1.x starts conversations only with the LLM in its settings store"],
    ["Bedrock on the pod's own identity with Docker sandboxes", { llm: bedrock }, "llm.bedrock.existingSecret: with OpenHands 1.x the agent calls Bedrock from its sandbox container"],
  ])("refuses %s", async (_what, values, message) => {
    expect(await renderError({ values })).toContain(message);
  });

  it("Bedrock on the pod's own identity works in process mode, where the agent shares the app's container", async () => {
    const { seedEnv } = await rendered({ llm: bedrock, sandbox: { mode: "process" } });
    expect(seedEnv).toMatchObject({ LLM_MODEL: bedrock.model, LLM_AWS_REGION_NAME: "ap-northeast-1" });
    expect(seedEnv).not.toHaveProperty("LLM_AWS_ACCESS_KEY_ID");
  });
});

describe("LLM settings with OpenHands 0.x (LLM_* variables and the settings store)", () => {
  it("llm.model and llm.baseUrl become LLM_MODEL and LLM_BASE_URL", async () => {
    const { env } = await rendered({ ...v0, llm: { model: "openai/qwen3-coder", baseUrl: "http://litellm.ai.svc:4000" } });
    expect(env).toMatchObject({ LLM_MODEL: "openai/qwen3-coder", LLM_BASE_URL: "http://litellm.ai.svc:4000" });
  });

  it("llm.* also reach the seed-llm-settings init container, which runs the chart's script with the app image on the state volume, told 0.x by FILE_STORE_PATH", async () => {
    const { seed, seedEnv, spec } = await rendered({ ...v0, llm: { model: "openai/qwen3-coder", baseUrl: "http://litellm.ai.svc:4000", apiKey: { existingSecret: "llm", key: "token" } } });
    expect(seed!.image).toBe("docker.openhands.dev/openhands/openhands:0.62");
    expect(seed!.command).toEqual(["python", "/opt/openhands-chart/seed-llm-settings.py"]);
    expect(seedEnv).toEqual({
      FILE_STORE_PATH: "/.openhands",
      LITELLM_LOCAL_MODEL_COST_MAP: "True",
      OPENHANDS_SUPPRESS_BANNER: "1",
      LLM_MODEL: "openai/qwen3-coder",
      LLM_BASE_URL: "http://litellm.ai.svc:4000",
      LLM_API_KEY: { secretKeyRef: { name: "llm", key: "token" } },
    });
    // The store the app reads: FILE_STORE_PATH of the app container, on the same volume.
    expect(envOf(container(spec, "openhands")).FILE_STORE_PATH).toBe("/.openhands");
    expect(seed!.volumeMounts).toContainEqual({ name: "state", mountPath: "/.openhands" });
    expect(seed!.securityContext).toEqual(container(spec, "openhands").securityContext);
  });

  it("releases before 0.45 keep their state in /.openhands-state, and the seed writes there", async () => {
    const { seedEnv, env } = await rendered({ openhands: { image: { tag: "0.28" } }, sandbox: { image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.28-nikolaik" } }, llm: { model: "openai/x" } });
    expect(seedEnv!.FILE_STORE_PATH).toBe("/.openhands-state");
    expect(env.FILE_STORE_PATH).toBe("/.openhands-state");
  });

  it("the seed script is in the scripts ConfigMap and tells the generation by its state variable", async () => {
    const { objects } = await rendered({ ...v0, llm: { model: "openai/x" } });
    const scripts = objects.find((o: K8sObject) => o.kind === "ConfigMap" && o.metadata.name.endsWith("-scripts")) as K8sObject & { data: Record<string, string> };
    expect(scripts.data["seed-llm-settings.py"]).toContain("generation = V1 if 'OH_PERSISTENCE_DIR' in os.environ else V0");
  });

  it("Bedrock without llm.apiKey before 0.50 (lolice, 0.27): the seed stores a placeholder key, since those releases start no conversation with a blank one", async () => {
    const { seedEnv } = await rendered({ openhands: { image: { tag: "0.27" } }, sandbox: { image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.27-nikolaik" } }, llm: bedrock });
    expect(seedEnv).toMatchObject({ LLM_MODEL: bedrock.model, LLM_API_KEY_PLACEHOLDER: "unused-bedrock-calls-sign-with-aws-credentials" });
    expect(seedEnv).not.toHaveProperty("LLM_API_KEY");
  });

  it("Bedrock without llm.apiKey from 0.56 on (0.62): no key at all, the release exempts Bedrock and its LiteLLM would send a key as a bearer token", async () => {
    const { seedEnv } = await rendered({ ...v0, llm: bedrock });
    expect(seedEnv).not.toHaveProperty("LLM_API_KEY_PLACEHOLDER");
    expect(seedEnv).not.toHaveProperty("LLM_API_KEY");
    expect(llmVariables(seedEnv!)).toEqual(["LLM_MODEL"]);
  });

  it("Bedrock on 0.50-0.55 with llm.apiKey (a Bedrock API key) renders, with the key and no placeholder", async () => {
    const { seedEnv } = await rendered({ openhands: { image: { tag: "0.52" } }, sandbox: { image: { registry: "docker.openhands.dev", repository: "openhands/runtime", tag: "0.52-nikolaik" } }, llm: { ...bedrock, apiKey: { existingSecret: "bedrock-api-key" } } });
    expect(seedEnv!.LLM_API_KEY).toEqual({ secretKeyRef: { name: "bedrock-api-key", key: "api-key" } });
    expect(seedEnv).not.toHaveProperty("LLM_API_KEY_PLACEHOLDER");
  });

  it("llm.apiKey.existingSecret becomes LLM_API_KEY from that Secret", async () => {
    const { env } = await rendered({ ...v0, llm: { model: "openai/x", apiKey: { existingSecret: "llm", key: "token" } } });
    expect(env.LLM_API_KEY).toEqual({ secretKeyRef: { name: "llm", key: "token" } });
  });

  it("Bedrock with a credentials Secret sets region and keys for LiteLLM and OpenHands' LLM config", async () => {
    const { env } = await rendered({ ...v0, llm: { ...bedrock, bedrock: { ...bedrock.bedrock, existingSecret: "aws" } } });
    expect(env).toMatchObject({
      LLM_MODEL: "bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0",
      AWS_REGION_NAME: "ap-northeast-1",
      LLM_AWS_REGION_NAME: "ap-northeast-1",
      AWS_REGION: "ap-northeast-1",
      AWS_DEFAULT_REGION: "ap-northeast-1",
      AWS_ACCESS_KEY_ID: { secretKeyRef: { name: "aws", key: "AWS_ACCESS_KEY_ID" } },
      LLM_AWS_ACCESS_KEY_ID: { secretKeyRef: { name: "aws", key: "AWS_ACCESS_KEY_ID" } },
      AWS_SECRET_ACCESS_KEY: { secretKeyRef: { name: "aws", key: "AWS_SECRET_ACCESS_KEY" } },
      LLM_AWS_SECRET_ACCESS_KEY: { secretKeyRef: { name: "aws", key: "AWS_SECRET_ACCESS_KEY" } },
    });
  });

  it.each([
    ["an API key without a model", { llm: { apiKey: { existingSecret: "llm" } } }],
    ["a base URL without a model", { llm: { baseUrl: "http://llm:4000" } }],
  ])("refuses %s: 0.x would never use them", async (_what, values) => {
    expect(await renderError({ values: { ...v0, ...values } })).toContain("llm.model: OpenHands 0.x starts conversations only with the LLM in its settings store");
  });

  it("Bedrock without a Secret uses the pod's own AWS identity (IRSA): no key variables", async () => {
    const { env } = await rendered({ ...v0, llm: bedrock, serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/bedrock" } } });
    expect(env.AWS_REGION_NAME).toBe("ap-northeast-1");
    expect(env).not.toHaveProperty("AWS_ACCESS_KEY_ID");
    expect(env).not.toHaveProperty("LLM_AWS_ACCESS_KEY_ID");
  });
});

describe("LLM credentials from Secrets", () => {
  it("reads credentials from the External Secrets targets when no Secret is named", async () => {
    const { env } = await rendered({
      ...v0,
      llm: bedrock,
      externalSecrets: {
        enabled: true,
        storeRef: { name: "aws" },
        secrets: {
          awsCredentials: { enabled: true, targetName: "from-ssm", accessKeyIdRemoteKey: "a", secretAccessKeyRemoteKey: "b" },
          llmApiKey: { enabled: true, targetName: "llm-from-ssm", remoteKey: "c" },
        },
      },
    });
    expect(env.AWS_ACCESS_KEY_ID).toEqual({ secretKeyRef: { name: "from-ssm", key: "AWS_ACCESS_KEY_ID" } });
    expect(env.LLM_API_KEY).toEqual({ secretKeyRef: { name: "llm-from-ssm", key: "api-key" } });
  });

  it("llm.apiKey.insecurePlaintextValue renders a flagged Secret, read by the seed and called out in NOTES", async () => {
    const { objects, seedEnv } = await rendered({ llm: { model: "openai/x", apiKey: { insecurePlaintextValue: "sk-test" } } });
    const secret = getObject(objects, "Secret", "openhands-llm") as any;
    expect(secret.stringData).toEqual({ "api-key": "sk-test" });
    expect(secret.metadata.annotations["openhands.chart/plaintext-in-values"]).toBe("llm.apiKey.insecurePlaintextValue");
    expect(seedEnv!.LLM_API_KEY).toEqual({ secretKeyRef: { name: "openhands-llm", key: "api-key" } });
    const { stdout } = await execa(helmBinary("helm4"), ["install", "openhands", repoRoot, "--dry-run=client", "--set", "llm.model=openai/x", "--set", "llm.apiKey.insecurePlaintextValue=sk-test"]);
    expect(stdout).toContain("WARNING: the LLM API key was given in plain text (llm.apiKey.insecurePlaintextValue)");
  });
});

describe("a plain-text LLM key beside another source of the key", () => {
  const externalKey = { enabled: true, storeRef: { name: "aws" }, secrets: { llmApiKey: { enabled: true, targetName: "llm-from-ssm", remoteKey: "c" } } };
  it.each([
    ["llm.apiKey.existingSecret", { llm: { apiKey: { existingSecret: "llm", insecurePlaintextValue: "sk-test" } } }, "llm.apiKey.existingSecret (llm)"],
    [
      "an ExternalSecret for the key",
      { llm: { apiKey: { insecurePlaintextValue: "sk-test" } }, externalSecrets: externalKey },
      "externalSecrets.secrets.llmApiKey (the ExternalSecret filling llm-from-ssm)",
    ],
  ])("is refused with %s, naming both keys (no unused plain-text Secret)", async (_what, values, source) => {
    for (const helm of helms) {
      const message = await renderError({ helm, values, apiVersions: ["external-secrets.io/v1/ExternalSecret"] });
      expect(message).toContain(`llm.apiKey.insecurePlaintextValue: the LLM API key already comes from ${source}, so the plain-text copy would only sit in values and Helm's release history, unused.`);
    }
  });
});
