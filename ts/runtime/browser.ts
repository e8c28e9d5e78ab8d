// Headless Debian Chromium driven by playwright-core (which downloads no browser). Host names
// are pointed at test addresses with Chromium's --host-resolver-rules, so a page can use the
// names a user would (openhands.example.com, <port>.<hostDomain>) while everything runs locally.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { repoRoot } from "../lib/helm-binaries.ts";
import { loginForm } from "./oidc-issuer.ts";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Where runtime runs leave their evidence (git-ignored, kept by CI). */
export const reportDir = path.join(repoRoot, "runtime-report");

/**
 * Host name (or `*.domain` pattern, optionally with `:port`) -> `ip[:port]` the browser
 * connects to instead. A `:port` on the target also rewrites the port, so
 * `https://openhands.example.com/` can reach a proxy on 127.0.0.1:8443.
 */
export type HostMap = Record<string, string>;

/** The --host-resolver-rules value for a host map. */
export function hostResolverRules(hosts: HostMap): string {
  return Object.entries(hosts)
    .map(([pattern, target]) => {
      if (/[\s,]/.test(pattern) || /[\s,]/.test(target)) throw new Error(`host map entry "${pattern}" -> "${target}" must not contain spaces or commas`);
      return `MAP ${pattern} ${target}`;
    })
    .join(", ");
}

export interface BrowserSessionOptions {
  /** Screenshots go to runtime-report/screenshots/<name>/. */
  name: string;
  hosts?: HostMap;
  /** Accept self-signed certificates (the ingress stand-in's). */
  ignoreHttpsErrors?: boolean;
  viewport?: { width: number; height: number };
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  screenshotDir: string;
  /** Saves a full-page screenshot as NN-<step>.png and returns its path. */
  shot(step: string): Promise<string>;
  /** Console messages and failed requests seen so far (for failure messages). */
  log: string[];
  /** The page's websockets so far: when each opened and closed, and what it carried. */
  sockets: SocketRecord[];
  close(): Promise<void>;
}

export interface SocketRecord {
  /** The socket's address, its query (which carries session keys) left out. */
  url: string;
  /** Milliseconds since the session opened. */
  openedAt: number;
  closedAt?: number;
  error?: string;
  sent: number;
  /** One short label per frame received: the event's kind, and its source or state key. */
  received: string[];
}

export async function openBrowser(options: BrowserSessionOptions): Promise<BrowserSession> {
  const args = ["--disable-dev-shm-usage", "--no-first-run", "--disable-gpu"];
  if (options.hosts && Object.keys(options.hosts).length > 0) args.push(`--host-resolver-rules=${hostResolverRules(options.hosts)}`);
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args });
  const context = await browser.newContext({
    ignoreHTTPSErrors: options.ignoreHttpsErrors ?? false,
    viewport: options.viewport ?? { width: 1440, height: 900 },
    // UI texts some steps wait for are the English ones.
    locale: "en-US",
  });
  const page = await context.newPage();
  const log: string[] = [];
  page.on("console", (m) => log.push(`console.${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => log.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => log.push(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ""}`));
  const sockets = recordSockets(page);
  const screenshotDir = path.join(reportDir, "screenshots", options.name);
  mkdirSync(screenshotDir, { recursive: true });
  let count = 0;
  return {
    browser,
    context,
    page,
    screenshotDir,
    log,
    sockets,
    async shot(step) {
      const file = path.join(screenshotDir, `${String(++count).padStart(2, "0")}-${step.replace(/[^a-z0-9-]+/gi, "-")}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: () => browser.close(),
  };
}

/** Records the page's websockets as they open, carry frames and close. */
function recordSockets(page: Page): SocketRecord[] {
  const started = Date.now();
  const sockets: SocketRecord[] = [];
  page.on("websocket", (socket) => {
    const record: SocketRecord = { url: socket.url().split("?")[0], openedAt: Date.now() - started, sent: 0, received: [] };
    sockets.push(record);
    socket.on("framesent", () => record.sent++);
    socket.on("framereceived", ({ payload }) => record.received.push(frameLabel(payload)));
    socket.on("socketerror", (error) => (record.error = String(error)));
    socket.on("close", () => (record.closedAt = Date.now() - started));
  });
  return sockets;
}

/**
 * An agent server frame's label: its event kind with the action's or observation's kind
 * (`ActionEvent(FinishAction)`), the state key (`ConversationStateUpdateEvent(execution_status=finished)`)
 * or the source (`MessageEvent(agent)`); `json`, `text` or `binary(n)` otherwise.
 */
export function frameLabel(payload: string | Buffer): string {
  if (typeof payload !== "string") return `binary(${payload.length})`;
  try {
    const frame = JSON.parse(payload) as { kind?: string; source?: string; key?: string; value?: unknown; action?: { kind?: string }; observation?: { kind?: string } };
    if (!frame.kind) return "json";
    const inner = frame.action?.kind ?? frame.observation?.kind;
    if (inner) return `${frame.kind}(${inner})`;
    if (frame.key) return `${frame.kind}(${frame.key}${typeof frame.value === "string" ? `=${frame.value}` : ""})`;
    return frame.source ? `${frame.kind}(${frame.source})` : frame.kind;
  } catch {
    return "text";
  }
}

/** One line per websocket: address, open and close times (s), frames sent, and the labels received. */
export function describeSockets(sockets: SocketRecord[]): string {
  const seconds = (ms?: number) => (ms === undefined ? "open" : `${(ms / 1000).toFixed(1)}s`);
  const lines = sockets.map((s) => {
    const closed = s.closedAt === undefined ? "still open" : `closed ${seconds(s.closedAt)}`;
    const error = s.error ? `, error ${s.error}` : "";
    return `${s.url}: opened ${seconds(s.openedAt)}, ${closed}${error}, ${s.sent} sent, ${s.received.length} received: ${s.received.join(" ")}`;
  });
  return `--- websockets: ${sockets.length} ---\n${lines.join("\n")}`;
}

/**
 * Runs the named steps of a browser flow: a screenshot after each (or after its failure), its
 * time, and, in a failure's message, the browser's last log lines (less `noise`), what
 * `context` tells of the servers behind the page, the page's websockets, and the failure again
 * last (a truncated CI log keeps the end).
 */
export function stepper(session: BrowserSession, label = "UI", noise?: RegExp, context?: () => string) {
  const timings: Record<string, number> = {};
  const screenshots: string[] = [];
  const step = async <T>(name: string, action: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      const result = await action();
      timings[name] = Date.now() - started;
      screenshots.push(await session.shot(name));
      return result;
    } catch (error) {
      screenshots.push(await session.shot(`${name}-failed`).catch(() => ""));
      const log = session.log.filter((l) => !noise?.test(l)).slice(-30).join("\n");
      const behind = context ? `\n${safely(context)}` : "";
      const failure = `${label} step "${name}" failed at ${session.page.url()}: ${(error as Error).message}`;
      throw new Error(`${failure}\n--- browser log ---\n${log}${behind}\n${describeSockets(session.sockets)}\n--- again: ${failure}`);
    }
  };
  return { step, timings, screenshots };
}

function safely(describe: () => string): string {
  try {
    return describe();
  } catch (error) {
    return `(no context: ${(error as Error).message})`;
  }
}

/**
 * After a navigation to `appUrl`: when the page landed on the issuer's login form (the auth
 * proxy sent it there), signs in as `user` and waits until the page is back on `appUrl`.
 */
export async function signInWhenAsked(session: BrowserSession, issuerUrl: string, appUrl: string, user: { username: string; password: string }, step: string): Promise<void> {
  const page = session.page;
  await page.waitForURL((url) => url.href.startsWith(issuerUrl) || url.href.startsWith(appUrl), { timeout: 60_000 });
  if (!page.url().startsWith(issuerUrl)) return;
  await page.locator(loginForm.username).waitFor();
  await page.fill(loginForm.username, user.username);
  await page.fill(loginForm.password, user.password);
  await session.shot(`${step}-sign-in`);
  await page.click(loginForm.submit);
  await page.waitForURL((url) => url.href.startsWith(appUrl), { timeout: 60_000 });
}
