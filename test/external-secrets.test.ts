// externalSecrets: ExternalSecrets (and optionally a SecretStore) for the chart's credentials.
import { describe, expect, it } from "vitest";
import { getObject, objectsOfKind, render, renderError } from "../ts/lib/render.ts";

const apis = ["external-secrets.io/v1/ExternalSecret", "external-secrets.io/v1/SecretStore"];
const base = {
  enabled: true,
  refreshInterval: "1h",
  storeRef: { name: "parameterstore", kind: "ClusterSecretStore" },
  secrets: { tunnelToken: { enabled: true, targetName: "tunnel-credentials", secretKey: "tunnel-token", remoteKey: "openhands-tunnel-token" } },
};

describe("External Secrets", () => {
  it("renders an external-secrets.io/v1 ExternalSecret from the store reference, with refresh interval, target and remote key", async () => {
    const { objects } = await render({ values: { externalSecrets: base }, apiVersions: apis });
    const es = getObject(objects, "ExternalSecret", "openhands-tunnel-token") as any;
    expect(es.apiVersion).toBe("external-secrets.io/v1");
    expect(es.spec).toEqual({
      refreshInterval: "1h",
      secretStoreRef: { name: "parameterstore", kind: "ClusterSecretStore" },
      target: { name: "tunnel-credentials", creationPolicy: "Owner" },
      data: [{ secretKey: "tunnel-token", remoteRef: { key: "openhands-tunnel-token" } }],
    });
  });

  it("fills the Bedrock key pair under the key names llm.bedrock.secretKeys gives, with a JSON property when set", async () => {
    const { objects } = await render({
      values: {
        externalSecrets: { ...base, secrets: { awsCredentials: { enabled: true, targetName: "aws", accessKeyIdRemoteKey: "k1", secretAccessKeyRemoteKey: "k2", property: "value" } } },
        llm: { bedrock: { secretKeys: { accessKeyId: "id", secretAccessKey: "secret" } } },
      },
      apiVersions: apis,
    });
    expect((getObject(objects, "ExternalSecret") as any).spec.data).toEqual([
      { secretKey: "id", remoteRef: { key: "k1", property: "value" } },
      { secretKey: "secret", remoteRef: { key: "k2", property: "value" } },
    ]);
  });

  it("renders a SecretStore for AWS Parameter Store with an access key Secret, and reads from it", async () => {
    const { objects } = await render({
      values: {
        externalSecrets: { ...base, store: { enabled: true, service: "ParameterStore", region: "ap-northeast-1", role: "arn:aws:iam::1:role/r", credentialsSecret: "ssm-reader" } },
      },
      apiVersions: apis,
    });
    const store = getObject(objects, "SecretStore", "openhands-store") as any;
    expect(store.spec.provider.aws).toEqual({
      service: "ParameterStore",
      region: "ap-northeast-1",
      role: "arn:aws:iam::1:role/r",
      auth: {
        secretRef: {
          accessKeyIDSecretRef: { name: "ssm-reader", key: "access-key-id" },
          secretAccessKeySecretRef: { name: "ssm-reader", key: "secret-access-key" },
        },
      },
    });
    expect((getObject(objects, "ExternalSecret") as any).spec.secretStoreRef).toEqual({ name: "openhands-store", kind: "SecretStore" });
  });

  it("a chart store without credentials authenticates as the operator's identity (no auth block)", async () => {
    const { objects } = await render({ values: { externalSecrets: { ...base, store: { enabled: true, region: "us-east-1" } } }, apiVersions: apis });
    expect((getObject(objects, "SecretStore") as any).spec.provider.aws).not.toHaveProperty("auth");
  });

  it("renders nothing for entries that are off", async () => {
    const { objects } = await render({ values: { externalSecrets: { ...base, secrets: { tunnelToken: { enabled: false } } } }, apiVersions: apis });
    expect(objectsOfKind(objects, "ExternalSecret")).toEqual([]);
  });

  it("is refused on a cluster that does not serve external-secrets.io/v1", async () => {
    const message = await renderError({ values: { externalSecrets: base } });
    expect(message).toContain("externalSecrets.enabled: the cluster does not serve external-secrets.io/v1");
  });

  it("names the entry whose remote key is missing", async () => {
    const message = await renderError({ values: { externalSecrets: { ...base, secrets: { tunnelToken: { enabled: true, remoteKey: "" } } } }, apiVersions: apis });
    expect(message).toContain("externalSecrets.secrets: the remote key for tunnel-token in ExternalSecret tunnel-token is empty");
  });
});

describe("External Secrets for sign-in and sessions", () => {
  it("fills oauth2-proxy's three secrets under auth.oauth2Proxy.secretKeys, and the sidecar reads that target", async () => {
    const { objects } = await render({
      values: {
        auth: { mode: "oauth2Proxy", oauth2Proxy: { oidcIssuerUrl: "https://sso", emailDomains: ["*"] } },
        externalSecrets: {
          ...base,
          secrets: { oauth2Proxy: { enabled: true, targetName: "oauth-from-ssm", clientIdRemoteKey: "oh-client-id", clientSecretRemoteKey: "oh-client-secret", cookieSecretRemoteKey: "oh-cookie" } },
        },
      },
      apiVersions: apis,
    });
    expect((getObject(objects, "ExternalSecret", "openhands-oauth2-proxy") as any).spec.data).toEqual([
      { secretKey: "client-id", remoteRef: { key: "oh-client-id" } },
      { secretKey: "client-secret", remoteRef: { key: "oh-client-secret" } },
      { secretKey: "cookie-secret", remoteRef: { key: "oh-cookie" } },
    ]);
    const proxy = (getObject(objects, "Deployment", "openhands") as any).spec.template.spec.containers.find((c: any) => c.name === "oauth2-proxy");
    expect(proxy.env.map((e: any) => e.valueFrom.secretKeyRef.name)).toEqual(["oauth-from-ssm", "oauth-from-ssm", "oauth-from-ssm"]);
  });

  it("fills JWT_SECRET's Secret, which the app then reads", async () => {
    const { objects } = await render({
      values: { externalSecrets: { ...base, secrets: { jwtSecret: { enabled: true, remoteKey: "openhands/jwt" } } } },
      apiVersions: apis,
    });
    expect((getObject(objects, "ExternalSecret", "openhands-jwt-secret") as any).spec.target.name).toBe("openhands-jwt");
    const app = (getObject(objects, "Deployment", "openhands") as any).spec.template.spec.containers.find((c: any) => c.name === "openhands");
    expect(app.env.find((e: any) => e.name === "JWT_SECRET").valueFrom).toEqual({ secretKeyRef: { name: "openhands-jwt", key: "jwt-secret" } });
  });
});
