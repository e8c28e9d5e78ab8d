// Runs the UI flow against a running OpenHands app, with the scripted LLM served from here:
//   npx tsx ts/tools/ui-flow.ts --app-url https://openhands.example.com \
//     --map openhands.example.com=10.0.0.5:443 --llm-listen 0.0.0.0 --llm-address 10.0.0.1 \
//     --ignore-https-errors --name node-default
// --llm-address is how the app and its sandboxes reach this machine. Prints the result as JSON
// (conversation, VS Code URL, exposed URLs, step timings, what the LLM was sent); screenshots
// go to runtime-report/screenshots/<name>/.
import { randomInt } from "node:crypto";
import { parseArgs } from "node:util";
import { openBrowser, type HostMap } from "../runtime/browser.ts";
import { startFakeLlm } from "../runtime/fake-llm.ts";
import { runUiFlow } from "../runtime/ui-flow.ts";

const { values } = parseArgs({
  options: {
    "app-url": { type: "string" },
    map: { type: "string", multiple: true, default: [] },
    "llm-listen": { type: "string", default: "127.0.0.1" },
    "llm-address": { type: "string" },
    "llm-port": { type: "string" },
    model: { type: "string", default: "runtime-suite-model" },
    name: { type: "string", default: "ui-flow" },
    "ignore-https-errors": { type: "boolean", default: false },
    "timeout-seconds": { type: "string", default: "300" },
  },
});
if (!values["app-url"]) throw new Error("--app-url is required");

const hosts: HostMap = {};
for (const entry of values.map ?? []) {
  const [pattern, target] = entry.split("=");
  if (!pattern || !target) throw new Error(`--map ${entry}: expected <host>=<ip[:port]>`);
  hosts[pattern] = target;
}

const seed = randomInt(1000, 9999);
const llm = await startFakeLlm({
  host: values["llm-listen"],
  port: values["llm-port"] ? Number(values["llm-port"]) : undefined,
  command: `echo runtime-suite-$((${seed} + 1))-marker`,
  finishMessage: (output) => `The sandbox computed ${output.match(/runtime-suite-(\d+)-marker/)?.[1] ?? "nothing"}`,
});
const baseUrl = `http://${values["llm-address"] ?? values["llm-listen"]}:${llm.port}/v1`;
const apiKey = `sk-runtime-suite-${seed}`;
const session = await openBrowser({ name: values.name!, hosts, ignoreHttpsErrors: values["ignore-https-errors"] });
let failed = false;
try {
  const result = await runUiFlow(session, {
    appUrl: values["app-url"],
    llm: { model: `openai/${values.model}`, baseUrl, apiKey },
    message: "Please run the marker command.",
    expectOutput: `runtime-suite-${seed + 1}-marker`,
    expectReply: `The sandbox computed ${seed + 1}`,
    conversationTimeoutMs: Number(values["timeout-seconds"]) * 1000,
  });
  const llmRequests = llm.requests.map((r) => ({ method: r.method, path: r.path, answer: r.answer, model: r.body?.model, apiKeyMatches: r.apiKey === apiKey, stream: r.body?.stream ?? false }));
  console.log(JSON.stringify({ ...result, llmBaseUrl: baseUrl, llmRequests }, null, 2));
} catch (error) {
  failed = true;
  console.error((error as Error).message);
} finally {
  await session.close();
  await llm.close();
}
process.exit(failed ? 1 : 0);
