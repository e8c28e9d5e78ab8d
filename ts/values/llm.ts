import type { Image, KubernetesObject, Labels, Resources, StringMap } from "./common.ts";

/**
 * The LLM OpenHands starts with; users can still change it in the UI. 1.x keeps its LLM in
 * the settings store, which the `seed-llm-settings` init container writes whenever these
 * values change; 0.x reads them as `LLM_*` variables (and Bedrock's as the AWS variables
 * LiteLLM reads).
 */
export interface LLM {
  /**
   * Model in LiteLLM form, for example `anthropic/claude-sonnet-4-5` or `bedrock/us.anthropic.claude-3-7-sonnet-20250219-v1:0`. Empty leaves it to the UI.
   * @pattern ^$|^[-A-Za-z0-9_.:/@+]+$
   * @maxLength 256
   */
  model: string;
  /**
   * Base URL of an OpenAI-compatible endpoint (LiteLLM proxy, Ollama, vLLM). Empty uses the provider's.
   * @pattern ^$|^https?://[!-~]+$
   * @maxLength 2048
   */
  baseUrl: string;
  /** The API key, from an existing Secret. */
  apiKey: LLMApiKey;
  /** AWS Bedrock. */
  bedrock: Bedrock;
}

/** Where the LLM API key comes from. */
export interface LLMApiKey {
  /**
   * Existing Secret holding the key.
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
  /**
   * The key itself, written into a Secret the chart renders (and flagged in NOTES). Only for
   * throwaway setups: values files end up in Git and in Helm's release history.
   */
  insecurePlaintextValue: string;
}

/** AWS Bedrock credentials and region. */
export interface Bedrock {
  /** Use Bedrock: `llm.model` must then start with `bedrock/`. */
  enabled: boolean;
  /**
   * AWS region of the Bedrock endpoint, for example `us-east-1` or `ap-northeast-1` (Tokyo).
   * @pattern ^$|^[a-z]{2}(-[a-z]+)+-[0-9]+$
   * @maxLength 32
   */
  region: string;
  /**
   * Existing Secret with an access key. Empty uses the pod's own AWS identity (IRSA, EKS Pod
   * Identity or the node's instance role), which only 0.x and 1.x `process` mode can use:
   * 1.x agents in sandbox containers need the key.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  existingSecret: string;
  /** Keys inside `existingSecret`. */
  secretKeys: BedrockSecretKeys;
}

/** Key names inside the Bedrock credentials Secret. */
export interface BedrockSecretKeys {
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

/** A Cloudflare Tunnel (cloudflared) that carries traffic from Cloudflare's edge to the chart's Service. */
export interface Tunnel {
  /** Run cloudflared. Its public hostnames and their origin (the Service) are set in Cloudflare for token-run tunnels. */
  enabled: boolean;
  /**
   * Public host name routed through the tunnel (used for NOTES, CORS and the auth callback).
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  hostname: string;
  /** The cloudflared image. */
  image: Image;
  /**
   * Replicas: for availability across nodes, not for throughput.
   * @TJS-type integer
   * @minimum 1
   */
  replicas: number;
  /** Transport to Cloudflare's edge. */
  protocol: "auto" | "http2" | "quic";
  /** The tunnel token, from an existing Secret (or the ExternalSecret in `externalSecrets.secrets.tunnelToken`). */
  token: TunnelToken;
  /**
   * Port of cloudflared's metrics server, probed at `/ready`.
   * @TJS-type integer
   * @minimum 1024
   * @maximum 65535
   */
  metricsPort: number;
  /** CPU and memory of cloudflared. */
  resources?: Resources;
  /** Keep cloudflared off the node that runs OpenHands (a required pod anti-affinity), so the tunnel survives that node's trouble. */
  avoidOpenHandsNode: boolean;
  /** Node labels cloudflared must match. */
  nodeSelector?: Labels;
  /** Kubernetes affinity of cloudflared, passed through (merged with the anti-affinity above). */
  affinity?: KubernetesObject;
  /** Kubernetes tolerations of cloudflared. */
  tolerations?: KubernetesObject[];
  /** Annotations of the cloudflared pods. */
  podAnnotations?: StringMap;
}


/** Where the tunnel token comes from. */
export interface TunnelToken {
  /**
   * Existing Secret holding the token; empty uses the ExternalSecret's target when that is on.
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
