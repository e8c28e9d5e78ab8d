import type { Image, Resources } from "./common.ts";

/**
 * External Secrets Operator (`external-secrets.io/v1`): ExternalSecrets that fill the Secrets
 * the chart reads (tunnel token, AWS credentials, LLM API key) from a secret store.
 */
export interface ExternalSecrets {
  /** Render ExternalSecrets. The cluster must serve `external-secrets.io/v1`. */
  enabled: boolean;
  /**
   * How often the operator refreshes the Secrets, as a Go duration (`1h`, `15m`).
   * @pattern ^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$
   */
  refreshInterval: string;
  /** The store to read from: an existing one, or the one in `store` when that is enabled. */
  storeRef: SecretStoreRef;
  /** A SecretStore the chart renders for AWS Parameter Store or Secrets Manager. */
  store: AwsSecretStore;
  /** The Secrets to fill. */
  secrets: ExternalSecretSet;
}

/** A reference to a SecretStore or ClusterSecretStore. */
export interface SecretStoreRef {
  /**
   * Store name (ignored when `store.enabled`: the chart's store is used).
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  name: string;
  /** Store kind. */
  kind: "SecretStore" | "ClusterSecretStore";
}

/** A namespaced SecretStore for AWS, rendered by the chart. */
export interface AwsSecretStore {
  /** Render the store and read from it. */
  enabled: boolean;
  /** AWS service holding the secrets. */
  service: "ParameterStore" | "SecretsManager";
  /**
   * AWS region of the store.
   * @pattern ^$|^[a-z]{2}(-[a-z]+)+-[0-9]+$
   * @maxLength 32
   */
  region: string;
  /**
   * IAM role to assume for reading (optional).
   * @pattern ^$|^arn:[-a-z]+:iam::[0-9]+:role/[-+=,.@_/a-zA-Z0-9]+$
   * @maxLength 2048
   */
  role: string;
  /**
   * Existing Secret with the access key the store authenticates with. Empty authenticates as
   * the operator's own identity (IRSA or instance role).
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  credentialsSecret: string;
  /** Keys inside `credentialsSecret`. */
  credentialsKeys: AwsKeyNames;
}

/** Key names for an AWS access key pair. */
export interface AwsKeyNames {
  /**
   * Key holding the access key ID.
   * @pattern ^[-._a-zA-Z0-9]+$
   * @maxLength 253
   */
  accessKeyId: string;
  /**
   * Key holding the secret access key.
   * @pattern ^[-._a-zA-Z0-9]+$
   * @maxLength 253
   */
  secretAccessKey: string;
}

/** The Secrets External Secrets fills for the chart. */
export interface ExternalSecretSet {
  /** The Cloudflare Tunnel token (`tunnel.token`). */
  tunnelToken: ExternalSecretEntry;
  /** The AWS access key for Bedrock (`llm.bedrock`), in keys `accessKeyId` / `secretAccessKey` of the target. */
  awsCredentials: ExternalAwsCredentials;
  /** The LLM API key (`llm.apiKey`). */
  llmApiKey: ExternalSecretEntry;
  /** The session key (`openhands.jwtSecret`). */
  jwtSecret: ExternalSecretEntry;
  /** The Canvas session key (`canvas.sessionKey`). */
  canvasSessionKey: ExternalSecretEntry;
  /** The Canvas secret key (`canvas.secretKey`). */
  canvasSecretKey: ExternalSecretEntry;
  /** The Canvas automation database URL (`canvas.automation.databaseUrl`). */
  canvasAutomationDatabaseUrl: ExternalSecretEntry;
  /** The Canvas automation key-value store's key (`canvas.automation.kvSecret`). */
  canvasAutomationKvSecret: ExternalSecretEntry;
  /** oauth2-proxy's client ID, client secret and cookie secret (`auth.oauth2Proxy`), in the keys `auth.oauth2Proxy.secretKeys` names. */
  oauth2Proxy: ExternalOAuth2ProxySecrets;
}

/** The three oauth2-proxy secrets, filled from three remote values. */
export interface ExternalOAuth2ProxySecrets {
  /** Render this ExternalSecret; `auth.oauth2Proxy` reads its target unless it names an existing Secret. */
  enabled: boolean;
  /**
   * Name of the Secret the operator creates.
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  targetName: string;
  /**
   * Remote key of the client ID.
   * @pattern ^[!-~]*$
   * @maxLength 2048
   */
  clientIdRemoteKey: string;
  /**
   * Remote key of the client secret.
   * @pattern ^[!-~]*$
   * @maxLength 2048
   */
  clientSecretRemoteKey: string;
  /**
   * Remote key of the cookie secret.
   * @pattern ^[!-~]*$
   * @maxLength 2048
   */
  cookieSecretRemoteKey: string;
  /**
   * Property inside JSON remote values; empty takes whole values.
   * @pattern ^[!-~]*$
   * @maxLength 2048
   */
  property: string;
}

/** One Secret with one key, filled from one remote value. */
export interface ExternalSecretEntry {
  /** Render this ExternalSecret; the matching consumer reads its target unless it names an existing Secret itself. */
  enabled: boolean;
  /**
   * Name of the Secret the operator creates.
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  targetName: string;
  /**
   * Key inside that Secret.
   * @pattern ^[-._a-zA-Z0-9]+$
   * @maxLength 253
   */
  secretKey: string;
  /**
   * Remote key (parameter name or secret name).
   * @pattern ^[!-~]*$
   * @maxLength 2048
   */
  remoteKey: string;
  /**
   * Property inside a JSON remote value; empty takes the whole value.
   * @pattern ^[!-~]*$
   * @maxLength 2048
   */
  property: string;
}

/** An AWS access key pair filled from two remote values. */
export interface ExternalAwsCredentials {
  /** Render this ExternalSecret; `llm.bedrock` reads its target unless it names an existing Secret. */
  enabled: boolean;
  /**
   * Name of the Secret the operator creates.
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  targetName: string;
  /**
   * Remote key of the access key ID.
   * @pattern ^[!-~]*$
   * @maxLength 2048
   */
  accessKeyIdRemoteKey: string;
  /**
   * Remote key of the secret access key (not `accessKeyIdRemoteKey`: one `property` applies to both,
   * so the same remote key would give both keys the same value).
   * @pattern ^[!-~]*$
   * @maxLength 2048
   */
  secretAccessKeyRemoteKey: string;
  /**
   * Property inside JSON remote values; empty takes whole values.
   * @pattern ^[!-~]*$
   * @maxLength 2048
   */
  property: string;
}

/**
 * Frees disk on the Docker daemon sandboxes run on, which fills with stopped containers,
 * images and build cache: a CronJob on the node's daemon with `hostDocker`; with `dind`, a
 * container beside the daemon in the OpenHands pod (the daemon never leaves the pod, and no
 * Role may exec into it).
 */
export interface DockerCleanup {
  /** Run the cleanup. */
  enabled: boolean;
  /**
   * Cron schedule (with `dind`: five fields or `@daily` and the like, in UTC).
   * @pattern ^[-0-9,/*A-Za-z?@ =_]+$
   * @maxLength 256
   */
  schedule: string;
  /**
   * Time zone of the schedule (IANA name, for example `Asia/Tokyo`); empty is the controller's. `hostDocker` only.
   * @pattern ^$|^[A-Za-z][-+_/A-Za-z0-9]*$
   * @maxLength 64
   */
  timeZone: string;
  /**
   * What is removed. `safe`: stopped containers that are not sandboxes, dangling images, build
   * cache older than a day and unused anonymous volumes: never the sandbox image, a sandbox
   * container (running or paused) or a named volume. `pruneAll`: `docker system prune -af
   * --volumes`, which also deletes paused sandboxes' containers and volumes and the sandbox
   * image (a multi-GB pull on the next conversation).
   */
  policy: "safe" | "pruneAll";
  /**
   * Finished jobs kept (`hostDocker`).
   * @TJS-type integer
   * @minimum 0
   */
  successfulJobsHistoryLimit: number;
  /**
   * Failed jobs kept (`hostDocker`).
   * @TJS-type integer
   * @minimum 0
   */
  failedJobsHistoryLimit: number;
  /** The Docker CLI image: the job's (`hostDocker`) or the cleanup container's (`dind`). */
  dockerImage: Image;
  /** CPU and memory of the job, or of the cleanup container (`dind`). */
  resources?: Resources;
}
