// Agent Canvas on the real node, as a Canvas preset installs it: the locally built Canvas
// image (the npm package's UI and servers on the agent-server image's recipe), both keys from
// a Secret, oauth2-proxy in front of port 8000 and an Ingress with TLS, reached through the
// ingress stand-in after signing in at a local OIDC issuer. In Chromium the page comes with the
// session key (oauth2-proxy guards every path to it), an LLM profile for the scripted LLM is
// added in Settings > LLM (Docker runtime) or seeded from llm.* by the chart's sidecar (local),
// and a conversation makes the agent run a command whose computed output comes back in its
// reply: in the Canvas container (`canvas.runtime: local`), or in a
// container of the DinD sidecar's daemon started for the conversation (`docker`). Then the pod
// is deleted: its successor keeps the conversation, the profile and its encrypted key (the
// same OH_SECRET_KEY from the Secret), and a new conversation reaches the LLM with that key.
//
// The presets' NetworkPolicy stays on, enforced by the node (the stand-in reaches the pod from
// the node, which policies always admit). With the local runtime the run also restricts egress:
// the LLM and the issuer, on a private address, get one extraTo rule, and the API server
// clusterAccess' rule; the Canvas container's token reaching it proves that rule. The node reaches no registry: the
// conversation image is loaded into the daemon (canvas.docker.prePull off), and the daemon's
// claim keeps it for the successor pod.
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, inject } from "vitest";
import { helmBinary, repoRoot } from "../../ts/lib/helm-binaries.ts";
import { presetLevel, presets } from "../../ts/lib/presets.ts";
import { getObject, render, type K8sObject } from "../../ts/lib/render.ts";
import type { Deployment } from "../../ts/lib/workload.ts";
import { openBrowser, reportDir, signInWhenAsked, type BrowserSession, type HostMap } from "../../ts/runtime/browser.ts";
import {
  addLlmProfile,
  declineTelemetryWhenAsked,
  listConversations,
  listLlmProfiles,
  openCanvas,
  revealEventText,
  startConversation,
  stepper,
  waitForReply,
  type CanvasLlmProfile,
} from "../../ts/runtime/canvas-flow.ts";
import { containerOf } from "../../ts/runtime/container-command.ts";
import { startFakeLlm, type FakeLlm } from "../../ts/runtime/fake-llm.ts";
import { buildRuntimeImages, type BuiltImage } from "../../ts/runtime/images.ts";
import { ingressRoutes, startIngressStandIn, type IngressStandIn } from "../../ts/runtime/ingress-stand-in.ts";
import { markerConversation } from "../../ts/runtime/marker-conversation.ts";
import { ctr, importImage, loadIntoPodDocker } from "../../ts/runtime/node/node.ts";
import { oauth2ProxyBinary } from "../../ts/runtime/oauth2-proxy-binary.ts";
import { startOidcIssuer, type OidcClient, type OidcIssuer } from "../../ts/runtime/oidc-issuer.ts";
import { caSignedCert, type SignedCert } from "../../ts/runtime/tls-cert.ts";
import { eventually, k } from "./kube.ts";
import { heldBy } from "./coverage.ts";
import { recordConversation, type ConversationRun } from "./report.ts";
import { chainedSteps } from "./steps.ts";

export interface CanvasNodeOptions {
  /** The preset (ci/<preset>-values.yaml) to install. */
  preset: string;
  /** Its canvas.runtime. */
  runtime: "local" | "docker";
}

/** The Canvas suite on the node for one preset. */
export function canvasOnNode(options: CanvasNodeOptions): void {
  const presetName = options.preset;
  const preset = presets.find((p) => p.name === presetName)!;
  if (heldBy[presetName] !== "canvas") throw new Error(`test/runtime/coverage.ts must say the canvas suite holds ${presetName}`);
  const docker = options.runtime === "docker";
  const release = presetName;
  const namespace = presetName;
  const service = `${release}-openhands`;
  const marker = markerConversation(`${presetName}-node`, `Canvas node marker (${options.runtime})`);
  const v = marker.uiFlow("", "");
  const sessionKey = randomBytes(32).toString("hex");
  const secretKey = randomBytes(32).toString("hex");
  const user = { username: "carol", password: "carol-password", email: "carol@example.com", groups: ["developers"] };
  const oauthClient = { "client-id": "openhands", "client-secret": "runtime-suite-client-secret", "cookie-secret": "0123456789abcdef0123456789abcdef" };
  const conversationTimeout = 300_000;

  const helm = (args: string[]) => execa(helmBinary("helm4"), [...args, "--kubeconfig", inject("kubeconfig")], { cwd: repoRoot, reject: false, all: true });
  const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

  let images: BuiltImage[];
  let llm: FakeLlm;
  let issuer: OidcIssuer;
  let cert: SignedCert;
  let standIn: IngressStandIn | undefined;
  let session: BrowserSession;
  let flow: ReturnType<typeof stepper>;
  let rendered: K8sObject[];
  let values: string[];
  /** The API server's address (canvas.clusterAccess.apiServer.cidrs), with the local runtime. */
  let apiServerAddress = "";
  let appUrl = "";
  let keysSecret = "";
  let firstConversationId = "";
  const profile: CanvasLlmProfile = { name: "scripted-llm", model: `openai/${marker.modelName}`, baseUrl: "", apiKey: marker.apiKey };
  /** The key of the profile the chart seeds from llm.* (local runtime). */
  const chartProfileKey = `sk-chart-${randomBytes(8).toString("hex")}`;
  // The local runtime's only profile is the one the chart seeds from llm.*; the Docker runtime's
  // is added in the UI (Settings > LLM).
  const conversationKey = docker ? marker.apiKey : chartProfileKey;
  const profileName = docker ? profile.name : "chart";
  const entry: ConversationRun = { failures: [], notes: [] };

  const pods = async () => {
    const { stdout } = await k(["get", "pods", "-n", namespace, "-l", `app.kubernetes.io/instance=${release},app.kubernetes.io/component=server`, "-o", "jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{\"\\n\"}{end}"]);
    return stdout.split("\n").filter((l) => l.trim() && l.trim().split(" ").length === 1).map((l) => l.trim());
  };

  /** The conversation containers Canvas' agent server runs in the pod's daemon (its owner label). */
  const conversationContainers = async (pod: string) => {
    const { stdout: ids } = await k(["exec", "-n", namespace, pod, "-c", "dind", "--", "docker", "ps", "-q", "--filter", "label=ai.openhands.runtime-owner"]);
    if (!ids.trim()) return [];
    const { stdout } = await k(["exec", "-n", namespace, pod, "-c", "dind", "--", "docker", "inspect", ...ids.trim().split("\n")]);
    return (JSON.parse(stdout) as { Name: string; Config: { Image: string; User: string }; HostConfig: { CapDrop: string[] | null }; Mounts: { Source: string; Destination: string }[] }[]).map((c) => ({
      name: c.Name.replace(/^\//, ""),
      image: c.Config.Image,
      user: c.Config.User,
      capDrop: c.HostConfig.CapDrop ?? [],
      workspace: c.Mounts.find((m) => m.Destination === "/workspace")?.Source ?? "",
    }));
  };

  /** Canvas' agent server, from the page (its oauth2-proxy cookie) with the session key, as the UI calls it. */
  const fromPage = async <T>(pathname: string): Promise<T> => {
    const { status, text } = await session.page.evaluate(
      async ([url, key]) => {
        const response = await fetch(url, { headers: { "X-Session-API-Key": key } });
        return { status: response.status, text: await response.text() };
      },
      [`${appUrl}${pathname}`, sessionKey] as const,
    );
    if (status !== 200) throw new Error(`GET ${pathname} answered ${status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };

  /** Opens Canvas through the Ingress, signing in at the issuer when oauth2-proxy asks. */
  async function signInAndOpen(step: string) {
    const page = session.page;
    await page.goto(`${appUrl}/`);
    await signInWhenAsked(session, issuer.issuer, appUrl, user, step);
    return flow.step(step, () => openCanvas(page, appUrl));
  }

  /** Runs a step and keeps its failure for the report, with the Canvas container's last log lines. */
  const step = chainedSteps(entry, async (_title, error) => {
    const [pod] = await pods().catch(() => [] as string[]);
    if (!pod) return;
    const { stdout } = await k(["logs", "-n", namespace, pod, "-c", "canvas", "--tail", "200"], { reject: false });
    error.message += `\n--- canvas log ---\n${stdout}`;
  });

  beforeAll(async () => {
    mkdirSync(reportDir, { recursive: true });
    images = await buildRuntimeImages({
      only: ["canvas", "helm-test", "oauth2-proxy", ...(docker ? (["dind", "canvas-agent-server"] as const) : [])],
      oauth2ProxyBinary: await oauth2ProxyBinary(),
    });
    // The conversation image goes to the pod's daemon, not to the node.
    for (const image of images) if (image.name !== "canvas-agent-server") await importImage(image.tar);
    llm = await startFakeLlm({ ...marker.script, host: inject("hostIp") });
    profile.baseUrl = llm.baseUrl;
    const clients: OidcClient[] = [];
    issuer = await startOidcIssuer({ host: inject("hostIp"), users: [user], clients });
    const sets = [`auth.oauth2Proxy.oidcIssuerUrl=${issuer.issuer}`];
    if (docker) sets.push("canvas.docker.prePull=false");
    else {
      // Agents in the Canvas container get the namespace-scoped token (canvas.clusterAccess), with
      // egress restricted too: the API server (the node's own address here) is reachable only
      // through clusterAccess' rule; the LLM and the issuer, on a private address, through one
      // extraTo rule, as a user with a LAN LLM would add it.
      const { stdout } = await k(["get", "endpointslices", "-n", "default", "-l", "kubernetes.io/service-name=kubernetes", "-o", "jsonpath={.items[0].endpoints[0].addresses[0]}"]);
      apiServerAddress = stdout.trim();
      const llmUrl = new URL(llm.baseUrl);
      sets.push(
        // llm.*: the canvas-llm-profile sidecar seeds the `chart` profile (its own key, so the
        // LLM's requests tell which profile a conversation used).
        `llm.model=${profile.model}`,
        `llm.baseUrl=${llm.baseUrl}`,
        `llm.apiKey.insecurePlaintextValue=${chartProfileKey}`,
        "canvas.clusterAccess.enabled=true",
        `canvas.clusterAccess.apiServer.cidrs[0]=${apiServerAddress}/32`,
        "networkPolicy.egress.restrict=true",
        "networkPolicy.egress.allowInternet=true",
        `networkPolicy.egress.extraTo[0].to[0].ipBlock.cidr=${llmUrl.hostname}/32`,
        `networkPolicy.egress.extraTo[0].ports[0].port=${llmUrl.port}`,
        `networkPolicy.egress.extraTo[0].ports[1].port=${new URL(issuer.issuer).port}`,
      );
    }
    const setArgs = sets.flatMap((s) => ["--set", s]);
    values = [...preset.valuesFiles.flatMap((f) => ["-f", f]), ...setArgs];
    ({ objects: rendered } = await render({ releaseName: release, namespace, valuesFiles: preset.valuesFiles, extraArgs: setArgs }));
    const deployment = getObject<Deployment>(rendered, "Deployment", service);
    if (docker) {
      // The cleanup container's image is the Docker CLI; Debian's docker.io package in the dind
      // image carries the same client (and sh, awk, date), so that image stands in under the name.
      const cleanupImage = (containerOf(deployment, "docker-cleanup") as { image?: string }).image!;
      await ctr(["images", "tag", "--force", images.find((i) => i.name === "dind")!.ref, cleanupImage]);
    }
    const redirect = (containerOf(deployment, "oauth2-proxy").args ?? []).find((a) => a.startsWith("--redirect-url="))?.slice("--redirect-url=".length);
    if (!redirect) throw new Error("the oauth2-proxy container renders no --redirect-url");
    clients.push({ clientId: oauthClient["client-id"], clientSecret: oauthClient["client-secret"], redirectUris: [redirect] });
    const secretRef = (containerOf(deployment, "canvas").env ?? []).find((e) => e.name === "OH_SECRET_KEY")?.valueFrom?.secretKeyRef as { name?: string } | undefined;
    keysSecret = secretRef?.name ?? "";
    const ingress = rendered.find((o) => o.kind === "Ingress") as K8sObject & { spec: { rules: { host: string }[] } };
    const host = ingress.spec.rules[0].host;
    appUrl = `https://${host}`;
    cert = await caSignedCert([host]);
    const hosts: HostMap = { [host]: inject("nodeIp") };
    rmSync(path.join(reportDir, "screenshots", `${presetName}-node`), { recursive: true, force: true });
    session = await openBrowser({ name: `${presetName}-node`, hosts, ignoreHttpsErrors: true });
    await declineTelemetryWhenAsked(session.page);
    flow = stepper(session);
  });

  afterAll(async () => {
    recordConversation(presetName, `canvas (real image, runtime ${options.runtime})`, entry);
    await standIn?.stop();
    await session?.close();
    await llm?.close();
    await issuer?.close();
    await helm(["uninstall", release, "-n", namespace, "--wait", "--timeout", "120s"]);
    await k(["delete", "namespace", namespace, "--wait=false"], { reject: false });
  });

  describe(`preset ${presetName}: Agent Canvas (runtime ${options.runtime}) behind oauth2-proxy and an Ingress with TLS`, () => {
    step("installs with both keys from a Secret and becomes Ready", async () => {
      expect(keysSecret, "OH_SECRET_KEY comes from a Secret").not.toBe("");
      await k(["create", "namespace", namespace]);
      await k(["label", "namespace", namespace, `pod-security.kubernetes.io/enforce=${presetLevel(preset)}`]);
      await k(["create", "secret", "generic", keysSecret, "-n", namespace, `--from-literal=session-api-key=${sessionKey}`, `--from-literal=secret-key=${secretKey}`]);
      const proxySecret = rendered.flatMap((o) => JSON.stringify(o).match(/"secretKeyRef":\{"name":"([^"]+)","key":"cookie-secret"\}/)?.slice(1) ?? [])[0];
      await k(["create", "secret", "generic", proxySecret, "-n", namespace, ...Object.entries(oauthClient).map(([key, value]) => `--from-literal=${key}=${value}`)]);
      const started = Date.now();
      const install = await helm(["install", release, ".", "-n", namespace, "--wait", "--timeout", "600s", ...values]);
      if (install.exitCode !== 0) throw new Error(`helm install failed after ${seconds(started)}s:\n${install.all}`);
      entry.secondsToReady = seconds(started);
      console.log(`${presetName}: helm install to Ready ${entry.secondsToReady}s`);
      const installed = await pods();
      expect(installed).toHaveLength(1);
      if (docker) {
        const conversationImage = images.find((i) => i.name === "canvas-agent-server")!;
        const loaded = Date.now();
        await loadIntoPodDocker(conversationImage.tar, { namespace, name: installed[0] });
        console.log(`${presetName}: conversation image loaded into the pod's daemon in ${seconds(loaded)}s`);
      }
      const { stdout: ingressJson } = await k(["get", "ingress", "-n", namespace, service, "-o", "json"]);
      const { stdout: servicesJson } = await k(["get", "services", "-n", namespace, "-o", "json"]);
      standIn = await startIngressStandIn({ name: "ingress-canvas", listen: { host: inject("nodeIp"), port: 443 }, routes: ingressRoutes(JSON.parse(ingressJson), (JSON.parse(servicesJson) as { items: never[] }).items), tls: cert });
    });

    step("without signing in, the Ingress leads to the sign-in and no page carries the session key", async () => {
      // A browser without the proxy's cookie, on the same names.
      const stranger = await session.browser.newContext({ ignoreHTTPSErrors: true });
      try {
        const page = await stranger.newPage();
        for (const pathname of ["/", "/index.html", "/settings/llm", "/api/settings"]) {
          await page.goto(`${appUrl}${pathname}`);
          await page.waitForURL((url) => url.href.startsWith(issuer.issuer), { timeout: 60_000 });
          expect(await page.content(), pathname).not.toContain(sessionKey);
        }
      } finally {
        await stranger.close();
      }
    });

    step("`helm test` passes: through the Service the sign-in refuses, and no page carries the key", async () => {
      const result = await helm(["test", release, "-n", namespace, "--timeout", "300s", "--logs"]);
      expect(result.exitCode, result.all).toBe(0);
      expect(result.all).toMatch(/Phase:\s+Succeeded/);
    });

    step("after signing in, the page comes with the session key and the app connects to its backend", async () => {
      const opened = await signInAndOpen("signed-in");
      expect(issuer.signIns).toContain(user.username);
      expect(opened.askedForKey).toBe(false);
      expect(opened.injectedKey).toBe(sessionKey);
    });

    if (!docker)
      step("llm.* becomes the `chart` profile: the canvas-llm-profile sidecar creates and activates it through Canvas' API in the pod", async () => {
        const [pod] = await pods();
        const { stdout: log } = await eventually(() => k(["logs", "-n", namespace, pod, "-c", "canvas-llm-profile"], { reject: false }), (r) => r.stdout.includes("canvas-llm-profile: done"), 120);
        expect(log).toContain(`created profile chart (model ${profile.model})`);
        expect(log).toContain("profile chart is the active profile");
        const rows = await flow.step("chart-profile", () => listLlmProfiles(session.page, appUrl));
        expect(rows.some((row) => row.includes("chart") && row.includes(profile.model)), rows.join(" | ")).toBe(true);
      });

    if (docker) step("adds an LLM profile for the scripted LLM in Settings > LLM", async () => {
      await flow.step("profile-added", () => addLlmProfile(session.page, appUrl, profile));
      const rows = await flow.step("profiles", () => listLlmProfiles(session.page, appUrl));
      expect(rows.some((row) => row.includes(profile.name) && row.includes(profile.model))).toBe(true);
    });

    if (!docker) {
      step("canvas.clusterAccess gives the Canvas container a token its Role admits in the release namespace only: pods yes, Secrets and other namespaces no", async () => {
        const [pod] = await pods();
        // What an agent would run: curl with the mounted token and CA (the image has no kubectl).
        const apiStatus = async (path: string) => {
          const script = 'd=/var/run/secrets/kubernetes.io/serviceaccount; curl -s -o /dev/null -w "%{http_code}" --cacert $d/ca.crt -H "Authorization: Bearer $(cat $d/token)" "https://kubernetes.default.svc$1"';
          const { stdout } = await k(["exec", "-n", namespace, pod, "-c", "canvas", "--", "sh", "-c", script, "sh", path]);
          return stdout.trim();
        };
        expect(await apiStatus(`/api/v1/namespaces/${namespace}/pods`), "list pods in the release namespace").toBe("200");
        expect(await apiStatus(`/apis/apps/v1/namespaces/${namespace}/deployments`), "list deployments in the release namespace").toBe("200");
        expect(await apiStatus(`/api/v1/namespaces/${namespace}/secrets`), "Secrets stay out of reach").toBe("403");
        expect(await apiStatus("/api/v1/namespaces/kube-system/pods"), "other namespaces stay out of reach").toBe("403");
        // Egress is restricted: the same address on the kubelet's port, which answers this
        // machine, is refused to the pod (only clusterAccess' ports are open to the API server).
        const kubelet = `https://${apiServerAddress}:10250/healthz`;
        const fromHere = await execa("curl", ["-sk", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}", kubelet], { reject: false });
        expect(fromHere.stdout, `${kubelet} from this machine`).not.toBe("000");
        const fromPod = await k(["exec", "-n", namespace, pod, "-c", "canvas", "--", "curl", "-sk", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}", kubelet], { reject: false });
        expect(fromPod.stdout.trim(), `${kubelet} from the Canvas container (egress restricted)`).toBe("000");
        const { stdout: sidecars } = await k(["get", "pod", "-n", namespace, pod, "-o", "jsonpath={range .spec.containers[*]}{.name}={.volumeMounts[*].mountPath}{\"\\n\"}{end}"]);
        for (const line of sidecars.split("\n").filter((l) => l && !l.startsWith("canvas="))) {
          expect(line, "only the Canvas container mounts the token").not.toContain("/var/run/secrets/kubernetes.io/serviceaccount");
        }
      });
    }

    step(`holds a conversation whose command runs in ${docker ? "a container of the pod's daemon" : "the Canvas container"}; the reply with the computed output shows`, async () => {
      const sent = Date.now();
      const conversation = await flow.step("conversation-started", () => startConversation(session.page, appUrl, v.message));
      expect(conversation.id).toMatch(/^[0-9a-f-]{32,36}$/);
      firstConversationId = conversation.id.replaceAll("-", "");
      await flow.step("agent-replied", () => waitForReply(session.page, v.expectReply, conversationTimeout));
      entry.secondsToFirstReply = seconds(sent);
      console.log(`${presetName}: first reply ${entry.secondsToFirstReply}s after sending`);
      await flow.step("command-output", () => revealEventText(session.page, "Run the requested command", v.expectOutput));
      const chats = llm.chatRequests();
      expect(chats.map((r) => r.answer)).toEqual(expect.arrayContaining(["command", "finish"]));
      for (const request of chats) expect(request.apiKey, "the active profile's key").toBe(conversationKey);
      const [pod] = await pods();
      const { stdout: uid } = await k(["exec", "-n", namespace, pod, "-c", "canvas", "--", "id", "-u"]);
      expect(uid.trim(), "Canvas runs as uid 10001").toBe("10001");
      if (docker) {
        // One agent-server container of the daemon per conversation, as Canvas' uid, without capabilities.
        const containers = await conversationContainers(pod);
        expect(containers, "the conversation's container in the pod's daemon").toHaveLength(1);
        expect(containers[0]).toMatchObject({ image: images.find((i) => i.name === "canvas-agent-server")!.ref, user: "10001:10001", capDrop: ["ALL"] });
        // Its workspace is a directory of Canvas' claims, bind-mounted through the daemon's same-path mounts.
        expect(containers[0].workspace, "the conversation's workspace on a Canvas claim").toMatch(/^\/(projects|home\/openhands\/(workspace|\.openhands))\//);
        const { stdout: files } = await k(["exec", "-n", namespace, pod, "-c", "canvas", "--", "ls", "-a", containers[0].workspace]);
        expect(files.trim(), "Canvas sees the container's workspace on its own claim").not.toBe("");
        entry.notes.push(`conversation container ${containers[0].name}, workspace ${containers[0].workspace}`);
      // The container reaches nothing of the pod (port 8000's pages carry Canvas' session key),
      // neither at the bridge's gateway nor at the pod's address; the LLM it did reach.
      const dockerIn = (args: string[]) => k(["exec", "-n", namespace, pod, "-c", "dind", "--", "docker", ...args], { reject: false });
      const { stdout: gateway } = await dockerIn(["network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Gateway}}"]);
      const { stdout: podIp } = await k(["get", "pod", "-n", namespace, pod, "-o", "jsonpath={.status.podIP}"]);
      for (const address of [gateway.trim(), podIp.trim()]) {
        expect(address).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        for (const port of [8000, 18000]) {
          const probe = await dockerIn(["exec", containers[0].name, "curl", "-s", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}", `http://${address}:${port}/`]);
          // curl's 28: the connection timed out (dropped), not refused or answered.
          expect(probe.exitCode, `the conversation container reached ${address}:${port} (${probe.stdout})`).toBe(28);
        }
      }
      const llmReached = await dockerIn(["exec", containers[0].name, "curl", "-s", "-m", "5", "-o", "/dev/null", `${llm.baseUrl}/models`]);
      expect(llmReached.exitCode, "the same probe reaches the LLM outside the pod").toBe(0);
      } else {
        // The conversation works in $HOME/workspace/project/<id>, which the chart puts on the projects claim.
        const { stdout: onClaim } = await k(["exec", "-n", namespace, pod, "-c", "canvas", "--", "ls", "/projects/workspace/project"]);
        expect(onClaim.split("\n"), "the conversation's directory on the projects claim").toContain(firstConversationId);
      }
    });

    step("after the pod is deleted, its successor keeps the conversation, the profile and its key, and a new conversation reaches the LLM with it", async () => {
      const [old] = await pods();
      const started = Date.now();
      await k(["delete", "pod", "-n", namespace, old, "--wait=true", "--timeout=180s"]);
      const successor = await eventually(pods, (p) => p.length === 1 && p[0] !== old, 120);
      await k(["wait", "pod", "-n", namespace, successor[0], "--for=condition=Ready", "--timeout=600s"]);
      console.log(`${presetName}: successor Ready ${seconds(started)}s after the delete began`);
      if (docker) {
        // The daemon's claim kept the conversation image: nothing is loaded again.
        const { exitCode } = await k(["exec", "-n", namespace, successor[0], "-c", "dind", "--", "docker", "image", "inspect", images.find((i) => i.name === "canvas-agent-server")!.ref], { reject: false });
        expect(exitCode, "the conversation image survived the pod on the daemon's claim").toBe(0);
      } else {
        const { stdout: kept } = await k(["exec", "-n", namespace, successor[0], "-c", "canvas", "--", "ls", "/home/openhands/workspace/project"]);
        expect(kept.split("\n"), "the conversation's directory survived the pod").toContain(firstConversationId);
      }
      const opened = await signInAndOpen("after-restart");
      expect(opened.injectedKey).toBe(sessionKey);
      const titles = await flow.step("after-restart-conversations", () => listConversations(session.page, appUrl));
      expect(titles).toContain(marker.script.title);
      const rows = await flow.step("after-restart-profiles", () => listLlmProfiles(session.page, appUrl));
      expect(rows.some((row) => row.includes(profileName) && row.includes(profile.model)), rows.join(" | ")).toBe(true);
      if (!docker) {
        // The successor's sidecar finds the chart's profile and leaves it alone.
        const { stdout: log } = await eventually(() => k(["logs", "-n", namespace, successor[0], "-c", "canvas-llm-profile"], { reject: false }), (r) => r.stdout.includes("canvas-llm-profile: done"), 120);
        expect(log).toContain("profile chart exists: left as it is");
        expect(log, "nothing activated again").not.toContain("is the active profile");
      }
      const settings = await fromPage<{ llm_api_key_is_set: boolean }>("/api/settings");
      expect(settings.llm_api_key_is_set, "the stored LLM key decrypts with the Secret's OH_SECRET_KEY").toBe(true);
      const before = llm.chatRequests().length;
      await flow.step("after-restart-conversation", () => startConversation(session.page, appUrl, v.message));
      await flow.step("after-restart-replied", () => waitForReply(session.page, v.expectReply, conversationTimeout));
      const after = llm.chatRequests().slice(before);
      expect(after.map((r) => r.answer)).toEqual(expect.arrayContaining(["command", "finish"]));
      for (const request of after) expect(request.apiKey, "the active profile's key").toBe(conversationKey);
      if (docker) expect(await conversationContainers((await pods())[0]), "the new conversation's container").toHaveLength(1);
    });
  });
}
