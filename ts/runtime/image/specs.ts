// What each runtime image is made of: its reference, Debian packages, recipe, image config,
// and the host-built parts copied in (venvs, the UI, a binary).
import type { ImageConfig } from "./archive.ts";

export const standardPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * The agent-server release the app's lock pins, and the packages its image runs: its Dockerfile
 * syncs the SDK's `boto3` extra, which LiteLLM imports to sign Bedrock calls.
 */
export const agentServerVersion = "1.34.0";
export const agentServerRequirements = ["openhands-agent-server", "openhands-sdk[boto3]", "openhands-tools", "openhands-workspace"].map(
  (p) => `${p}==${agentServerVersion}`,
);

export const appVersion = "1.11.0";

/** Base packages of the agent-server Dockerfile (apt branch), plus the interpreter and Chromium. */
export const agentServerPackages = [
  "bash", "ca-certificates", "curl", "wget", "sudo", "apt-utils", "git", "jq", "tmux", "tar",
  "build-essential", "coreutils", "util-linux", "procps", "findutils", "grep", "sed", "tini",
  "apt-transport-https", "gnupg", "lsb-release", "xz-utils", "python3", "chromium", "fonts-dejavu-core",
];

export const agentServerConfig: ImageConfig = {
  Env: [
    `PATH=${standardPath}`,
    "LC_ALL=C.UTF-8",
    "LANG=C.UTF-8",
    "OH_ENABLE_VNC=false",
    "LOG_JSON=true",
    "EDITOR=code",
    "VISUAL=code",
    "GIT_EDITOR=code --wait",
    "OPENVSCODE_SERVER_ROOT=/openhands/.openvscode-server",
    "NOVNC_WEB=/usr/share/novnc",
    "NOVNC_PORT=8002",
    "DISPLAY=:1",
    "VNC_GEOMETRY=1280x800",
    "CHROME_BIN=/usr/bin/chromium",
    "PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium",
    "CHROMIUM_FLAGS=--no-sandbox --disable-dev-shm-usage --disable-gpu",
  ],
  // The Dockerfile's source target; the app passes `--port 8000` as the command.
  Entrypoint: ["/usr/bin/tini", "--", "/agent-server/.venv/bin/python", "-m", "openhands.agent_server"],
  User: "openhands",
  WorkingDir: "/",
  ExposedPorts: { "8000/tcp": {}, "8002/tcp": {} },
};

/** containers/app/Dockerfile's final stage: curl git ssh sudo on a Python 3.13 Debian trixie. */
export const appPackages = ["python3", "curl", "git", "openssh-client", "sudo", "passwd", "procps"];

export const appConfig: ImageConfig = {
  Env: [
    `PATH=/app/.venv/bin:${standardPath}`,
    "LANG=C.UTF-8",
    "RUN_AS_OPENHANDS=true",
    "OPENHANDS_USER_ID=42420",
    "SANDBOX_LOCAL_RUNTIME_URL=http://host.docker.internal",
    "USE_HOST_NETWORK=false",
    "WORKSPACE_BASE=/opt/workspace_base",
    `OPENHANDS_BUILD_VERSION=${appVersion}`,
    "SANDBOX_USER_ID=0",
    "FILE_STORE=local",
    "FILE_STORE_PATH=/.openhands",
    "INIT_GIT_IN_EMPTY_WORKSPACE=1",
    "VIRTUAL_ENV=/app/.venv",
    "PYTHONPATH=/app",
  ],
  Entrypoint: ["/app/entrypoint.sh"],
  Cmd: ["uvicorn", "openhands.server.listen:app", "--host", "0.0.0.0", "--port", "3000"],
  User: "root",
  WorkingDir: "/app",
};

export const dindPackages = ["docker.io", "docker-cli", "tini", "iptables", "procps", "util-linux", "e2fsprogs", "xz-utils", "pigz", "kmod", "iproute2"];

export const dindConfig: ImageConfig = {
  Env: [`PATH=${standardPath}`, "DOCKER_TLS_CERTDIR="],
  Entrypoint: ["dockerd-entrypoint.sh"],
  Cmd: [],
  WorkingDir: "/",
  ExposedPorts: { "2375/tcp": {}, "2376/tcp": {} },
};

export const gatewayPackages = ["nginx"];

export const gatewayConfig: ImageConfig = {
  Env: [`PATH=${standardPath}`],
  Cmd: ["nginx", "-g", "daemon off;"],
  User: "101",
  WorkingDir: "/",
  ExposedPorts: { "8080/tcp": {} },
  StopSignal: "SIGQUIT",
};

export const helmTestPackages = ["curl"];

export const helmTestConfig: ImageConfig = {
  Env: [`PATH=${standardPath}`],
  Entrypoint: ["/entrypoint.sh"],
  Cmd: ["curl"],
  User: "100:101",
  WorkingDir: "/home/curl_user",
};

/** Distroless-style: the binary, CA certificates, a nonroot user. */
export const oauth2ProxyConfig: ImageConfig = {
  Env: [`PATH=${standardPath}`, "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"],
  Entrypoint: ["/bin/oauth2-proxy"],
  User: "65532:65532",
  WorkingDir: "/home/nonroot",
  ExposedPorts: { "4180/tcp": {} },
};

/**
 * Agent Canvas: the release, and the agent server and automation service its
 * config/defaults.json pins. Everything runs from one venv at /agent-server/.venv, installed
 * under the committed constraints in canvas/ (without them today's index resolves a newer
 * fastmcp and mcp than the release was made with).
 */
export const canvasVersion = "1.20.0";
export const canvasAgentServerVersion = "1.49.1";
export const canvasAutomationVersion = "1.13.1";
/** The integrity npm publishes for @openhands/agent-canvas@1.20.0. */
export const canvasNpmSha512 = "sha512-uq28bmdMapsDN0ltp5ZHYm9xfuk7cHktNkd0NY38w/UTq25wJTqSKSPya+2+ky0+HpGX2vmn0uF3mHuNCoOb2w==";
/** canvas/entrypoint.sh (see canvas/README.md). */
export const canvasEntrypointSha256 = "71fd8b93445374bd59474b9c1c655b1e6abc1b6281704689c7c574dc6fb29d14";
export const canvasRequirements = [
  ...["openhands-agent-server", "openhands-sdk[boto3]", "openhands-tools", "openhands-workspace"].map((p) => `${p}==${canvasAgentServerVersion}`),
  `openhands-automation==${canvasAutomationVersion}`,
  // The release's own bound (config/defaults.json constraints.agentClientProtocol).
  "agent-client-protocol<0.11",
  // Automation presets run `uv venv` / `uv pip install`; the upstream base image ships uv 0.11.6.
  "uv==0.11.6",
];

/**
 * The agent-server base packages plus Node for the UI's static server and the Docker CLI
 * (the `-python` agent-server image Canvas builds on has it; the Docker runtime runs `docker`).
 */
export const canvasPackages = [...agentServerPackages, "nodejs", "docker-cli"];

export const canvasConfig: ImageConfig = {
  Env: [
    `PATH=${standardPath}`,
    "LC_ALL=C.UTF-8",
    "LANG=C.UTF-8",
    "LOG_JSON=true",
    "OH_ACP_SKILL_SOURCING=openhands_managed",
    "CHROME_BIN=/usr/bin/chromium",
    "PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium",
    "CHROMIUM_FLAGS=--no-sandbox --disable-dev-shm-usage --disable-gpu",
    // The npm package's UI is built for the site root (the official image rebuilds it for /canvas).
    "AGENT_CANVAS_BASE_PATH=/",
    "VITE_POSTHOG_API_KEY=",
    // No openvscode-server in this image.
    "OH_ENABLE_VSCODE=false",
  ],
  Entrypoint: ["/usr/bin/tini", "--", "/opt/agent-canvas/entrypoint.sh"],
  User: "openhands",
  WorkingDir: "/",
  ExposedPorts: { "8000/tcp": {} },
};

/**
 * The runtime (sandbox) image of OpenHands 0.x, the `runtime:<minor>-nikolaik` image that
 * 0.x's DockerRuntime starts per conversation, for the 0.28 app of ci/blog-dind-values.yaml.
 * The release's runtime Dockerfile template lays it out: the code at /openhands/code, a
 * Python 3.12 environment at /openhands/micromamba/envs/openhands, the project's venv under
 * /openhands/poetry, and Playwright's Chromium; here Debian's chromium stands in for the one
 * Playwright downloads. Debian trixie has no Python 3.12, so the host's CPython 3.12 (the one
 * the venv is built with) is copied in as that environment.
 */
export const v0RuntimeVersion = "0.28.0";

/**
 * The lolice preset's 0.27 release (ci/lolice-values.yaml): its runtime and app images are laid
 * out as 0.28's (the same runtime command, plugins, Python 3.12 paths and Playwright 1.39).
 */
export const v0LoliceVersion = "0.27.0";

/**
 * The runtime template's apt packages (wget curl sudo apt-utils git jq tmux libgl1
 * libasound2-plugins libatomic1), Chromium, and the shared libraries a CPython build links.
 */
export const v0RuntimePackages = [
  "bash", "ca-certificates", "wget", "curl", "sudo", "apt-utils", "git", "jq", "tmux", "procps", "passwd",
  "libgl1", "libasound2-plugins", "libatomic1", "chromium", "fonts-dejavu-core",
  "libssl3t64", "libffi8", "libsqlite3-0", "libreadline8t64", "libncursesw6", "liblzma5", "libbz2-1.0",
  "zlib1g", "libuuid1", "libexpat1", "libgdbm6t64",
];

/** Where the runtime's Python environment, venv and code live in the image. */
export const v0RuntimePaths = {
  pythonPrefix: "/openhands/micromamba/envs/openhands",
  venv: "/openhands/poetry/openhands-ai-py3.12",
  code: "/openhands/code",
};

export const v0RuntimeConfig: ImageConfig = {
  Env: [
    `PATH=${standardPath}`,
    "POETRY_VIRTUALENVS_PATH=/openhands/poetry",
    "MAMBA_ROOT_PREFIX=/openhands/micromamba",
    "LANG=C.UTF-8",
    "LC_ALL=C.UTF-8",
    "EDITOR=code",
    "VISUAL=code",
    "GIT_EDITOR=code --wait",
    "OPENVSCODE_SERVER_ROOT=/openhands/.openvscode-server",
  ],
  // The runtime always passes its own command (the action execution server).
  Cmd: ["/bin/bash"],
  User: "root",
  WorkingDir: "/openhands/code",
};

/**
 * The runtime (sandbox) image of OpenHands 0.62, the `runtime:0.62-nikolaik` image that 0.62's
 * KubernetesRuntime runs in each conversation's pod, for ci/v0-kubernetes-runtime-values.yaml.
 * 0.62's runtime Dockerfile template keeps 0.28's layout (code, micromamba environment and
 * poetry venv under /openhands, the same startup command) and adds: uv in /openhands/bin (on
 * PATH), an `openhands` user with uid and gid 1000 and passwordless sudo and su, Node.js,
 * ripgrep, git's global identity, and Playwright's browsers in /opt/playwright-browsers,
 * linked from root's and openhands' caches. Here Debian's chromium stands in for Playwright's
 * Chromium and headless shell, uv is the PyPI wheel's binary, and openvscode-server (a
 * download no package registry serves) is absent: a stand-in says so (see
 * runtime-v0-62-openvscode-server.sh). Not installed: Docker, build-essential and ffmpeg.
 */
export const v0KubernetesRuntimeVersion = "0.62.0";

/** uv for /openhands/bin: the release installs the newest uv at build time; this is the one current at 0.62.0. */
export const v0KubernetesRuntimeUvVersion = "0.9.11";

/** 0.28's packages plus what 0.62's template adds that Debian has (Node.js stands in for the base image's). */
export const v0KubernetesRuntimePackages = [...v0RuntimePackages, "nodejs", "ripgrep", "findutils", "util-linux", "gnupg", "lsb-release", "apt-transport-https"];

export const v0KubernetesRuntimeConfig: ImageConfig = {
  ...v0RuntimeConfig,
  Env: [`PATH=/openhands/bin:${standardPath}`, ...v0RuntimeConfig.Env.filter((e) => !e.startsWith("PATH="))],
};

/**
 * The OpenHands 0.x app (GUI server) image of the 0.28 release, laid out like that release's
 * app Dockerfile: the code at /app with its venv at /app/.venv, PYTHONPATH=/app, WORKDIR /app,
 * an entrypoint and uvicorn serving openhands.server.listen:app on port 3000. Its base was
 * python:3.12-slim; Debian trixie has no Python 3.12, so the host's CPython 3.12 (the one the
 * venv is built with) is copied into /usr/local as that base has it.
 */
export const v0AppVersion = "0.28.0";

export const v0AppPackages = [
  "bash", "ca-certificates", "curl", "git", "openssh-client", "sudo", "passwd", "procps",
  "libssl3t64", "libffi8", "libsqlite3-0", "libreadline8t64", "libncursesw6", "liblzma5", "libbz2-1.0",
  "zlib1g", "libuuid1", "libexpat1", "libgdbm6t64",
];

export const v0AppConfig: ImageConfig = v0AppConfigFor(v0AppVersion);

/** The 0.x app image's configuration for a release (its OPENHANDS_BUILD_VERSION). */
export function v0AppConfigFor(version: string): ImageConfig {
  return {
  Env: [
    `PATH=/app/.venv/bin:${standardPath}`,
    "LANG=C.UTF-8",
    "RUN_AS_OPENHANDS=true",
    "OPENHANDS_USER_ID=42420",
    "SANDBOX_LOCAL_RUNTIME_URL=http://host.docker.internal",
    "USE_HOST_NETWORK=false",
    "WORKSPACE_BASE=/opt/workspace_base",
    `OPENHANDS_BUILD_VERSION=${version}`,
    "SANDBOX_USER_ID=0",
    "FILE_STORE=local",
    "FILE_STORE_PATH=/.openhands-state",
    "VIRTUAL_ENV=/app/.venv",
    "PYTHONPATH=/app",
  ],
  Entrypoint: ["/app/entrypoint.sh"],
  Cmd: ["uvicorn", "openhands.server.listen:app", "--host", "0.0.0.0", "--port", "3000"],
  User: "root",
  WorkingDir: "/app",
  ExposedPorts: { "3000/tcp": {} },
  };
}
