// The browser reaches user-facing names (the app's host, `<port>.<hostDomain>` sandbox hosts)
// at test addresses: a rule with a port also rewrites the port, rules apply in order, and the
// page still sends the name it was given as Host. The session records the page's websockets,
// and a failed step's message ends with the failure again.
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeSockets, hostResolverRules, openBrowser, stepper, type BrowserSession } from "../../ts/runtime/browser.ts";
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

/** A websocket server that sends each of `frames` as a text frame, then closes. */
async function startFrameServer(frames: string[]): Promise<{ port: number; server: Server }> {
  const server = createServer();
  server.on("upgrade", (request, socket) => {
    const accept = createHash("sha1").update(`${request.headers["sec-websocket-key"]}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest("base64");
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    for (const frame of frames) {
      const body = Buffer.from(frame);
      socket.write(Buffer.concat([Buffer.from([0x81, body.length]), body]));
    }
    socket.end(Buffer.from([0x88, 0x00]));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

describe("what a browser session tells when a step fails", () => {
  it("records each websocket's frames by event kind and action, observation, state key or source, without its query", async () => {
    const frames = [
      JSON.stringify({ kind: "MessageEvent", source: "agent", id: "1" }),
      JSON.stringify({ kind: "ActionEvent", source: "agent", action: { kind: "FinishAction", message: "done" } }),
      JSON.stringify({ kind: "ObservationEvent", source: "environment", observation: { kind: "TerminalObservation" } }),
      JSON.stringify({ kind: "ConversationStateUpdateEvent", key: "execution_status", value: "finished" }),
      JSON.stringify({ kind: "ConversationStateUpdateEvent", key: "full_state", value: { execution_status: "idle" } }),
      "not json",
    ];
    const { port, server } = await startFrameServer(frames);
    try {
      await session.page.goto(`http://openhands.example.com/sockets`);
      const url = `ws://127.0.0.1:${port}/sockets/events/abc?session_api_key=secret`;
      await session.page.evaluate((address) => new Promise((resolve) => Object.assign(new WebSocket(address), { onclose: resolve })), url);
      const record = session.sockets.find((s) => s.url.endsWith("/sockets/events/abc"));
      expect(record?.url).toBe(`ws://127.0.0.1:${port}/sockets/events/abc`);
      await expect.poll(() => record?.closedAt).toBeDefined();
      expect(record?.received).toEqual([
        "MessageEvent(agent)",
        "ActionEvent(FinishAction)",
        "ObservationEvent(TerminalObservation)",
        "ConversationStateUpdateEvent(execution_status=finished)",
        "ConversationStateUpdateEvent(full_state)",
        "text",
      ]);
      const described = describeSockets(session.sockets);
      expect(described).toMatch(/\/sockets\/events\/abc: opened [\d.]+s, closed [\d.]+s, 0 sent, 6 received: MessageEvent\(agent\) /);
      expect(described).not.toContain("secret");
    } finally {
      server.close();
    }
  });

  it("ends a failed step's message with the failure again, after the browser log, the context and the websockets", async () => {
    const { step } = stepper(session, "UI", undefined, () => "--- servers: context line");
    const failure = await step("probe", () => Promise.reject(new Error("nothing showed"))).catch((error: Error) => error.message);
    const lines = failure!.split("\n");
    expect(lines[0]).toMatch(/^UI step "probe" failed at .*: nothing showed$/);
    expect(lines.indexOf("--- servers: context line")).toBeGreaterThan(lines.indexOf("--- browser log ---"));
    expect(lines.findIndex((l) => l.startsWith("--- websockets:"))).toBeGreaterThan(lines.indexOf("--- servers: context line"));
    expect(lines.at(-1)).toBe(`--- again: ${lines[0]}`);
  });
});
