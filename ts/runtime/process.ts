// Child processes of a runtime test: output kept in runtime-report/logs/<name>.log, started
// until a URL answers, stopped by their own PID (SIGTERM, then SIGKILL after a grace period).
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { reportDir } from "./browser.ts";

export interface StartedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Output so far (for failure messages). */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

export interface StartProcessOptions {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Resolve once this URL answers with a status below 500. */
  readyUrl?: string;
  readyTimeoutMs?: number;
}

export async function startProcess(options: StartProcessOptions): Promise<StartedProcess> {
  const logDir = path.join(reportDir, "logs");
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${options.name}.log`);
  const log = createWriteStream(logFile);
  let text = "";
  const child = spawn(options.command, options.args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  const collect = (chunk: Buffer) => {
    log.write(chunk);
    text += chunk.toString("utf8");
    if (text.length > 200_000) text = text.slice(-100_000);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const started: StartedProcess = {
    name: options.name,
    child,
    logFile,
    output: () => text,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    },
  };
  if (options.readyUrl) {
    try {
      await waitForUrl(options.readyUrl, options.readyTimeoutMs ?? 60_000, () => child.exitCode !== null || child.signalCode !== null);
    } catch (error) {
      await started.stop();
      throw new Error(`${options.name} did not become ready: ${(error as Error).message}\n--- output ---\n${text.slice(-4000)}`);
    }
  }
  return started;
}

/** Polls until the URL answers below 500; fails at the deadline or when `gone()` says the server died. */
export async function waitForUrl(url: string, timeoutMs: number, gone: () => boolean = () => false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (gone()) throw new Error(`process exited while waiting for ${url}`);
    try {
      const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5000) });
      if (response.status < 500) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (last: ${last})`);
}
