import type { ContainerSecurityContext, Image, Persistence, Resources, StringMap } from "./common.ts";

/** Where and how OpenHands starts its sandboxes. */
export interface Sandbox {
  /**
   * The sandbox backend. `dind`: a Docker daemon runs as a sidecar in the OpenHands pod and
   * sandboxes are its containers (a privileged container; Pod Security level `privileged`).
   * `process` (1.x only): each sandbox is an agent-server process inside the app container, with
   * no Docker and no privileges (level `restricted`), but no isolation between sandboxes and
   * the app either: agents can read the app's environment and state.
   */
  mode: "dind" | "process";
  /** Settings of sandbox mode `process`. */
  process: ProcessSandbox;
  /**
   * The sandbox image the app starts for each conversation. For 1.x an agent-server image
   * (`ghcr.io/openhands/agent-server:<version>-python`); for 0.x a runtime image
   * (`.../runtime:<version>-nikolaik`). The two are not interchangeable.
   */
  image: SandboxImage;
}

/** The sandbox image reference handed to the app (the app's Docker daemon pulls it). */
export interface SandboxImage {
  /**
   * Registry host, with an optional port. Empty means Docker Hub.
   * @pattern ^$|^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]+)?$
   */
  registry: string;
  /**
   * Repository path inside the registry.
   * @pattern ^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$
   */
  repository: string;
  /**
   * Image tag (for example `1.34.0-python` or `0.28-nikolaik`).
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
  /** Extra flags for `dockerd` (for example `--mtu=1400` or a registry mirror). */
  extraArgs: string[];
  /** Plain environment variables of the daemon container. */
  env: StringMap;
  /** CPU and memory of the daemon container (sandbox containers count against it). */
  resources: Resources;
  /** Security settings of the daemon container. `privileged` is always set: dockerd needs it. */
  securityContext: ContainerSecurityContext;
  /**
   * The daemon's data root, `/var/lib/docker`: images and sandbox containers. Without a claim
   * it is an emptyDir and the sandbox image is pulled again after every pod restart.
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
   * How many agent-server ports, from 8000 up, the pod and the Service expose. Upstream hands
   * the browser `http://localhost:<port>` for process sandboxes, which the UI turns into
   * `<page host>:<port>`: the browser must reach these ports directly (port-forward or a LAN
   * Service), one per running sandbox.
   * @TJS-type integer
   * @minimum 1
   * @maximum 50
   */
  ports: number;
  /**
   * User id the app runs as in this mode (the image's `openhands` user). The pod's `fsGroup`
   * is set to the same id so the volumes are writable.
   * @TJS-type integer
   * @minimum 1
   */
  runAsUser: number;
}
