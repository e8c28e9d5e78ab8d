import type { StringMap } from "./common.ts";

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
}

/** An Ingress in front of the Service. */
export interface Ingress {
  /** Render the Ingress. */
  enabled: boolean;
  /** IngressClass name (`spec.ingressClassName`), for example `nginx` or `traefik`. Empty uses the cluster default class. */
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
   * @pattern ^/
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
   */
  hosts: string[];
  /**
   * Secret holding the certificate (cert-manager creates it when an issuer annotation is set).
   * @minLength 1
   */
  secretName: string;
}
