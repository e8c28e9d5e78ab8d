// The browser reaches user-facing names (the app's host, `<port>.<hostDomain>` sandbox hosts)
// at test addresses: a rule with a port also rewrites the port, rules apply in order, and the
// page still sends the name it was given as Host.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostResolverRules, openBrowser, type BrowserSession } from "../../ts/runtime/browser.ts";
import { echoMarker, startEchoUpstream, type EchoUpstream } from "../../ts/runtime/echo-upstream.ts";

let app: EchoUpstream;
let sandbox: EchoUpstream;
let session: BrowserSession;

beforeAll(async () => {
  app = await startEchoUpstream();
  sandbox = await startEchoUpstream();
  session = await openBrowser({
    name: "browser-hosts",
    hosts: {
      "openhands.example.com:80": `127.0.0.1:${app.port}`,
      "openhands.example.com": "127.0.0.1",
      "*.sandbox.example.com": "127.0.0.1",
    },
  });
});
afterAll(async () => {
  await session?.close();
  await app?.close();
  await sandbox?.close();
});

describe("browser host mapping", () => {
  it("writes Chromium's rules in order and refuses entries that would break the list", () => {
    expect(hostResolverRules({ "a.example.com:443": "127.0.0.1:8443", "*.b.example.com": "10.0.0.5" })).toBe(
      "MAP a.example.com:443 127.0.0.1:8443, MAP *.b.example.com 10.0.0.5",
    );
    expect(() => hostResolverRules({ "a.example.com, MAP x": "127.0.0.1" })).toThrow(/must not contain/);
  });

  it("sends the app host on its default port to the mapped port", async () => {
    await session.page.goto("http://openhands.example.com/home");
    await expect(session.page.locator("#marker").textContent()).resolves.toBe(echoMarker);
    expect(app.requests.find((r) => r.path === "/home")?.headers.host).toBe("openhands.example.com");
  });

  it("keeps other ports of the app host, and maps <port>.<hostDomain> names", async () => {
    await session.page.goto(`http://openhands.example.com:${sandbox.port}/direct`);
    await session.page.goto(`http://${sandbox.port}.sandbox.example.com:${sandbox.port}/by-name`);
    await expect(session.page.locator("#marker").textContent()).resolves.toBe(echoMarker);
    const seen = Object.fromEntries(sandbox.requests.map((r) => [r.path, r.headers.host]));
    expect(seen["/direct"]).toBe(`openhands.example.com:${sandbox.port}`);
    expect(seen["/by-name"]).toBe(`${sandbox.port}.sandbox.example.com:${sandbox.port}`);
    expect(app.requests.some((r) => r.path === "/direct" || r.path === "/by-name")).toBe(false);
  });
});
