import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import path from "node:path";
import { renderError } from "../ts/lib/render.ts";
import { helms, currentKube } from "../ts/lib/presets.ts";
import { repoRoot } from "../ts/lib/helm-binaries.ts";
import { renamedKeys } from "../ts/lib/schema.ts";

interface BadValues {
  /** File in test/bad-values/. */
  file: string;
  /** The offending key as a dotted path; Helm 3 prints `a.b`, Helm 4 `/a/b`. */
  key: string;
  kubeVersion?: string;
  /** Render as a cluster that serves these APIs. */
  apiVersions?: string[];
  /** The chart's exact message, where the chart (not the schema) refuses. */
  message?: string;
}

const cases: BadValues[] = [
  { file: "typo-at-root", key: "imagePullSecret" },
  { file: "typo-in-image", key: "openhands.image.respository" },
  { file: "typo-in-probe", key: "openhands.probes.liveness.periodSecond" },
  { file: "port-as-string", key: "service.port" },
  { file: "enabled-as-string", key: "persistence.state.enabled" },
  { file: "unknown-sandbox-mode", key: "sandbox.mode" },
  { file: "unknown-pull-policy", key: "dind.image.pullPolicy" },
  { file: "uppercase-repository", key: "openhands.image.repository" },
  { file: "short-digest", key: "openhands.image.digest" },
  { file: "size-without-unit", key: "persistence.workspace.size" },
  { file: "tls-without-secret", key: "ingress.tls.0.secretName" },
  { file: "workspace-owner-name", key: "persistence.workspace.owner" },
  { file: "v1-app-with-runtime-image", key: "sandbox.image" },
  { file: "v0-app-with-agent-server-image", key: "sandbox.image" },
  { file: "agent-server-tag-rewritten-by-app", key: "sandbox.image.tag" },
  { file: "max-conversations-before-0281", key: "sandbox.limits.maxConcurrentConversations" },
  { file: "unversioned-tag-without-generation", key: "openhands.generation" },
  { file: "native-sidecar-on-old-kubernetes", key: "dind.startup", kubeVersion: "1.28.0" },
  { file: "env-value-and-valuefrom", key: "openhands.extraEnv[0]" },
  { file: "oauth2-proxy-without-secret", key: "auth.oauth2Proxy.existingSecret" },
  { file: "oauth2-proxy-oidc-without-issuer", key: "auth.oauth2Proxy.oidcIssuerUrl" },
  { file: "oauth2-proxy-admitting-nobody", key: "auth.oauth2Proxy.emailDomains" },
  { file: "ingress-nginx-auth-without-urls", key: "auth.ingressNginx.authUrl" },
  { file: "external-auth-without-description", key: "auth.external.description" },
  { file: "unknown-auth-mode", key: "auth.mode" },
  { file: "ingress-without-auth", key: "ingress.enabled" },
  { file: "process-mode-with-v0", key: "sandbox.mode" },
  { file: "process-mode-without-gateway", key: "sandbox.gateway.enabled" },
  { file: "route-timeout-format", key: "httpRoute.timeouts.request" },
  { file: "bedrock-region-of-another-cloud", key: "llm.bedrock.region" },
  { file: "bedrock-model-without-prefix", key: "llm.model" },
  { file: "v0-llm-key-without-model", key: "llm.model", message: "llm.model: OpenHands 0.x starts conversations only with the LLM in its settings store" },
  { file: "v0-bedrock-without-key-0-5x", key: "llm.apiKey", message: "llm.apiKey: OpenHands 0.52.0 starts no conversation without an API key, even for Bedrock" },
  { file: "tunnel-without-token", key: "tunnel.token.existingSecret" },
  { file: "tunnel-exposed-without-auth", key: "tunnel.enabled" },
  { file: "host-docker-without-pinning", key: "nodeSelector" },
  { file: "unknown-cleanup-policy", key: "dockerCleanup.policy" },
  { file: "external-secrets-without-store", key: "externalSecrets.storeRef.name", apiVersions: ["external-secrets.io/v1/ExternalSecret"] },
  { file: "external-secrets-one-remote-key-for-two-keys", key: "externalSecrets.secrets.awsCredentials.secretAccessKeyRemoteKey", apiVersions: ["external-secrets.io/v1/ExternalSecret"], message: "so AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY of Secret from-store would hold the same value" },
  { file: "cleanup-without-docker", key: "dockerCleanup.enabled" },
  { file: "sysbox-with-privileged", key: "dind.securityContext.privileged" },
  { file: "remote-docker-without-tls", key: "sandbox.remoteDocker.tlsSecretName" },
  { file: "remote-docker-callback-dns-address", key: "sandbox.remoteDocker.callback.address" },
  { file: "remote-docker-callback-with-v0", key: "sandbox.remoteDocker.callback.address", message: "sandbox.remoteDocker.callback.address: the callback listener carries the webhooks of OpenHands 1.x sandboxes; 0.62 (0.x) has none" },
  { file: "remote-docker-callback-without-gateway", key: "sandbox.remoteDocker.callback.address", message: "sandbox.remoteDocker.callback.address: the callback listener is a server of the sandbox gateway, and sandbox.gateway.enabled is false." },
  { file: "remote-docker-callback-without-node-port", key: "sandbox.remoteDocker.callback.service.nodePort", message: "sandbox.remoteDocker.callback.service.nodePort: every sandbox keeps the callback URL it was created with" },
  { file: "remote-docker-callback-on-app-node-port", key: "sandbox.remoteDocker.callback.service.nodePort", message: "sandbox.remoteDocker.callback.service.nodePort: 30302 is already service.nodePort" },
  { file: "remote-docker-callback-beside-legacy-variable", key: "openhands.env.SANDBOX_HOST_PORT", message: "openhands.env.SANDBOX_HOST_PORT: with sandbox.remoteDocker.callback.address the app configures its Docker sandboxes from OH_SANDBOX_KIND" },
  { file: "remote-docker-callback-under-network-policy-without-allow-from", key: "sandbox.remoteDocker.callback.allowFrom", message: "sandbox.remoteDocker.callback.allowFrom: networkPolicy.enabled admits only listed peers" },
  { file: "gateway-host-routing-without-domain", key: "sandbox.gateway.hostDomain" },
  { file: "kubernetes-runtime-with-v1", key: "sandbox.mode" },
  {
    file: "kubernetes-runtime-in-release-namespace",
    key: "sandbox.kubernetes.namespace",
    message:
      "sandbox.kubernetes.namespace: runtime pods run agent code as their namespace's default ServiceAccount, so they must not share the release namespace openhands with the app (its Secrets, its ServiceAccount, the runtime Role). Leave sandbox.kubernetes.namespace empty (the chart then uses openhands-sandboxes) or name another namespace.",
  },
  {
    file: "kubernetes-runtime-under-default-account",
    key: "serviceAccount.name",
    message:
      "serviceAccount.name: sandbox mode kubernetes binds the runtime Role (create and delete pods, Services, claims and Ingresses in openhands-sandboxes) to the app's ServiceAccount, and default is the account every pod of openhands without one of its own runs as. Set serviceAccount.create: true, or name a dedicated account in serviceAccount.name.",
  },
  {
    file: "kubernetes-runtime-without-ingress-domain",
    key: "sandbox.kubernetes.ingressDomain",
    message:
      "sandbox.kubernetes.ingressDomain: OpenHands creates an Ingress for every conversation at <conversation id>.<ingressDomain>, and with an empty domain the API server rejects that host, so no conversation starts. Set a domain whose wildcard DNS reaches your ingress controller (for example runtime.example.com).",
  },
  {
    file: "dind-tcp-host-without-tls",
    key: "dind.extraArgs",
    message:
      'dind.extraArgs: "-H tcp://0.0.0.0:2375" opens the Docker daemon on TCP without TLS, which gives root on its machine to anyone who reaches the port (sandboxes included). Remove it (the app reaches the daemon on its Unix socket), or add --tlsverify with --tlscacert, --tlscert and --tlskey from mounted certificates.',
  },
  {
    file: "llm-key-plaintext-beside-secret",
    key: "llm.apiKey.insecurePlaintextValue",
    message:
      "llm.apiKey.insecurePlaintextValue: the LLM API key already comes from llm.apiKey.existingSecret (llm), so the plain-text copy would only sit in values and Helm's release history, unused. Remove llm.apiKey.insecurePlaintextValue (and rotate the key if those values were shared).",
  },
  { file: "load-balancer-source-ranges-on-cluster-ip", key: "service.loadBalancerSourceRanges" },
  { file: "common-label-overriding-selector", key: "commonLabels", message: "commonLabels: the label app.kubernetes.io/component is set by the chart" },
  { file: "extra-container-named-like-chart", key: "extraContainers[0]", message: "extraContainers[0]: the name openhands is taken by a container of the chart; choose another." },
  { file: "host-alias-moving-docker-host", key: "hostAliases[0]", message: "hostAliases[0]: host.docker.internal is 127.0.0.1 in sandbox mode dind" },
  { file: "extra-object-without-kind", key: "extraObjects[0]" },
  { file: "extra-ingress-without-auth", key: "extraObjects[0]" },
  {
    file: "ingress-auth-annotation-overriding-chart",
    key: "ingress.annotations",
    message:
      "ingress.annotations: nginx.ingress.kubernetes.io/auth-url would override the external authentication that auth.mode ingressNginx writes on the Ingress. Remove it and set auth.ingressNginx.authUrl instead.",
  },
  { file: "runtime-two-node-labels", key: "sandbox.kubernetes.nodeSelector" },
  { file: "runtime-two-pull-secrets", key: "sandbox.kubernetes.imagePullSecrets" },
  {
    file: "app-uid-in-root-mode",
    key: "openhands.securityContext.runAsUser",
    message: "openhands.securityContext.runAsUser: sandbox mode dind starts the app through the image's entrypoint, which must run as root",
  },
  { file: "unknown-app", key: "app" },
  {
    file: "canvas-docker-runtime",
    key: "llm.bedrock.enabled",
    message: "llm.bedrock.enabled: with canvas.runtime docker each conversation runs in its own container, which Canvas gives none of the pod's variables or identity",
  },
  { file: "canvas-without-session-key", key: "canvas.sessionKey.existingSecret" },
  { file: "canvas-llm-key-without-model", key: "llm.model", message: "llm.model: with app canvas the chart adds an LLM profile from llm.* only together with a model" },
  { file: "canvas-llm-profile-name", key: "canvas.llmProfile.name" },
  { file: "canvas-bedrock-model-without-prefix", key: "llm.model", message: "llm.model: with llm.bedrock.enabled the model needs LiteLLM's bedrock/ prefix" },
  { file: "canvas-secret-key-on-emptydir", key: "canvas.secretKey.existingSecret" },
  { file: "canvas-cluster-access-default-account", key: "serviceAccount.name" },
  { file: "canvas-cluster-access-with-gui-server", key: "canvas.clusterAccess.enabled" },
  { file: "canvas-cluster-access-blocked-by-egress", key: "canvas.clusterAccess.apiServer.cidrs" },
  {
    file: "canvas-cluster-access-with-docker-runtime",
    key: "canvas.clusterAccess.enabled",
    message: "canvas.clusterAccess.enabled: canvas.runtime is docker, where agents run in containers of their own, outside the Canvas container, and never get its token",
  },
  // Every renamed key: refused by the preflight with the new key's name (from migrations/renamed-keys.yaml).
  ...renamedCases(),
];

/** One bad-values file per renamed key; the message names the old key and the new one. */
function renamedCases(): BadValues[] {
  const files: Record<string, string> = {
    extraVolumes: "renamed-extra-volumes",
    "openhands.runAsUser": "renamed-run-as-user",
    "serviceAccount.automountToken": "renamed-automount-token",
    "sandbox.kubernetes.imagePullSecret": "renamed-runtime-image-pull-secret",
    "sandbox.kubernetes.nodeSelectorKey": "renamed-runtime-node-selector-key",
    "sandbox.kubernetes.nodeSelectorValue": "renamed-runtime-node-selector-value",
    "sandbox.kubernetes.resourceCpuRequest": "renamed-runtime-cpu-request",
    "sandbox.kubernetes.resourceMemoryRequest": "renamed-runtime-memory-request",
    "sandbox.kubernetes.resourceMemoryLimit": "renamed-runtime-memory-limit",
    "sandbox.kubernetes.ingressTlsSecret": "renamed-runtime-ingress-tls-secret",
    "sandbox.remoteDocker.tlsSecret": "renamed-remote-docker-tls-secret",
  };
  return renamedKeys().map(({ from, to }) => {
    if (!files[from]) throw new Error(`renamed key ${from} has no bad-values file`);
    return { file: files[from], key: from, message: `${from} was renamed to ${to} (` };
  });
}

/**
 * Whether Helm's message names the key: its parent path (with `.` or `/` between
 * segments, list indices as `.0`, `/0` or `[0]`) and the key itself as a word.
 */
function namesKey(message: string, key: string): boolean {
  const segments = key.replace(/\[(\d+)\]/g, ".$1").split(".");
  const leaf = segments[segments.length - 1];
  const parent = segments.slice(0, -1).map((s) => (/^\d+$/.test(s) ? `(\\[${s}\\]|[./]${s})` : `[./]?${s}`)).join("");
  const leafWord = new RegExp(`(^|[^A-Za-z])${leaf}([^A-Za-z]|$)`);
  return new RegExp(parent).test(message) && leafWord.test(message);
}

describe("bad values", () => {
  it("every file in test/bad-values has a case", () => {
    const files = readdirSync(path.join(repoRoot, "test/bad-values")).map((f) => f.replace(/\.yaml$/, ""));
    expect(files.sort()).toEqual(cases.map((c) => c.file).sort());
  });

  describe.each(helms)("with %s", (helm) => {
    it.each(cases)("$file is rejected with a message naming $key", async ({ file, key, kubeVersion, apiVersions, message: expected }) => {
      const message = await renderError({
        helm,
        valuesFiles: [`test/bad-values/${file}.yaml`],
        kubeVersion: kubeVersion ?? currentKube,
        apiVersions,
      });
      expect(namesKey(message, key), message).toBe(true);
      if (expected) expect(message).toContain(expected);
    });
  });

  it("the key matcher refuses a message that names another key", () => {
    expect(namesKey("- openhands.image: Additional property respository is not allowed", "openhands.image.respository")).toBe(true);
    expect(namesKey("at '/openhands/image': additional properties 'respository' not allowed", "openhands.image.respository")).toBe(true);
    expect(namesKey("- service.port: Invalid type", "service.nodePort")).toBe(false);
    expect(namesKey("- openhands.image: something else", "openhands.image.respository")).toBe(false);
  });
});
