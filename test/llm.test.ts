// LLM settings: the variables each OpenHands generation reads, credentials from Secrets.
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { getObject, render, renderError } from "../ts/lib/render.ts";
import { helms } from "../ts/lib/presets.ts";
import { container, envOf, serverDeployment } from "../ts/lib/workload.ts";
import { helmBinary, repoRoot } from "../ts/lib/helm-binaries.ts";

async function appEnv(values: Record<string, unknown>) {
  const { objects } = await render({ values, apiVersions: ["external-secrets.io/v1/ExternalSecret"] });
  return { objects, env: envOf(container(serverDeployment(objects).spec.template.spec, "openhands")) };
}

const bedrock = { model: "bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0", bedrock: { enabled: true, region: "ap-northeast-1" } };

describe("LLM settings", () => {
  it("llm.model and llm.baseUrl become LLM_MODEL and LLM_BASE_URL", async () => {
    const { env } = await appEnv({ llm: { model: "openai/qwen3-coder", baseUrl: "http://litellm.ai.svc:4000" } });
    expect(env).toMatchObject({ LLM_MODEL: "openai/qwen3-coder", LLM_BASE_URL: "http://litellm.ai.svc:4000" });
  });

  it("sets no LLM variable by default: the UI's settings apply", async () => {
    const { env } = await appEnv({});
    expect(Object.keys(env).filter((k) => k.startsWith("LLM_") || k.startsWith("AWS_"))).toEqual([]);
  });

  it("llm.apiKey.existingSecret becomes LLM_API_KEY from that Secret", async () => {
    const { env } = await appEnv({ llm: { apiKey: { existingSecret: "llm", key: "token" } } });
    expect(env.LLM_API_KEY).toEqual({ secretKeyRef: { name: "llm", key: "token" } });
  });

  it("Bedrock with a credentials Secret sets region and keys for LiteLLM and for 1.x sandboxes", async () => {
    const { env } = await appEnv({ llm: { ...bedrock, bedrock: { ...bedrock.bedrock, existingSecret: "aws" } } });
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

  it("Bedrock without a Secret uses the pod's own AWS identity (IRSA): no key variables", async () => {
    const { env } = await appEnv({ llm: bedrock, serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/bedrock" } } });
    expect(env.AWS_REGION_NAME).toBe("ap-northeast-1");
    expect(env).not.toHaveProperty("AWS_ACCESS_KEY_ID");
    expect(env).not.toHaveProperty("LLM_AWS_ACCESS_KEY_ID");
  });

  it("reads credentials from the External Secrets targets when no Secret is named", async () => {
    const { env } = await appEnv({
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

  it("llm.apiKey.insecurePlaintextValue renders a flagged Secret, used as LLM_API_KEY and called out in NOTES", async () => {
    const { objects, env } = await appEnv({ llm: { apiKey: { insecurePlaintextValue: "sk-test" } } });
    const secret = getObject(objects, "Secret", "openhands-llm") as any;
    expect(secret.stringData).toEqual({ "api-key": "sk-test" });
    expect(secret.metadata.annotations["openhands.chart/plaintext-in-values"]).toBe("llm.apiKey.insecurePlaintextValue");
    expect(env.LLM_API_KEY).toEqual({ secretKeyRef: { name: "openhands-llm", key: "api-key" } });
    const { stdout } = await execa(helmBinary("helm4"), ["install", "openhands", repoRoot, "--dry-run=client", "--set", "llm.apiKey.insecurePlaintextValue=sk-test"]);
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
