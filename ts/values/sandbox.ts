import type { ContainerSecurityContext, EnvMap, Image, KubernetesObject, Labels, Persistence, Resources, StringMap } from "./common.ts";
import type { CIDR } from "./exposure.ts";
import type { LocalObjectReference } from "./index.ts";

/** Where and how OpenHands starts its sandboxes. */
export interface Sandbox {
  /**
   * The sandbox backend. `dind`: a Docker daemon runs as a sidecar in the OpenHands pod and
   * sandboxes are its containers (a privileged container; Pod Security level `privileged`).
   * `process` (1.x only): each sandbox is an agent-server process inside the app container, with
   * no Docker and no privileges (level `restricted`), but no isolation between sandboxes and
   * the app either: agents can read the app's environment and state.
   * `remoteDocker`: sandboxes are containers of a Docker daemon elsewhere, reached over TCP with
   * TLS client certificates (level `restricted` for the OpenHands pod).
   * `kubernetes` (0.45 to 0.62 only): each conversation gets a runtime pod, Service, claim and
   * Ingress in a namespace, created through a Role (level `restricted` for the OpenHands pod).
   * `hostDocker`: the node's own Docker daemon through its socket; the pod is pinned to that
   * node (level `privileged`: the socket gives root on the node).
   */
  mode: "dind" | "process" | "remoteDocker" | "kubernetes" | "hostDocker";
  /**
   * The sandbox image the app starts for each conversation. For 1.x an agent-server image
   * (`ghcr.io/openhands/agent-server:<version>-python`); for 0.x a runtime image
   * (`.../runtime:<version>-nikolaik`). The two are not interchangeable.
   */
  image: SandboxImage;
  /**
   * Pull the sandbox image into the Docker daemon as soon as it starts (in the background), so
   * the first conversation after a restart does not wait for a multi-GB pull. With
   * `dind.persistence.enabled` the image also survives restarts.
   */
  prePull: boolean;
  /** The reverse proxy that carries the browser's (and the app's) traffic to 1.x sandboxes. */
  gateway: SandboxGateway;
  /** Limits OpenHands applies to sandboxes. */
  limits: SandboxLimits;
  /**
   * Plain environment variables for every 1.x sandbox (`OH_AGENT_SERVER_ENV`); `LLM_*` variables
   * of the app are forwarded by OpenHands itself. Merged over the chart's own entries (each
   * sandbox's state paths when the workspace is shared, and `OH_LEASE_TTL_SECONDS=0` for Docker
   * sandboxes, docs/persistence.md); setting
   * `OH_AGENT_SERVER_ENV` in `openhands.env` or `extraEnv` beside them is refused. Never put
   * credentials here.
   */
  env: EnvMap;
  /** Settings of sandbox mode `process`. */
  process: ProcessSandbox;
  /** Settings of sandbox mode `remoteDocker`. */
  remoteDocker: RemoteDocker;
  /** Settings of sandbox mode `hostDocker`. */
  hostDocker: HostDocker;
  /** Settings of sandbox mode `kubernetes` (OpenHands 0.45 to 0.62). */
  kubernetes: KubernetesRuntime;
}

/** The sandbox image reference handed to the app (the app's Docker daemon pulls it). */
export interface SandboxImage {
  /**
   * Registry host, with an optional port. Empty means Docker Hub.
   * @pattern ^$|^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]+)?$
   * @maxLength 253
   */
  registry: string;
  /**
   * Repository path inside the registry.
   * @pattern ^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$
   * @maxLength 255
   */
  repository: string;
  /**
   * Image tag (for example `1.34.0-python` or `0.28-nikolaik`). OpenHands 1.11.0 runs the
   * agent server it bundles (1.34.0) from `ghcr.io/openhands/agent-server` whatever version a
   * suffixed tag names, so another version there is refused: build your own into another repository.
   * @pattern ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$
   */
  tag: string;
}

/** The Docker-in-Docker sidecar used by sandbox mode `dind`. */
export interface Dind {
  /** The Docker daemon image (a `docker:<version>-dind` tag). */
  image: Image;
  /**
   * How the daemon is started before the app. `auto` uses a native sidecar (an init container
   * with `restartPolicy: Always` and a startup probe running `docker info`) on Kubernetes 1.29
   * and later, and otherwise a regular container whose postStart hook waits for the daemon.
   * `native` and `postStart` force one of the two.
   */
  startup: "auto" | "native" | "postStart";
  /**
   * How long the daemon may take to answer `docker info`, in seconds, before the pod restarts it.
   * @TJS-type integer
   * @minimum 10
   */
  startupTimeoutSeconds: number;
  /**
   * Extra flags for `dockerd` (for example `--mtu=1400` or a registry mirror).
   * @items.pattern ^[^\x00-\x1f\x7f]*$
   * @items.maxLength 4096
   */
  extraArgs: string[];
  /** Plain environment variables of the daemon container; they win over the chart's (`DOCKER_HOST`, `DOCKER_TLS_CERTDIR`). */
  env: EnvMap;
  /** CPU and memory of the daemon container (sandbox containers count against it). */
  resources?: Resources;
  /**
   * Security settings of the daemon container. `privileged` is set unless `sysbox.enabled`:
   * dockerd needs it.
   */
  securityContext?: ContainerSecurityContext;
  /** Run the daemon under the Sysbox runtime instead of a privileged container. */
  sysbox: Sysbox;
  /**
   * The daemon's data root, `/var/lib/docker`: images and sandbox containers, on a claim by
   * default. A pod restart (and every upgrade that changes the pod) stops the daemon; with the
   * claim its sandbox containers come back stopped and OpenHands resumes a conversation's
   * sandbox when the conversation is opened. Without it (an emptyDir) the sandboxes are gone:
   * OpenHands 1.11.0 shows every earlier conversation as archived ("The sandbox no longer
   * exists", read-only), and the sandbox image is pulled again.
   */
  persistence: Persistence;
  /**
   * Size limit of the emptyDir used when `persistence.enabled` is false. Empty means no limit.
   * @pattern ^$|^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)$
   */
  emptyDirSizeLimit: string;
}

/** Sandbox mode `process` (1.x). */
export interface ProcessSandbox {
  /**
   * How many agent-server ports, from 8000 up, the gateway forwards (`/sandbox/<port>` on the
   * app's own host). Upstream gives each sandbox the first free port from 8000 and skips ports
   * that were in use in the last minute, so leave room beyond the number of sandboxes that run.
   * @TJS-type integer
   * @minimum 1
   * @maximum 1000
   */
  ports: number;
  /**
   * How long a new agent server may take to answer before the app gives up on it, in seconds.
   * Upstream 1.11.0 allows 30, which its imports alone can exceed on a busy node.
   * @TJS-type integer
   * @minimum 30
   * @maximum 3600
   */
  startTimeoutSeconds: number;
}

/**
 * The sandbox gateway (1.x with Docker or process sandboxes). OpenHands 1.x hands the browser a
 * URL for each sandbox port and the browser connects to it directly; the app server calls the
 * same URL itself. The gateway, an nginx in the pod, makes those URLs reachable through the
 * chart's Service: it forwards only the ports sandboxes use (for Docker the pod's ephemeral
 * port range, 40000-49999, where the daemon publishes them; for processes the agent-server
 * ports from 8000), never the Docker API, the app's own port or anything else in the pod.
 */
export interface SandboxGateway {
  /**
   * Run the gateway. It applies to 1.x with `dind`, `remoteDocker` and `process`; 0.x never uses
   * it. `process` mode needs it: its sandboxes are reachable through nothing else.
   */
  enabled: boolean;
  /**
   * How a sandbox port appears in the browser's URL. `path`: `<app URL>/sandbox/<port>/...` on the
   * app's own host, so any exposure (and `kubectl port-forward`) carries it without new DNS or
   * certificates; VS Code does not work under a path. `host`: `<port>.<hostDomain>`, which needs
   * wildcard DNS and a wildcard certificate, and covers every port including VS Code.
   */
  routing: "path" | "host";
  /**
   * Domain under which sandbox hosts live with `routing: host` (sandboxes answer at
   * `<port>.<hostDomain>`), for example `sandbox.example.com`. The app resolves and calls these
   * URLs itself, so they must resolve inside the cluster too.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$
   * @maxLength 253
   */
  hostDomain: string;
  /** Scheme of sandbox host URLs with `routing: host`: `https` when the wildcard host has a certificate. */
  hostScheme: "https" | "http";
  /**
   * Secret with the certificate for `*.<hostDomain>`, added to the Ingress's TLS with `routing: host`.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  tlsSecretName: string;
  /** The nginx image (an unprivileged build listening on high ports). */
  image: Image;
  /** CPU and memory of the gateway container. */
  resources?: Resources;
  /** Security settings of the gateway container; the defaults meet the `restricted` profile. */
  securityContext?: ContainerSecurityContext;
}

/** Sandbox limits. */
export interface SandboxLimits {
  /**
   * Seconds a new 1.x sandbox may take to answer before OpenHands calls it failed
   * (`SANDBOX_STARTUP_GRACE_SECONDS`, upstream default 15). The chart allows 120: an agent
   * server in a pod's Docker daemon on a busy node took over 20 s to answer, and the app gives
   * up on the conversation once the grace has passed. 0 keeps the upstream default.
   * @TJS-type integer
   * @minimum 0
   */
  startupGraceSeconds: number;
  /**
   * Conversations 0.x runs at once (`MAX_CONCURRENT_CONVERSATIONS`, read from 0.28.1 on; refused before). 0 keeps the upstream default.
   * 1.x keeps at most 5 sandboxes running and pauses the oldest; it reads no variable for that.
   * @TJS-type integer
   * @minimum 0
   */
  maxConcurrentConversations: number;
}

/** A Docker daemon outside the cluster (sandbox mode `remoteDocker`). */
export interface RemoteDocker {
  /**
   * The daemon's TCP address with TLS, for example `tcp://docker.lan:2376`.
   * @pattern ^$|^tcp://[a-zA-Z0-9]([-.a-zA-Z0-9]*[a-zA-Z0-9])?:[0-9]{1,5}$
   * @maxLength 270
   */
  host: string;
  /**
   * Existing Secret with the TLS client material in keys `ca.pem`, `cert.pem` and `key.pem`
   * (what `docker --tlsverify` uses). Required: the chart never talks to a daemon without TLS.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  tlsSecretName: string;
  /**
   * Address where the daemon publishes sandbox ports, as the gateway reaches them. Empty means
   * the host of `host`.
   * @pattern ^$|^[a-zA-Z0-9]([-.a-zA-Z0-9]*[a-zA-Z0-9])?$
   * @maxLength 253
   */
  publishedHost: string;
  /**
   * A directory on the daemon's machine bind-mounted into sandboxes as the workspace
   * (`SANDBOX_VOLUMES`, or `OH_SANDBOX_MOUNTS_0_*` with `callback.address`). Empty gives sandboxes no shared workspace; the pod's workspace claim is
   * not used in this mode (the daemon cannot see it).
   * @pattern ^$|^/[-_.+@/a-zA-Z0-9]*$
   * @maxLength 4096
   */
  workspaceHostPath: string;
  /**
   * 1.x: a listener through which sandboxes' webhooks reach the app from the daemon's machine.
   * Without it they go to that machine itself and are lost: the app keeps no copy of events and
   * gives conversations no titles.
   */
  callback: RemoteDockerCallback;
}

/**
 * The callback listener of sandbox mode `remoteDocker` (1.x): a server of the sandbox gateway
 * that passes only `POST /api/v1/webhooks/conversations` and
 * `POST /api/v1/webhooks/events/<id>` (both carry the sandbox's session key) to the app, and a
 * Service `<fullname>-callback` that publishes it. Sandboxes send their webhooks to
 * `http://host.docker.internal:<port>`, and `host.docker.internal` is mapped to `address` in
 * each sandbox. Both are fixed when a sandbox is created, so they must stay stable.
 */
export interface RemoteDockerCallback {
  /**
   * IPv4 address at which the daemon's machine reaches the listener: a node's address for
   * `NodePort`, the load balancer's for `LoadBalancer`. Empty turns the listener off. Docker
   * maps a name to an IP address only, so no DNS name.
   * @pattern ^$|^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])([.](25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$
   */
  address: string;
  /**
   * The Service's port. Sandboxes call it with `LoadBalancer`; with `NodePort` they call
   * `service.nodePort`.
   * @TJS-type integer
   * @minimum 1
   * @maximum 65535
   */
  port: number;
  /** The Service `<fullname>-callback`. */
  service: RemoteDockerCallbackService;
  /**
   * Address ranges (CIDR) admitted to the listener by the chart's NetworkPolicy: the daemon's
   * machine, as the pod sees it. With `externalTrafficPolicy: Cluster` a node port hands the pod
   * the address of the node that took the connection, so list the nodes' addresses too, or use
   * `Local`. Required when `networkPolicy.enabled`.
   */
  allowFrom: CIDR[];
}

/** The Service of the remoteDocker callback listener. */
export interface RemoteDockerCallbackService {
  /** `NodePort` (sandboxes call `address`:`nodePort`) or `LoadBalancer` (`address`:`port`). */
  type: "NodePort" | "LoadBalancer";
  /**
   * The node port; required with `NodePort`, because every sandbox keeps the URL it was created
   * with. 0 lets Kubernetes pick one (`LoadBalancer` only).
   * @TJS-type integer
   * @minimum 0
   * @maximum 32767
   */
  nodePort: number;
  /**
   * `Local` keeps the caller's source address (for `allowFrom`) but answers only on the node
   * running the pod; `Cluster` answers on every node. Empty leaves Kubernetes' default (`Cluster`).
   */
  externalTrafficPolicy: "" | "Cluster" | "Local";
  /** Annotations of the Service (for example the address a load balancer controller should assign). */
  annotations: StringMap;
}

/** The `[kubernetes]` section of OpenHands 0.45 to 0.62 (sandbox mode `kubernetes`). */
export interface KubernetesRuntime {
  /**
   * Namespace for runtime pods; empty means `<release namespace>-sandboxes`. Never the release
   * namespace: runtime pods run agent code as this namespace's `default` ServiceAccount.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   * @maxLength 63
   */
  namespace: string;
  /** Render that namespace (kept on uninstall), with Pod Security level `baseline` (`privileged` with `privileged`). */
  createNamespace: boolean;
  /**
   * Domain for per-conversation Ingresses (`<session>.<ingressDomain>`, VS Code); required.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  ingressDomain: string;
  /**
   * TLS Secret for those Ingresses.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  ingressTlsSecretName: string;
  /**
   * Size of each conversation's claim.
   * @pattern ^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)$
   */
  pvcStorageSize: string;
  /**
   * StorageClass of those claims; empty uses the cluster default.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  pvcStorageClass: string;
  /**
   * CPU and memory of each runtime pod. OpenHands reads exactly these three amounts
   * (`resource_cpu_request`, `resource_memory_request`, `resource_memory_limit`).
   */
  resources: RuntimeResources;
  /**
   * Image pull Secret for the runtime image (OpenHands takes one: `image_pull_secret`).
   * @maxItems 1
   */
  imagePullSecrets: LocalObjectReference[];
  /**
   * Node label runtime pods must match. OpenHands takes one label (`node_selector_key` and
   * `node_selector_val`).
   */
  nodeSelector?: Labels;
  /** Tolerations of runtime pods (Kubernetes objects; written to `tolerations_yaml`). */
  tolerations?: KubernetesObject[];
  /** Run runtime pods privileged (needed for Docker inside them). */
  privileged: boolean;
}

/** The amounts OpenHands sets on its runtime pods. */
export interface RuntimeResources {
  /** What the scheduler reserves for each runtime pod. */
  requests: RuntimeRequests;
  /** What each runtime pod may use. */
  limits: RuntimeLimits;
}

/** Requests of a runtime pod. */
export interface RuntimeRequests {
  /**
   * CPU in cores or millicores (`1`, `500m`).
   * @pattern ^([0-9]+(\.[0-9]+)?|[0-9]+m)$
   */
  cpu: string;
  /**
   * Memory with a unit (`1Gi`).
   * @pattern ^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$
   */
  memory: string;
}

/** Limits of a runtime pod. */
export interface RuntimeLimits {
  /**
   * Memory with a unit (`2Gi`).
   * @pattern ^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$
   */
  memory: string;
}

/**
 * Sysbox (nestybox) runs Docker inside a pod without `privileged`: the pod gets the Sysbox
 * runtime class and its own user namespace. The nodes need Sysbox installed.
 */
export interface Sysbox {
  /** Use Sysbox for the daemon (the pod then needs Pod Security level `baseline`). */
  enabled: boolean;
  /**
   * RuntimeClass that selects Sysbox.
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  runtimeClassName: string;
}

/** The node's Docker daemon (sandbox mode `hostDocker`). */
export interface HostDocker {
  /**
   * The daemon's socket on the node, mounted as a hostPath of type Socket.
   * @pattern ^/[-_.+@/a-zA-Z0-9]*$
   * @maxLength 4096
   */
  socketPath: string;
  /**
   * Run the pod in the node's network namespace (`dnsPolicy: ClusterFirstWithHostNet` is set):
   * the app then reaches sandbox ports on 127.0.0.1 and sandboxes reach the app on the node.
   * Every port of the app (3000) is then open on the node's addresses.
   */
  hostNetwork: boolean;
  /**
   * A node directory bind-mounted into sandboxes as the workspace, and into the app at the same
   * path (the host daemon resolves bind mounts on the node). Empty gives sandboxes no shared
   * workspace; the workspace claim is not used in this mode.
   * @pattern ^$|^/[-_.+@/a-zA-Z0-9]*$
   * @maxLength 4096
   */
  workspaceHostPath: string;
  /**
   * 1.x: the node's address as browsers and the app reach it (LAN IP or DNS name). Sandbox URLs
   * become `http://<nodeAddress>:<port>`, straight to the ports the node's daemon publishes.
   * @pattern ^$|^[a-zA-Z0-9]([-.a-zA-Z0-9]*[a-zA-Z0-9])?$
   * @maxLength 253
   */
  nodeAddress: string;
  /**
   * 1.x without `hostNetwork`: the node's Docker bridge address (docker0, or the daemon's
   * `host-gateway-ip`), which `host.docker.internal` names in every sandbox. 1.x sandboxes send
   * their webhooks to `http://host.docker.internal:3000`, so the app's port is published there
   * as a hostPort bound to this address only: the node and its containers reach it, other
   * machines do not. Docker's default is 172.17.0.1; with another `bip`, set its address.
   * @pattern ^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])([.](25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$
   */
  bridgeAddress: string;
}
