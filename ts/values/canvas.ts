import type { ContainerSecurityContext, Image, Persistence, Probe, Resources } from "./common.ts";
import type { SecretKeyReference } from "./openhands.ts";

/**
 * Agent Canvas (`app: canvas`), OpenHands' all-in-one app: the agent server, the automation
 * service and the UI behind one Node server on port 8000, running as uid 10001. See
 * docs/canvas.md.
 */
export interface Canvas {
  /** The Canvas image. The chart is verified against the tag below; another tag may change the environment contract. */
  image: Image;
  /**
   * Where agents run. `local`: in the Canvas container itself (the pod is the sandbox, Pod
   * Security `restricted`). `docker`: one container per conversation, run from
   * `canvas.docker.conversationImage` by a Docker daemon beside Canvas (the chart's DinD
   * sidecar, `dind.*`; Pod Security `privileged`, `baseline` with Sysbox).
   */
  runtime: "local" | "docker";
  /** The Docker runtime (`canvas.runtime: docker`): the conversations' image and their limits. */
  docker: CanvasDocker;
  /**
   * The session key every API call and websocket carries (`X-Session-API-Key`, set as
   * `OH_SESSION_API_KEYS_0`). Canvas 1.20.0 writes this key into every page its port 8000
   * serves, so the chart sends browsers there only through `auth.mode: oauth2Proxy`; with any
   * other mode the Service targets Canvas' key-free entry and users paste the key, which then
   * must come from a Secret (refused otherwise). Without it Canvas generates one on its state
   * volume. External Secrets can fill it (`externalSecrets.secrets.canvasSessionKey`).
   */
  sessionKey: SecretKeyReference;
  /**
   * The key that encrypts stored settings, LLM profiles and secrets (`OH_SECRET_KEY`).
   * Without it Canvas generates one on its state volume (refused when that volume is an
   * emptyDir). Set it at first install: changing it makes what was stored unreadable.
   * External Secrets can fill it (`externalSecrets.secrets.canvasSecretKey`).
   */
  secretKey: SecretKeyReference;
  /** The LLM profile the chart adds from `llm.*` (`llm.model` set): see docs/canvas.md. */
  llmProfile: CanvasLlmProfile;
  /** Usage analytics Canvas sends to OpenHands (PostHog), from the page and the server. */
  telemetry: CanvasTelemetry;
  /** The automation service (scheduled and event-driven agent runs): what it keeps out of values. */
  automation: CanvasAutomation;
  /**
   * Canvas' state at `/home/openhands/.openhands` (the only place its entrypoint keeps it):
   * settings, LLM profiles, encrypted secrets, conversations, the automation database. Its own
   * claim: the GUI server's is never used or changed.
   */
  persistence: Persistence;
  /**
   * The projects directory `/projects` (the UI's folder picker opens there), also Canvas'
   * working directory, so a conversation started without a folder keeps its files here
   * (`/projects/workspace/project`) rather than on the container's own filesystem.
   */
  projects: Persistence;
  /** CPU and memory of the Canvas container. */
  resources?: Resources;
  /**
   * Security settings of the Canvas container, merged over the chart's (uid and gid 10001,
   * no privilege escalation, every capability dropped).
   */
  securityContext?: ContainerSecurityContext;
  /** Probes on Canvas' unauthenticated `/alive` (liveness) and `/ready` (startup, readiness), port 8000. */
  probes: CanvasProbes;
  /**
   * Access to the Kubernetes API for the agent, for example to deploy the apps it builds. Off
   * by default: the pod then carries no ServiceAccount token. Anyone who can talk to the agent
   * gets this access. See docs/canvas.md.
   */
  clusterAccess: CanvasClusterAccess;
}

/**
 * The agent's access to the Kubernetes API: a Role with `rules` in one namespace, bound to the
 * chart's ServiceAccount, and that account's token mounted in the Canvas container only.
 */
export interface CanvasClusterAccess {
  /**
   * Create the Role and RoleBinding and mount the token at
   * `/var/run/secrets/kubernetes.io/serviceaccount` in the Canvas container (only with
   * `canvas.runtime: local`, where agents run in that container).
   */
  enabled: boolean;
  /**
   * The namespace the Role grants access to; empty means the release namespace. It must
   * exist. In the release namespace the agent can change the chart's own objects and, with
   * `pods` `create`, mount any Secret there: a namespace of its own is safer.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   * @maxLength 63
   */
  namespace: string;
  /**
   * The Role's rules (Kubernetes PolicyRules, namespaced resources only). The default deploys
   * and debugs apps: pods, services, configmaps, deployments, jobs and ingresses, logs and
   * events; no Secrets, no RBAC, no exec.
   * @minItems 1
   */
  rules: PolicyRule[];
  /**
   * Where the Kubernetes API server listens, for the NetworkPolicy's egress: needed only with
   * `networkPolicy.egress.restrict` (refused without `cidrs` then).
   */
  apiServer: CanvasApiServer;
}

/** One rule of a Role: verbs on resources of API groups. */
export interface PolicyRule {
  /**
   * API groups (`""` is the core group, `apps`, `batch`, `networking.k8s.io`, ...).
   * @minItems 1
   */
  apiGroups: string[];
  /**
   * Resources, with subresources as `pods/log`.
   * @minItems 1
   */
  resources: string[];
  /**
   * Verbs (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, ...).
   * @minItems 1
   */
  verbs: string[];
  /** Only these objects by name (empty: all). */
  resourceNames?: string[];
}

/** The Kubernetes API server's addresses as pods reach them after the Service's translation. */
export interface CanvasApiServer {
  /**
   * The API server's addresses as CIDRs (for example `192.168.1.10/32`; `kubectl get
   * endpointslices -n default -l kubernetes.io/service-name=kubernetes` lists them).
   * @items.pattern ^[0-9a-fA-F.:]+/[0-9]{1,3}$
   */
  cidrs: string[];
  /**
   * Ports to allow to those addresses: the `kubernetes` Service's port (443) and the API
   * server's own (often 6443), since NetworkPolicy implementations differ in which they see.
   * @minItems 1
   * @items.minimum 1
   * @items.maximum 65535
   * @items.type integer
   */
  ports: number[];
}

/**
 * Canvas' Docker runtime. Each conversation runs the agent server in its own container
 * (`docker run --user 10001 --cap-drop ALL`), with its conversation, its state and its
 * workspace bind-mounted from Canvas' claims, which the daemon sees at the same paths.
 */
export interface CanvasDocker {
  /**
   * The agent-server image conversations run (`OH_CONVERSATION_IMAGE`): the release Canvas
   * pins (1.49.1 for Canvas 1.20.0), `-python` variant. Upstream's default is `latest-python`,
   * which would change under a running install.
   */
  conversationImage: Image;
  /** Pull the conversation image when the daemon starts, so the first conversation does not wait for it. */
  prePull: boolean;
  /** Limits of each conversation's container (`docker run --memory/--cpus/--pids-limit`). */
  limits: CanvasConversationLimits;
  /**
   * Seconds Canvas waits for a new conversation's container to answer
   * (`OH_CONVERSATION_CONTAINER_STARTUP_TIMEOUT`).
   * @TJS-type integer
   * @minimum 1
   */
  startupTimeoutSeconds: number;
}

/** Limits of one conversation container; the DinD sidecar's own `dind.resources` cap them all. */
export interface CanvasConversationLimits {
  /**
   * Memory (`OH_CONVERSATION_CONTAINER_MEMORY`, Docker's format: `4g`, `512m`).
   * @pattern ^[0-9]+[bkmg]?$
   */
  memory: string;
  /**
   * CPUs (`OH_CONVERSATION_CONTAINER_CPUS`).
   * @exclusiveMinimum 0
   * @maximum 1024
   */
  cpus: number;
  /**
   * Processes (`OH_CONVERSATION_CONTAINER_PIDS_LIMIT`).
   * @TJS-type integer
   * @minimum 1
   */
  pidsLimit: number;
}

/** Settings of Canvas' automation service that come from Secrets. */
export interface CanvasAutomation {
  /**
   * A PostgreSQL URL for the automation database (`AUTOMATION_DB_URL`, for example
   * `postgresql+asyncpg://user:password@db:5432/automations`). Without it the automation
   * service keeps SQLite on the state claim. External Secrets can fill it
   * (`externalSecrets.secrets.canvasAutomationDatabaseUrl`).
   */
  databaseUrl: SecretKeyReference;
  /**
   * The key that signs and encrypts the automations' key-value store (`AUTOMATION_KV_SECRET`).
   * Without it the store is off and its API answers 503. Keep it stable: values stored under
   * one key are unreadable under another. External Secrets can fill it
   * (`externalSecrets.secrets.canvasAutomationKvSecret`).
   */
  kvSecret: SecretKeyReference;
}

/**
 * The LLM profile made from `llm.model`, `llm.baseUrl` and the `llm.apiKey` Secret. A sidecar
 * adds it through Canvas' own API when no profile of this name exists and makes it the active
 * one; a profile of this name that exists (seeded earlier or edited in the UI) is left as it is.
 */
export interface CanvasLlmProfile {
  /**
   * The profile's name in Settings > LLM (Canvas' own name rule: letters, digits, `.`, `_`, `-`).
   * @pattern ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$
   */
  name: string;
}

/** Canvas telemetry. */
export interface CanvasTelemetry {
  /**
   * Let Canvas send usage analytics. Off sets `AGENT_CANVAS_DISABLE_TELEMETRY=1` (the page's
   * PostHog), `DO_NOT_TRACK=1` (the agent server's) and `VITE_DO_NOT_TRACK=1` (the automation
   * service's).
   */
  enabled: boolean;
}

/** The three probes of the Canvas container. */
export interface CanvasProbes {
  /** Waits for the first start (database migration, tool preload) on `/ready`. */
  startup: Probe;
  /** Restarts the container when `/alive` stops answering. */
  liveness: Probe;
  /** Takes the pod out of the Service while `/ready` does not answer. */
  readiness: Probe;
}
