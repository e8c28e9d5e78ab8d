// Adds the chart's LLM profile (llm.*) to Agent Canvas through its own API, the calls its UI
// makes in Settings > LLM: POST /api/profiles/<name> stores the profile (the agent server
// encrypts the key with OH_SECRET_KEY), POST /api/profiles/<name>/activate makes it the LLM
// of new conversations. A profile of that name that already exists is never written: it was
// seeded before or edited by a user. It is activated only when no profile is active.
// Runs as a sidecar of the Canvas container: retries until Canvas answers, then stays idle
// (a container of the pod that exited would be restarted and seed again).
import { readFileSync } from "node:fs";

const canvasUrl = required("CANVAS_URL").replace(/\/$/, "");
const profileName = required("PROFILE_NAME");
const model = required("LLM_MODEL");
const baseUrl = process.env.LLM_BASE_URL ?? "";
const apiKey = process.env.LLM_API_KEY ?? "";

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`canvas-llm-profile: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

function log(message) {
  console.log(`canvas-llm-profile: ${message}`);
}

/** The session key: from the Secret, else the one Canvas generated on its state volume. */
function sessionKey() {
  if (process.env.SESSION_API_KEY) return process.env.SESSION_API_KEY;
  const file = process.env.SESSION_API_KEY_FILE;
  if (!file) throw new Error("neither SESSION_API_KEY nor SESSION_API_KEY_FILE is set");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    throw new Error(`waiting for Canvas to write its session key to ${file}`);
  }
}

async function call(method, path, body) {
  const response = await fetch(`${canvasUrl}${path}`, {
    method,
    headers: { "X-Session-API-Key": sessionKey(), ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

async function seed() {
  const path = `/api/profiles/${encodeURIComponent(profileName)}`;
  const listed = await call("GET", "/api/profiles");
  const exists = listed.profiles.some((profile) => profile.name === profileName);
  if (!exists) {
    const llm = { model };
    if (baseUrl) llm.base_url = baseUrl;
    if (apiKey) llm.api_key = apiKey;
    await call("POST", path, { llm, include_secrets: true });
    log(`created profile ${profileName} (model ${model})`);
  } else {
    log(`profile ${profileName} exists: left as it is`);
  }
  if (!exists || !listed.active_profile) {
    await call("POST", `${path}/activate`, undefined);
    log(`profile ${profileName} is the active profile`);
  } else if (listed.active_profile !== profileName) {
    log(`profile ${listed.active_profile} stays the active profile`);
  }
}

process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));

for (let attempt = 1; ; attempt++) {
  try {
    await seed();
    break;
  } catch (error) {
    // Canvas starts in tens of seconds; a refusal (a wrong model name) is logged and retried.
    if (attempt === 1 || attempt % 10 === 0) log(`not yet: ${error.message}`);
    await new Promise((resolve) => setTimeout(resolve, attempt < 60 ? 3_000 : 30_000));
  }
}
log("done");
setInterval(() => {}, 2 ** 31 - 1);
