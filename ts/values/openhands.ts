import type { ContainerSecurityContext, EnvMap, EnvVar, Image, KubernetesObject, Probe, Resources } from "./common.ts";

/** The OpenHands server itself. */
export interface OpenHands {
  /** The OpenHands app image. An empty tag means the chart's appVersion. */
  image: Image;
  /**
   * Which generation of OpenHands the image is: `v0` (0.x, runtime images, `FILE_STORE_PATH`) or
   * `v1` (1.x, agent-server images, `OH_PERSISTENCE_DIR`). `auto` reads it from the image tag and
   * fails for tags without a version (such as `main`): set it explicitly for those.
   */
  generation: "auto" | "v0" | "v1";
  /**
   * An existing Secret holding `JWT_SECRET`, the key that signs sessions and encrypts stored
   * secrets. Without it OpenHands generates one on the state volume, so losing the volume
   * logs everyone out and makes stored secrets unreadable. Set it at first install: changing
   * it later makes secrets stored under the old key unreadable. External Secrets can fill it
   * (`externalSecrets.secrets.jwtSecret`).
   */
  jwtSecret: SecretKeyReference;
  /** 0.x: log every agent event (`LOG_ALL_EVENTS`), as upstream's documented `docker run` does. 1.x logs no agent steps, so nothing is set there. */
  logAllEvents: boolean;
  /**
   * Plain environment variables for the app, by name. Precedence: chart-set variables <
   * `openhands.env` < `openhands.extraEnv`; a name set by two layers renders once, with the
   * later layer's value. Use them for settings the chart has no value for. Never put
   * credentials here.
   */
  env: EnvMap;
  /**
   * More environment variables as Kubernetes EnvVar entries (for `valueFrom` secret
   * references). They win over `openhands.env` and the chart's variables of the same name;
   * a name listed twice here is refused.
   */
  extraEnv: EnvVar[];
  /** Kubernetes `envFrom` sources (ConfigMaps or Secrets whose keys become variables). */
  extraEnvFrom: KubernetesObject[];
  /** Extra volume mounts for the app container (the volumes go in `extraVolumes`). */
  extraVolumeMounts: KubernetesObject[];
  /** CPU and memory of the app container. */
  resources: Resources;
  /**
   * Security settings of the app container. With Docker sandboxes (`dind`) the image's entrypoint
   * runs as root; in the other modes the chart starts the server directly as `runAsUser`.
   */
  securityContext: ContainerSecurityContext;
  /**
   * User (and group) id the app runs as in sandbox modes that need no root (`process`,
   * `remoteDocker`, `kubernetes`): the image's `openhands` user. The pod's `fsGroup` is set to
   * the same id so the volumes are writable.
   * @TJS-type integer
   * @minimum 1
   */
  runAsUser: number;
  /** Probes on the app's `/health` endpoint (port 3000). */
  probes: AppProbes;
}

/** The three probes of the app container. */
export interface AppProbes {
  /** Gives a slow first start (database migrations, image pulls) time before liveness counts. */
  startup: Probe;
  /** Restarts the container when the server stops answering. */
  liveness: Probe;
  /** Takes the pod out of the Service while it does not answer. */
  readiness: Probe;
}

/** A key in an existing Secret. */
export interface SecretKeyReference {
  /**
   * Secret name; empty disables the reference.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  existingSecret: string;
  /**
   * Key inside the Secret.
   * @pattern ^[-._a-zA-Z0-9]+$
   * @maxLength 253
   */
  key: string;
}
