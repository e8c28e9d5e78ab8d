// The chart's values: the single source of truth for values.schema.json.
import type { Dind, Sandbox } from "./sandbox.ts";
import type { HTTPRoute, Ingress, Namespace, NetworkPolicy, Service } from "./exposure.ts";
import type { Auth } from "./auth.ts";
import type { LLM, Tunnel } from "./llm.ts";
import type { DockerCleanup, ExternalSecrets } from "./operations.ts";
import type { KubernetesObject, Labels, Persistence, PodSecurityContext, StringMap } from "./common.ts";
import type { OpenHands } from "./openhands.ts";

export type * from "./auth.ts";
export type * from "./common.ts";
export type * from "./exposure.ts";
export type * from "./llm.ts";
export type * from "./operations.ts";
export type * from "./openhands.ts";
export type * from "./sandbox.ts";

/** Values of the openhands chart. */
export interface Values {
  /** Values Helm passes to every chart when this one is used as a dependency. */
  global?: KubernetesObject;

  /** The OpenHands server. */
  openhands: OpenHands;
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
   * Seconds the pod gets to stop before it is killed.
   * @TJS-type integer
   * @minimum 0
   */
  terminationGracePeriodSeconds: number;

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
  /** Labels added to every object the chart renders. */
  commonLabels: Labels;
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
   * Where sandboxes see the workspace.
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
  /**
   * Mount an API token in the pod (`automountServiceAccountToken`). Only sandbox mode
   * `kubernetes` calls the Kubernetes API, and the chart mounts the token for it regardless.
   */
  automountServiceAccountToken: boolean;
}
