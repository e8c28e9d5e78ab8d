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
   * An existing Secret holding `JWT_SECRET`, the key the app signs and encrypts its tokens
   * with. It does not encrypt what OpenHands stores: 1.11.0 and 0.62 keep settings (with the
   * LLM key) and secrets in plain text on the state volume, so treat that volume and its
   * backups as secrets. Without it OpenHands generates one on the state volume; changing it
   * invalidates the tokens issued under the old one. External Secrets can fill it
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
  /** Extra volumes of the pod, as in a pod spec (mount them with `extraVolumeMounts`). */
  extraVolumes: KubernetesObject[];
  /** Extra volume mounts of the app container, as in a container spec (the volumes go in `extraVolumes`). */
  extraVolumeMounts: KubernetesObject[];
  /** CPU and memory of the app container. */
  resources?: Resources;
  /**
   * Security settings of the app container. Its `runAsUser` is the app's one uid knob: in the
   * sandbox modes that need no root (`process`, `remoteDocker`, `kubernetes`) the chart starts the
   * server directly as that user (unset: the image's `openhands` user, 42420), with `runAsGroup`
   * and the pod's `fsGroup` following it unless set. With `dind` and `hostDocker` the image's
   * entrypoint must run as root, so a non-zero `runAsUser` is refused there.
   */
  securityContext?: ContainerSecurityContext;
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
