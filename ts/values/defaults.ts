// The chart's default values. values.yaml is generated from this object and the doc comments
// of the types (`npm run values`); the type keeps every default in the shape the schema accepts.
import type { Values } from "./index.ts";

export const defaults: Values = {
  global: {
    imageRegistry: "",
  },
  app: "openhands",
  openhands: {
    image: {
      registry: "docker.openhands.dev",
      repository: "openhands/openhands",
      tag: "",
      digest: "",
      pullPolicy: "IfNotPresent",
    },
    generation: "auto",
    jwtSecret: {
      existingSecret: "",
      key: "jwt-secret",
    },
    logAllEvents: true,
    env: {},
    extraEnv: [],
    extraEnvFrom: [],
    extraVolumes: [],
    extraVolumeMounts: [],
    resources: {
      requests: {
        cpu: "250m",
        memory: "1Gi",
      },
      limits: {
        memory: "4Gi",
      },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
    },
    probes: {
      startup: {
        enabled: true,
        initialDelaySeconds: 5,
        periodSeconds: 10,
        timeoutSeconds: 5,
        failureThreshold: 30,
      },
      liveness: {
        enabled: true,
        initialDelaySeconds: 0,
        periodSeconds: 20,
        timeoutSeconds: 5,
        failureThreshold: 3,
      },
      readiness: {
        enabled: true,
        initialDelaySeconds: 0,
        periodSeconds: 10,
        timeoutSeconds: 5,
        failureThreshold: 3,
      },
    },
  },
  canvas: {
    image: {
      registry: "ghcr.io",
      repository: "openhands/agent-canvas",
      tag: "1.20.0",
      digest: "",
      pullPolicy: "IfNotPresent",
    },
    runtime: "local",
    docker: {
      conversationImage: {
        registry: "ghcr.io",
        repository: "openhands/agent-server",
        tag: "1.49.1-python",
        digest: "",
        pullPolicy: "IfNotPresent",
      },
      prePull: true,
      limits: {
        memory: "4g",
        cpus: 2,
        pidsLimit: 512,
      },
      startupTimeoutSeconds: 120,
    },
    sessionKey: {
      existingSecret: "",
      key: "session-api-key",
    },
    secretKey: {
      existingSecret: "",
      key: "secret-key",
    },
    llmProfile: { name: "chart" },
    telemetry: {
      enabled: false,
    },
    automation: {
      databaseUrl: {
        existingSecret: "",
        key: "database-url",
      },
      kvSecret: {
        existingSecret: "",
        key: "kv-secret",
      },
    },
    persistence: {
      enabled: true,
      existingClaim: "",
      storageClass: "",
      accessModes: [
        "ReadWriteOnce",
      ],
      size: "5Gi",
      annotations: {},
      volumeName: "",
      selector: {},
      dataSource: {},
    },
    projects: {
      enabled: true,
      existingClaim: "",
      storageClass: "",
      accessModes: [
        "ReadWriteOnce",
      ],
      size: "20Gi",
      annotations: {},
      volumeName: "",
      selector: {},
      dataSource: {},
    },
    resources: {
      requests: {
        cpu: "500m",
        memory: "1Gi",
      },
      limits: {
        memory: "4Gi",
      },
    },
    securityContext: {},
    probes: {
      startup: {
        enabled: true,
        initialDelaySeconds: 5,
        periodSeconds: 10,
        timeoutSeconds: 5,
        failureThreshold: 60,
      },
      liveness: {
        enabled: true,
        initialDelaySeconds: 0,
        periodSeconds: 20,
        timeoutSeconds: 5,
        failureThreshold: 3,
      },
      readiness: {
        enabled: true,
        initialDelaySeconds: 0,
        periodSeconds: 10,
        timeoutSeconds: 5,
        failureThreshold: 3,
      },
    },
    clusterAccess: {
      enabled: false,
      namespace: "",
      rules: [
        {
          apiGroups: [""],
          resources: ["pods", "services", "configmaps"],
          verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
        },
        {
          apiGroups: [""],
          resources: ["pods/log", "events"],
          verbs: ["get", "list", "watch"],
        },
        {
          apiGroups: ["apps"],
          resources: ["deployments"],
          verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
        },
        {
          apiGroups: ["apps"],
          resources: ["replicasets"],
          verbs: ["get", "list", "watch"],
        },
        {
          apiGroups: ["batch"],
          resources: ["jobs"],
          verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
        },
        {
          apiGroups: ["networking.k8s.io"],
          resources: ["ingresses"],
          verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
        },
      ],
      apiServer: {
        cidrs: [],
        ports: [443, 6443],
      },
    },
  },
  llm: {
    model: "",
    baseUrl: "",
    apiKey: {
      existingSecret: "",
      key: "api-key",
      insecurePlaintextValue: "",
    },
    bedrock: {
      enabled: false,
      region: "",
      existingSecret: "",
      secretKeys: {
        accessKeyId: "AWS_ACCESS_KEY_ID",
        secretAccessKey: "AWS_SECRET_ACCESS_KEY",
      },
    },
  },
  sandbox: {
    mode: "dind",
    prePull: true,
    hostDocker: {
      socketPath: "/var/run/docker.sock",
      hostNetwork: false,
      workspaceHostPath: "",
      nodeAddress: "",
      bridgeAddress: "172.17.0.1",
    },
    remoteDocker: {
      host: "",
      tlsSecretName: "",
      publishedHost: "",
      workspaceHostPath: "",
      callback: {
        address: "",
        port: 3002,
        service: {
          type: "NodePort",
          nodePort: 0,
          externalTrafficPolicy: "",
          annotations: {},
        },
        allowFrom: [],
      },
    },
    kubernetes: {
      namespace: "",
      createNamespace: false,
      ingressDomain: "",
      ingressTlsSecretName: "",
      pvcStorageSize: "2Gi",
      pvcStorageClass: "",
      resources: {
        requests: {
          cpu: "1",
          memory: "1Gi",
        },
        limits: {
          memory: "2Gi",
        },
      },
      imagePullSecrets: [],
      nodeSelector: {},
      tolerations: [],
      privileged: false,
    },
    process: {
      ports: 20,
      startTimeoutSeconds: 120,
    },
    gateway: {
      enabled: true,
      routing: "path",
      hostDomain: "",
      hostScheme: "https",
      tlsSecretName: "",
      image: {
        registry: "docker.io",
        repository: "nginxinc/nginx-unprivileged",
        tag: "1.29.8-alpine",
        digest: "",
        pullPolicy: "IfNotPresent",
      },
      resources: {
        requests: {
          cpu: "10m",
          memory: "16Mi",
        },
        limits: {
          memory: "128Mi",
        },
      },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 101,
        runAsGroup: 101,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: {
          drop: [
            "ALL",
          ],
        },
        seccompProfile: {
          type: "RuntimeDefault",
        },
      },
    },
    limits: {
      startupGraceSeconds: 120,
      maxConcurrentConversations: 0,
    },
    env: {},
    image: {
      registry: "ghcr.io",
      repository: "openhands/agent-server",
      tag: "1.34.0-python",
    },
  },
  dind: {
    image: {
      registry: "docker.io",
      repository: "library/docker",
      tag: "29.7.2-dind",
      digest: "",
      pullPolicy: "IfNotPresent",
    },
    startup: "auto",
    startupTimeoutSeconds: 120,
    extraArgs: [],
    env: {},
    resources: {
      requests: {
        cpu: "500m",
        memory: "1Gi",
      },
      limits: {
        memory: "8Gi",
      },
    },
    securityContext: {},
    sysbox: {
      enabled: false,
      runtimeClassName: "sysbox-runc",
    },
    persistence: {
      enabled: true,
      existingClaim: "",
      storageClass: "",
      accessModes: [
        "ReadWriteOnce",
      ],
      size: "50Gi",
      annotations: {},
      volumeName: "",
      selector: {},
      dataSource: {},
    },
    emptyDirSizeLimit: "",
  },
  persistence: {
    state: {
      enabled: true,
      existingClaim: "",
      storageClass: "",
      accessModes: [
        "ReadWriteOnce",
      ],
      size: "5Gi",
      annotations: {},
      volumeName: "",
      selector: {},
      dataSource: {},
      mountPath: "",
    },
    workspace: {
      enabled: true,
      existingClaim: "",
      storageClass: "",
      accessModes: [
        "ReadWriteOnce",
      ],
      size: "20Gi",
      annotations: {},
      volumeName: "",
      selector: {},
      dataSource: {},
      mountPath: "/opt/workspace_base",
      sandboxPath: "/workspace",
      owner: "10001:10001",
    },
  },
  service: {
    type: "ClusterIP",
    port: 3000,
    nodePort: 0,
    annotations: {},
    labels: {},
    loadBalancerIP: "",
    loadBalancerClass: "",
    loadBalancerSourceRanges: [],
    externalTrafficPolicy: "",
  },
  ingress: {
    enabled: false,
    className: "",
    annotations: {},
    nginxStreamingAnnotations: true,
    hosts: [
      {
        host: "openhands.example.com",
        paths: [
          {
            path: "/",
            pathType: "Prefix",
          },
        ],
      },
    ],
    tls: [],
  },
  httpRoute: {
    enabled: false,
    annotations: {},
    parentRefs: [
      {
        name: "gateway",
      },
    ],
    hostnames: [],
    timeouts: {
      request: "3600s",
      backendRequest: "3600s",
    },
    canvasSocketTimeouts: {
      request: "0s",
      backendRequest: "0s",
    },
  },
  tunnel: {
    enabled: false,
    hostname: "",
    image: {
      registry: "docker.io",
      repository: "cloudflare/cloudflared",
      tag: "2026.8.2",
      digest: "",
      pullPolicy: "IfNotPresent",
    },
    replicas: 2,
    protocol: "auto",
    token: {
      existingSecret: "",
      key: "tunnel-token",
    },
    metricsPort: 2000,
    resources: {
      requests: {
        cpu: "100m",
        memory: "128Mi",
      },
      limits: {
        memory: "256Mi",
      },
    },
    avoidOpenHandsNode: true,
    nodeSelector: {},
    affinity: {},
    tolerations: [],
    podAnnotations: {},
  },
  auth: {
    mode: "none",
    acknowledgeUnauthenticated: false,
    oauth2Proxy: {
      image: {
        registry: "quay.io",
        repository: "oauth2-proxy/oauth2-proxy",
        tag: "v7.15.6",
        digest: "",
        pullPolicy: "IfNotPresent",
      },
      provider: "oidc",
      oidcIssuerUrl: "",
      existingSecret: "",
      secretKeys: {
        clientId: "client-id",
        clientSecret: "client-secret",
        cookieSecret: "cookie-secret",
      },
      emailDomains: [],
      allowedEmails: [],
      allowedGroups: [],
      cookieDomains: [],
      whitelistDomains: [],
      redirectUrl: "",
      extraArgs: [],
      resources: {
        requests: {
          cpu: "10m",
          memory: "32Mi",
        },
        limits: {
          memory: "128Mi",
        },
      },
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: {
          drop: [
            "ALL",
          ],
        },
        seccompProfile: {
          type: "RuntimeDefault",
        },
      },
    },
    ingressNginx: {
      authUrl: "",
      authSignin: "",
      responseHeaders: [],
    },
    external: {
      description: "",
    },
  },
  networkPolicy: {
    enabled: false,
    ingressControllerNamespaces: [],
    extraIngressFrom: [],
    egress: {
      restrict: false,
      allowInternet: true,
      dnsPodLabels: {
        "k8s-app": "kube-dns",
      },
      extraTo: [],
    },
  },
  externalSecrets: {
    enabled: false,
    refreshInterval: "1h",
    storeRef: {
      name: "",
      kind: "ClusterSecretStore",
    },
    store: {
      enabled: false,
      service: "ParameterStore",
      region: "",
      role: "",
      credentialsSecret: "",
      credentialsKeys: {
        accessKeyId: "access-key-id",
        secretAccessKey: "secret-access-key",
      },
    },
    secrets: {
      tunnelToken: {
        enabled: false,
        targetName: "tunnel-credentials",
        secretKey: "tunnel-token",
        remoteKey: "",
        property: "",
      },
      awsCredentials: {
        enabled: false,
        targetName: "aws-credentials",
        accessKeyIdRemoteKey: "",
        secretAccessKeyRemoteKey: "",
        property: "",
      },
      llmApiKey: {
        enabled: false,
        targetName: "llm-api-key",
        secretKey: "api-key",
        remoteKey: "",
        property: "",
      },
      jwtSecret: {
        enabled: false,
        targetName: "openhands-jwt",
        secretKey: "jwt-secret",
        remoteKey: "",
        property: "",
      },
      canvasSessionKey: {
        enabled: false,
        targetName: "canvas-session-key",
        secretKey: "session-api-key",
        remoteKey: "",
        property: "",
      },
      canvasSecretKey: {
        enabled: false,
        targetName: "canvas-secret-key",
        secretKey: "secret-key",
        remoteKey: "",
        property: "",
      },
      canvasAutomationDatabaseUrl: {
        enabled: false,
        targetName: "canvas-automation-database-url",
        secretKey: "database-url",
        remoteKey: "",
        property: "",
      },
      canvasAutomationKvSecret: {
        enabled: false,
        targetName: "canvas-automation-kv-secret",
        secretKey: "kv-secret",
        remoteKey: "",
        property: "",
      },
      oauth2Proxy: {
        enabled: false,
        targetName: "openhands-oauth2-proxy",
        clientIdRemoteKey: "",
        clientSecretRemoteKey: "",
        cookieSecretRemoteKey: "",
        property: "",
      },
    },
  },
  dockerCleanup: {
    enabled: false,
    schedule: "0 0 * * *",
    timeZone: "",
    policy: "safe",
    successfulJobsHistoryLimit: 1,
    failedJobsHistoryLimit: 3,
    dockerImage: {
      registry: "docker.io",
      repository: "library/docker",
      tag: "29.7.2-cli",
      digest: "",
      pullPolicy: "IfNotPresent",
    },
    resources: {
      requests: {
        cpu: "50m",
        memory: "64Mi",
      },
      limits: {
        memory: "256Mi",
      },
    },
  },
  serviceAccount: {
    create: true,
    name: "",
    annotations: {},
    labels: {},
    automountServiceAccountToken: false,
  },
  namespace: {
    create: false,
    labels: {},
  },
  updateStrategy: {
    type: "Recreate",
  },
  podAnnotations: {},
  podLabels: {},
  podSecurityContext: {
    seccompProfile: {
      type: "RuntimeDefault",
    },
  },
  nodeSelector: {},
  affinity: {},
  tolerations: [],
  priorityClassName: "",
  terminationGracePeriodSeconds: 60,
  extraContainers: [],
  initContainers: [],
  hostAliases: [],
  dnsConfig: {},
  extraObjects: [],
  tests: {
    image: {
      registry: "docker.io",
      repository: "curlimages/curl",
      tag: "8.17.0",
      digest: "",
      pullPolicy: "IfNotPresent",
    },
  },
  nameOverride: "",
  fullnameOverride: "",
  commonLabels: {},
  commonAnnotations: {},
  imagePullSecrets: [],
};
