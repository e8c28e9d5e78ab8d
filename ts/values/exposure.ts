import type { KubernetesObject, Labels, StringMap } from "./common.ts";

/** The Service in front of the app. */
export interface Service {
  /**
   * Service type. `ClusterIP` keeps the app inside the cluster; reach it with an Ingress or
   * `kubectl port-forward`.
   */
  type: "ClusterIP" | "NodePort" | "LoadBalancer";
  /**
   * Port the Service listens on; it forwards to the app's port 3000.
   * @TJS-type integer
   * @minimum 1
   * @maximum 65535
   */
  port: number;
  /**
   * Node port for `NodePort` and `LoadBalancer` Services. 0 lets Kubernetes pick one.
   * @TJS-type integer
   * @minimum 0
   * @maximum 65535
   */
  nodePort: number;
  /** Annotations of the Service (for example for a load balancer controller). */
  annotations: StringMap;
  /** Labels of the Service, beside `commonLabels` (which they override); keys the chart sets are refused. */
  labels: Labels;
  /**
   * Address the load balancer should take (`LoadBalancer` only). Kubernetes deprecates the
   * field; many controllers read an annotation instead.
   * @pattern ^$|^[0-9a-fA-F.:]+$
   * @maxLength 45
   */
  loadBalancerIP: string;
  /**
   * Load balancer implementation that serves the Service (`LoadBalancer` only), for example
   * `service.k8s.aws/nlb`. Empty uses the cluster's default. Cannot change after creation.
   * @pattern ^$|^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?){0,}/)?[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$
   * @maxLength 316
   */
  loadBalancerClass: string;
  /**
   * Client address ranges (CIDR) the load balancer admits (`LoadBalancer` only). It narrows
   * who can connect; it is not sign-in, so an exposed Service still needs `auth.mode`.
   */
  loadBalancerSourceRanges: CIDR[];
  /**
   * `Local` keeps client source addresses and routes only to nodes running the pod;
   * `Cluster` (Kubernetes' default) spreads over every node. `NodePort` and `LoadBalancer`
   * only; empty leaves Kubernetes' default.
   */
  externalTrafficPolicy: "" | "Cluster" | "Local";
}

/**
 * An IPv4 or IPv6 address range in CIDR notation (`203.0.113.0/24`, `2001:db8::/32`).
 * @pattern ^([0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}|[0-9a-fA-F:]+/[0-9]{1,3})$
 * @maxLength 43
 */
export type CIDR = string;

/** An Ingress in front of the Service. */
export interface Ingress {
  /** Render the Ingress. */
  enabled: boolean;
  /**
   * IngressClass name (`spec.ingressClassName`), for example `nginx` or `traefik`. Empty uses the cluster default class.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  className: string;
  /** Annotations, for example `cert-manager.io/cluster-issuer` or ingress-nginx `auth-url` / `auth-signin`. They override the chart's own. */
  annotations: StringMap;
  /**
   * Add ingress-nginx annotations for OpenHands' long-lived websocket streams and uploads
   * (read/send timeouts of 3600 s, 50m request bodies) when `className` contains `nginx`.
   */
  nginxStreamingAnnotations: boolean;
  /**
   * Host names and paths routed to the app.
   * @minItems 1
   */
  hosts: IngressHost[];
  /** TLS settings: which hosts a certificate Secret covers. */
  tls: IngressTLS[];
}

/** One host of the Ingress. */
export interface IngressHost {
  /**
   * Fully qualified host name.
   * @pattern ^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  host: string;
  /**
   * Paths on this host routed to the app.
   * @minItems 1
   */
  paths: IngressPath[];
}

/** One path of an Ingress host. */
export interface IngressPath {
  /**
   * URL path.
   * @pattern ^/[!-~]*$
   * @maxLength 2048
   */
  path: string;
  /** How the path matches. */
  pathType: "Prefix" | "Exact" | "ImplementationSpecific";
}

/** One TLS entry of the Ingress. */
export interface IngressTLS {
  /**
   * Hosts the certificate covers.
   * @minItems 1
   * @items.pattern ^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @items.maxLength 253
   */
  hosts: string[];
  /**
   * Secret holding the certificate (cert-manager creates it when an issuer annotation is set).
   * @minLength 1
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  secretName: string;
}

/** A Gateway API HTTPRoute (`gateway.networking.k8s.io/v1`) in front of the Service. */
export interface HTTPRoute {
  /** Render the HTTPRoute. The cluster must serve `gateway.networking.k8s.io/v1`. */
  enabled: boolean;
  /** Annotations of the HTTPRoute. */
  annotations: StringMap;
  /**
   * Gateways (and listeners) the route attaches to.
   * @minItems 1
   */
  parentRefs: ParentReference[];
  /**
   * Host names the route answers for.
   * @items.pattern ^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @items.maxLength 253
   */
  hostnames: string[];
  /** Timeouts of the route's rule: OpenHands streams events for as long as a conversation runs. */
  timeouts: RouteTimeouts;
  /**
   * Timeouts of a rule of its own for Agent Canvas' websockets (`/sockets`, with `app: canvas`).
   * `0s` disables a timeout (Gateway API; an implementation that cannot uses its longest).
   * Envoy Gateway and Istio count `request` over a websocket's whole life, so `timeouts`
   * would close every Canvas socket after an hour.
   */
  canvasSocketTimeouts: RouteTimeouts;
}

/** A Gateway the HTTPRoute attaches to. */
export interface ParentReference {
  /**
   * Gateway name.
   * @pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  name: string;
  /**
   * Gateway namespace; empty means the release namespace.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   * @maxLength 63
   */
  namespace?: string;
  /**
   * Listener name on the Gateway.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  sectionName?: string;
}

/** Gateway API rule timeouts, as durations such as `3600s` or `1h`. */
export interface RouteTimeouts {
  /**
   * Time for the whole request, including streamed responses.
   * @pattern ^([0-9]{1,5}(h|m|s|ms)){1,4}$
   */
  request: string;
  /**
   * Time for one request to the backend (at most `request`).
   * @pattern ^([0-9]{1,5}(h|m|s|ms)){1,4}$
   */
  backendRequest: string;
}

/** A NetworkPolicy around the OpenHands pod (needs a CNI that enforces NetworkPolicy). */
export interface NetworkPolicy {
  /** Render the NetworkPolicy. */
  enabled: boolean;
  /**
   * Namespaces (by name) whose pods may reach the Service's port, typically the ingress
   * controller's or the Gateway's. The app's own port, sandbox ports and anything else
   * listening in the pod stay unreachable from outside it.
   * @items.pattern ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$
   * @items.maxLength 63
   */
  ingressControllerNamespaces: string[];
  /** More peers (Kubernetes NetworkPolicyPeer objects) allowed to reach the Service's port. */
  extraIngressFrom: KubernetesObject[];
  /** What the pod (the agent and its sandboxes) may connect to. */
  egress: EgressPolicy;
}

/** Egress rules of the NetworkPolicy. */
export interface EgressPolicy {
  /** Restrict egress. When false every destination stays open (the agent needs the internet). */
  restrict: boolean;
  /**
   * With `restrict`: allow the public internet but no private, link-local or carrier-grade NAT
   * ranges (so no cluster services, no LAN and no cloud metadata endpoint).
   */
  allowInternet: boolean;
  /** With `restrict`: labels of the cluster DNS pods, reachable on port 53 in any namespace. */
  dnsPodLabels: Labels;
  /** With `restrict`: more destinations (Kubernetes NetworkPolicyEgressRule objects), for example an in-cluster LLM gateway. */
  extraTo: KubernetesObject[];
}

/** The release namespace, when the chart should create it. */
export interface Namespace {
  /**
   * Render the release namespace with Pod Security admission labels for the sandbox mode's
   * level (kept on uninstall). For Argo CD or `helm template | kubectl apply`; with
   * `helm install --create-namespace` leave it false.
   */
  create: boolean;
  /** More labels of the namespace. */
  labels: Labels;
}
