// `helm test openhands`: a pod that checks the app answers through the Service.
import { describe, expect, it } from "vitest";
import { getObject, render } from "../ts/lib/render.ts";
import { restrictedViolations } from "../ts/lib/pod-security.ts";
import type { PodSpec } from "../ts/lib/workload.ts";

async function testPod(values: Record<string, unknown> = {}) {
  const { objects } = await render({ values });
  return getObject(objects, "Pod", "openhands-test") as any;
}

describe("helm test", () => {
  it("is a test hook, deleted before the next run and after success", async () => {
    const pod = await testPod();
    expect(pod.metadata.annotations).toEqual({ "helm.sh/hook": "test", "helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded" });
  });

  it("asks the Service's /health on service.port and expects 200", async () => {
    const script: string = (await testPod({ service: { port: 80 } })).spec.containers[0].command[2];
    expect(script).toContain('url="http://openhands:80/health"');
    expect(script).toContain('[ "$code" = "200" ]');
  });

  it("behind oauth2-proxy, expects the unauthenticated request to be refused or redirected", async () => {
    const script: string = (
      await testPod({ auth: { mode: "oauth2Proxy", oauth2Proxy: { existingSecret: "s", oidcIssuerUrl: "https://sso", emailDomains: ["*"] } } })
    ).spec.containers[0].command[2];
    expect(script).toContain('[ "$code" = "302" ] || [ "$code" = "403" ]');
    expect(script).not.toContain('[ "$code" = "200" ]');
  });

  it("runs at the restricted level", async () => {
    expect(restrictedViolations((await testPod()).spec as PodSpec)).toEqual([]);
  });
});
