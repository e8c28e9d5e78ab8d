// The chart's values: the single source of truth for values.schema.json.
import type { Dind, Sandbox } from "./sandbox.ts";
import type { HTTPRoute, Ingress, Namespace, NetworkPolicy, Service } from "./exposure.ts";
import type { Auth } from "./auth.ts";
import type { LLM, Tunnel } from "./llm.ts";
import type { DockerCleanup, ExternalSecrets } from "./operations.ts";
import type { Image, KubernetesObject, Labels, Persistence, PodSecurityContext, StringMap } from "./common.ts";
import type { OpenHands } from "./openhands.ts";
import type { Canvas } from "./canvas.ts";

export type * from "./auth.ts";
export type * from "./canvas.ts";
export type * from "./common.ts";
export type * from "./exposure.ts";
export type * from "./llm.ts";
export type * from "./operations.ts";
export type * from "./openhands.ts";
export type * from "./sandbox.ts";

/** Values of the openhands chart. */
export interface Values {
  /** Values shared with parent and sibling charts when this one is a dependency. */
  global?: Global;

  /**
   * The app the chart runs: `openhands`, the OpenHands GUI server (`openhands.*`, sandboxes
   * per `sandbox.mode`), or `canvas`, Agent Canvas (`canvas.*`). Each keeps its state on its
   * own claim; switching leaves the other's claim in place. See docs/canvas.md.
   */
  app: "openhands" | "canvas";
  /** The OpenHands server. */
  openhands: OpenHands;
  /** Agent Canvas (`app: canvas`). */
  canvas: Canvas;
  /** The LLM OpenHands starts with. */
  llm: LLM;

  /** How sandboxes run. */
  sandbox: Sandbox;
  /** The Docker-in-Docker sidecar (sandbox mode `dind`). */
  dind: Dind;

  /** Volumes that keep OpenHands' data across restarts and upgrades. */
  persistence: PersistenceValues;

  /** The Service in front of the app. */
  service: Service;
  /** An Ingress in front of the Service. */
  ingress: Ingress;
  /** A Gateway API HTTPRoute in front of the Service. */
  httpRoute: HTTPRoute;
  /** A Cloudflare Tunnel to the Service. */
  tunnel: Tunnel;
  /** Authentication in front of every exposure. */
  auth: Auth;
  /** A NetworkPolicy around the OpenHands pod. */
  networkPolicy: NetworkPolicy;

  /** Secrets filled by External Secrets Operator. */
  externalSecrets: ExternalSecrets;
  /** A CronJob that frees disk on the sandboxes' Docker daemon. */
  dockerCleanup: DockerCleanup;
  /** The ServiceAccount of the pod. */
  serviceAccount: ServiceAccount;
  /** The release namespace, when the chart should create it. */
  namespace: Namespace;

  /** How the Deployment replaces its pod. */
  updateStrategy: UpdateStrategy;
  /** Annotations of the pod. */
  podAnnotations?: StringMap;
  /** Labels of the pod (never used in selectors). */
  podLabels?: Labels;
  /** Security settings of the whole pod. */
  podSecurityContext?: PodSecurityContext;
  /** Node labels the pod must match. */
  nodeSelector?: Labels;
  /** Kubernetes affinity of the pod, passed through as is. */
  affinity?: KubernetesObject;
  /** Kubernetes tolerations of the pod, passed through as is. */
  tolerations?: KubernetesObject[];
  /**
   * PriorityClass of the pod.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  priorityClassName: string;
  /**
   * Seconds the pod gets to stop before it is killed. The app stops in seconds: its container's
   * preStop hook passes the stop signal to the server, which the image's entrypoint does not.
   * @TJS-type integer
   * @minimum 0
   */
  terminationGracePeriodSeconds: number;
  /**
   * More containers in the OpenHands pod, as Kubernetes containers (a log shipper, a
   * backup agent). Strings inside are rendered as templates (`{{ .Release.Name }}`). They
   * share the pod's network and Pod Security level. A container with a `hostPort`, or one
   * whose image carries a tunnel (cloudflared, tailscale, ngrok, frp, bore), is a way in that
   * no sign-in proxy of the chart sees: the chart refuses it unless `auth.mode` is `external`
   * or `auth.acknowledgeUnauthenticated` is true.
   */
  extraContainers: KubernetesObject[];
  /**
   * More init containers, run after the chart's own (workspace ownership, LLM settings, and
   * the Docker daemon when it is a native sidecar, so they may use it) and before the app.
   * Templated and guarded like `extraContainers`.
   */
  initContainers: KubernetesObject[];
  /**
   * Host names resolved to fixed addresses in every container of the pod (`- ip: 10.0.0.5,
   * hostnames: [llm.internal]`). Merged with the chart's own entry (`127.0.0.1
   * host.docker.internal` in Docker sandbox modes): one entry per address.
   */
  hostAliases: HostAlias[];
  /** DNS settings of the pod (`nameservers`, `searches`, `options`), Kubernetes' PodDNSConfig passed through. */
  dnsConfig: KubernetesObject;
  /**
   * More objects rendered with the release: each a Kubernetes object, or a string that is
   * rendered as a template first (`{{ include "openhands.fullname" . }}` works). An Ingress,
   * HTTPRoute, Gateway route or a `NodePort`/`LoadBalancer` Service among them is a way in:
   * the chart refuses it unless `auth.mode` is `oauth2Proxy` or `external`, or
   * `auth.acknowledgeUnauthenticated` is true (point it at the chart's Service, which
   * passes the sign-in proxy).
   */
  extraObjects: (KubernetesObject | string)[];
  /** The `helm test` pod. */
  tests: Tests;

  /**
   * Replaces the chart name in object names.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   * @maxLength 63
   */
  nameOverride: string;
  /**
   * Replaces the whole `<release>-<chart>` object name prefix.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   * @maxLength 63
   */
  fullnameOverride: string;
  /**
   * Labels added to every object the chart renders and to its pod templates. Keys the chart
   * sets itself (`app.kubernetes.io/*`, `helm.sh/chart`) are refused.
   */
  commonLabels: Labels;
  /**
   * Annotations added to the metadata of every object the chart renders (not to pod
   * templates: use `podAnnotations`). An object's own annotations win over these.
   */
  commonAnnotations: StringMap;
  /** Secrets for pulling the chart's images from private registries (`- name: regcred`). */
  imagePullSecrets: LocalObjectReference[];
}

/** A reference to an object by name in the release namespace. */
export interface LocalObjectReference {
  /**
   * Object name.
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  name: string;
}

/** The two volumes of OpenHands' own data. */
export interface PersistenceValues {
  /** Settings, secrets, conversations and (1.x) the SQLite database. */
  state: StatePersistence;
  /** The workspace directory handed to sandboxes as a bind mount. */
  workspace: WorkspacePersistence;
}

/** The state volume. */
export interface StatePersistence extends Persistence {
  /**
   * Where the volume mounts in the app. Empty derives it from the generation: `/.openhands-state`
   * for 0.x before 0.45, `/.openhands` for later 0.x and for 1.x.
   * @pattern ^$|^/[-_.+@/a-zA-Z0-9]*$
   * @maxLength 4096
   */
  mountPath: string;
}

/** The workspace volume. */
export interface WorkspacePersistence extends Persistence {
  /**
   * Where the volume mounts, at the same path in the app and in the Docker daemon (the daemon
   * resolves sandbox bind mounts on its own filesystem).
   * @pattern ^/[-_.+@/a-zA-Z0-9]*$
   * @maxLength 4096
   */
  mountPath: string;
  /**
   * Where sandboxes see the workspace. Every sandbox mounts the same directory, so all
   * conversations share `/workspace/project` (upstream's working directory); each sandbox's
   * own conversations and command logs, which upstream also keeps under `/workspace`, are moved
   * into the sandbox container (`OH_CONVERSATIONS_PATH`, `OH_BASH_EVENTS_DIR`), because an agent
   * server loads every conversation it finds there (docs/persistence.md).
   * @pattern ^/[-_.+@/a-zA-Z0-9]*$
   * @maxLength 4096
   */
  sandboxPath: string;
  /**
   * `uid:gid` that should own the workspace directory, set by a short init container before
   * the app starts (not recursive). 1.x agent-server sandboxes run as uid and gid 10001 and
   * cannot write to a root-owned volume. Empty leaves ownership alone.
   * @pattern ^$|^[0-9]+:[0-9]+$
   */
  owner: string;
}

/** The Deployment's update strategy. */
export interface UpdateStrategy {
  /**
   * `Recreate` stops the old pod before starting the new one, which ReadWriteOnce volumes and a
   * single-writer SQLite database need. `RollingUpdate` only suits ReadWriteMany volumes.
   */
  type: "Recreate" | "RollingUpdate";
}

/** The pod's ServiceAccount. */
export interface ServiceAccount {
  /** Create a ServiceAccount for the release. */
  create: boolean;
  /**
   * Name of the ServiceAccount to use; empty means the release's full name when `create` is true, `default` otherwise.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  name: string;
  /** Annotations of the created ServiceAccount (for example an IAM role for IRSA). */
  annotations: StringMap;
  /** Labels of the created ServiceAccount, beside `commonLabels` (which they override). */
  labels: Labels;
  /**
   * Mount an API token in the pod (`automountServiceAccountToken`). Only sandbox mode
   * `kubernetes` calls the Kubernetes API, and the chart mounts the token for it regardless.
   */
  automountServiceAccountToken: boolean;
}

/** Values shared with other charts of an umbrella release. */
export interface Global {
  /**
   * Registry for every image the chart runs or has a Docker daemon pull (app, sidecars,
   * sandbox image, cleanup, tunnel, the `helm test` image), replacing each image's own
   * `registry`: the one setting an air-gapped cluster with a mirror needs. Repositories and
   * tags stay as they are, so mirror them under the same paths. Empty keeps each image's registry.
   * @pattern ^$|^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]+)?(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$
   * @maxLength 253
   */
  imageRegistry?: string;
  /** Other global values, unused by this chart. */
  [key: string]: unknown;
}

/**
 * A host name (`llm.internal`).
 * @pattern ^[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?$
 * @maxLength 253
 */
export type HostName = string;

/** An entry of the pod's /etc/hosts. */
export interface HostAlias {
  /**
   * The address.
   * @pattern ^[0-9a-fA-F.:]+$
   * @maxLength 45
   */
  ip: string;
  /**
   * Names that resolve to it.
   * @minItems 1
   */
  hostnames: HostName[];
}

/** The `helm test` pod, which checks the app answers through the Service. */
export interface Tests {
  /** Its image: any image with `sh` and `curl`, running as a non-root user. */
  image: Image;
}
