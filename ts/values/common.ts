// Building blocks shared by several parts of the values.

/**
 * A container image. The reference is `registry/repository:tag`, or
 * `registry/repository@digest` when a digest is set (the digest wins over the tag).
 */
export interface Image {
  /**
   * Registry host, with an optional port. Empty means Docker Hub.
   * @pattern ^$|^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]+)?$
   * @maxLength 253
   */
  registry: string;
  /**
   * Repository path inside the registry, lower case (for example `openhands/openhands`).
   * @pattern ^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$
   * @maxLength 255
   */
  repository: string;
  /**
   * Image tag. Empty means the default this image documents (for the OpenHands app: the chart's appVersion).
   * @pattern ^$|^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$
   */
  tag: string;
  /**
   * Image digest (`sha256:` and 64 hex digits). When set it pins the image and the tag is only informative.
   * @pattern ^$|^sha256:[a-f0-9]{64}$
   */
  digest: string;
  /** When the kubelet pulls the image. */
  pullPolicy: "Always" | "IfNotPresent" | "Never";
}

/** Requests and limits of one container, as in Kubernetes (every field its ResourceRequirements has). */
export interface Resources {
  /** Minimum resources the scheduler reserves (for example `cpu: 500m`, `memory: 1Gi`). */
  requests?: ResourceAmounts;
  /** Maximum resources the container may use, extended resources such as `nvidia.com/gpu` included. */
  limits?: ResourceAmounts;
  /** Dynamic resource allocation claims of the pod this container uses (`- name: gpu`). */
  claims?: KubernetesObject[];
}

/**
 * Amounts keyed by resource name: `cpu`, `memory`, `ephemeral-storage`, `hugepages-<size>` or an
 * extended resource (`nvidia.com/gpu`), each a Kubernetes quantity.
 * @propertyNames {"pattern": "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*[/])?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", "maxLength": 317}
 */
export interface ResourceAmounts {
  /**
   * A Kubernetes quantity (`2`, `500m`, `1Gi`).
   * @pattern ^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$
   */
  [resource: string]: string | number | undefined;
  /**
   * CPU in cores or millicores (`0.5`, `500m`).
   * @pattern ^([0-9]+(\.[0-9]+)?|[0-9]+m)$
   */
  cpu?: string | number;
  /**
   * Memory with a unit (`512Mi`, `1Gi`).
   * @pattern ^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$
   */
  memory?: string | number;
  /**
   * Local ephemeral storage with a unit.
   * @pattern ^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$
   */
  "ephemeral-storage"?: string | number;
}

/**
 * Annotations: keys are qualified names (`prefix/name`), values are free text.
 * @propertyNames {"pattern": "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*[/])?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", "maxLength": 317}
 */
export interface StringMap {
  [key: string]: string;
}

/**
 * Labels (or a node selector): keys are qualified names (`prefix/name`).
 * @propertyNames {"pattern": "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*[/])?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", "maxLength": 317}
 */
export interface Labels {
  [key: string]: string;
}

/**
 * Plain environment variables by name: names are C identifiers (letters, digits, `_`, `-`, `.`,
 * not starting with a digit), values are free text.
 * @propertyNames {"pattern": "^[-._a-zA-Z][-._a-zA-Z0-9]*$", "maxLength": 253}
 */
export interface EnvMap {
  [name: string]: string;
}

/**
 * A Kubernetes structure passed through to the manifest unchanged (affinity, a
 * volume, an envFrom source...). The API server validates it on apply.
 */
export interface KubernetesObject {
  [key: string]: unknown;
}

/** One environment variable, as in a Kubernetes container spec. */
export interface EnvVar {
  /**
   * Variable name.
   * @pattern ^[-._a-zA-Z][-._a-zA-Z0-9]*$
   * @maxLength 253
   */
  name: string;
  /** Literal value. Put credentials in a Secret and use `valueFrom` instead. */
  value?: string;
  /** Where the value comes from (`secretKeyRef`, `configMapKeyRef`, `fieldRef`, `resourceFieldRef`). */
  valueFrom?: KubernetesObject;
}

/** A container's security settings: every field of a Kubernetes SecurityContext. */
export interface ContainerSecurityContext {
  /** AppArmor profile of the container (`type`, `localhostProfile`), passed through as in Kubernetes. */
  appArmorProfile?: KubernetesObject;
  /** `Unmasked` shows the container the whole of /proc (needs the ProcMountType feature). */
  procMount?: "Default" | "Unmasked";
  /** SELinux context of the container. */
  seLinuxOptions?: SELinuxOptions;
  /** Windows-specific settings, passed through as in Kubernetes. */
  windowsOptions?: KubernetesObject;
  /** Whether a process can gain more privileges than its parent. */
  allowPrivilegeEscalation?: boolean;
  /** Run the container privileged. */
  privileged?: boolean;
  /** Mount the root filesystem read-only. */
  readOnlyRootFilesystem?: boolean;
  /** Refuse to start when the image would run as uid 0. */
  runAsNonRoot?: boolean;
  /**
   * User id of the main process.
   * @TJS-type integer
   * @minimum 0
   */
  runAsUser?: number;
  /**
   * Group id of the main process.
   * @TJS-type integer
   * @minimum 0
   */
  runAsGroup?: number;
  /** Linux capabilities to add and drop. */
  capabilities?: Capabilities;
  /** Seccomp profile. */
  seccompProfile?: SeccompProfile;
}

/** Linux capabilities. */
export interface Capabilities {
  /** Capabilities to add (for example `NET_BIND_SERVICE`). */
  add?: string[];
  /** Capabilities to drop (`ALL` for the restricted profile). */
  drop?: string[];
}

/** A seccomp profile reference. */
export interface SeccompProfile {
  /** `RuntimeDefault`, `Localhost` or `Unconfined`. */
  type: "RuntimeDefault" | "Localhost" | "Unconfined";
  /**
   * Profile path on the node, for `Localhost`.
   * @pattern ^[-_.+@/a-zA-Z0-9]+$
   * @maxLength 4096
   */
  localhostProfile?: string;
}

/** SELinux labels, as in Kubernetes. */
export interface SELinuxOptions {
  /**
   * SELinux level (for example `s0:c123,c456`).
   * @pattern ^[-_.:,a-zA-Z0-9]*$
   * @maxLength 253
   */
  level?: string;
  /**
   * SELinux role.
   * @pattern ^[-_.:,a-zA-Z0-9]*$
   * @maxLength 253
   */
  role?: string;
  /**
   * SELinux type (for example `spc_t`).
   * @pattern ^[-_.:,a-zA-Z0-9]*$
   * @maxLength 253
   */
  type?: string;
  /**
   * SELinux user.
   * @pattern ^[-_.:,a-zA-Z0-9]*$
   * @maxLength 253
   */
  user?: string;
}

/** The pod's security settings: every field of a Kubernetes PodSecurityContext. */
export interface PodSecurityContext {
  /** AppArmor profile of every container (`type`, `localhostProfile`), passed through as in Kubernetes. */
  appArmorProfile?: KubernetesObject;
  /** How volumes get the pod's SELinux label: `Recursive` relabels files, `MountOption` mounts with the label. */
  seLinuxChangePolicy?: "MountOption" | "Recursive";
  /** SELinux context of every container. */
  seLinuxOptions?: SELinuxOptions;
  /** How the first process's supplemental groups are computed. */
  supplementalGroupsPolicy?: "Merge" | "Strict";
  /**
   * Namespaced kernel parameters (`- name: net.ipv4.tcp_keepalive_time` / `value: "600"`), passed
   * through as in Kubernetes. The sandbox gateway adds its own two (the ephemeral port range
   * and the unprivileged port start) after these.
   */
  sysctls?: KubernetesObject[];
  /** Windows-specific settings, passed through as in Kubernetes. */
  windowsOptions?: KubernetesObject;
  /**
   * Group that owns mounted volumes.
   * @TJS-type integer
   * @minimum 0
   */
  fsGroup?: number;
  /** When the kubelet changes volume ownership to `fsGroup`. */
  fsGroupChangePolicy?: "OnRootMismatch" | "Always";
  /** Refuse to start containers that would run as uid 0. */
  runAsNonRoot?: boolean;
  /**
   * Default user id of every container.
   * @TJS-type integer
   * @minimum 0
   */
  runAsUser?: number;
  /**
   * Default group id of every container.
   * @TJS-type integer
   * @minimum 0
   */
  runAsGroup?: number;
  /** Extra group ids for every container. */
  supplementalGroups?: number[];
  /** Seccomp profile for every container. */
  seccompProfile?: SeccompProfile;
}

/** Timing of one HTTP probe on the app's health endpoint. */
export interface Probe {
  /** Render this probe. */
  enabled: boolean;
  /**
   * Seconds before the first check.
   * @TJS-type integer
   * @minimum 0
   */
  initialDelaySeconds: number;
  /**
   * Seconds between checks.
   * @TJS-type integer
   * @minimum 1
   */
  periodSeconds: number;
  /**
   * Seconds a check may take.
   * @TJS-type integer
   * @minimum 1
   */
  timeoutSeconds: number;
  /**
   * Failed checks in a row before the probe fails.
   * @TJS-type integer
   * @minimum 1
   */
  failureThreshold: number;
}

/** A PersistentVolumeClaim the chart creates, or an existing one it mounts. */
export interface Persistence {
  /** Mount a PersistentVolumeClaim. When false the data lives in an emptyDir and is lost with the pod. */
  enabled: boolean;
  /**
   * Name of an existing claim to mount instead of creating one (for example one kept from an earlier install).
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  existingClaim: string;
  /**
   * StorageClass of the new claim. Empty uses the cluster default; `-` asks for no class (static volumes).
   * @pattern ^$|^-$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  storageClass: string;
  /**
   * Access modes of the new claim.
   * @minItems 1
   */
  accessModes: ("ReadWriteOnce" | "ReadWriteOncePod" | "ReadWriteMany" | "ReadOnlyMany")[];
  /**
   * Requested size of the new claim.
   * @pattern ^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)$
   */
  size: string;
  /** Annotations of the new claim. */
  annotations: StringMap;
  /**
   * Bind the new claim to this PersistentVolume (a static volume, for example an NFS export
   * made by hand). With an empty `storageClass` the claim then asks for no class, as a
   * static volume usually has none. Set it at install: a claim's spec cannot change later.
   * @pattern ^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
   * @maxLength 253
   */
  volumeName: string;
  /**
   * Label selector the new claim's volume must match (`matchLabels`, `matchExpressions`),
   * to pick among static volumes. Kubernetes' LabelSelector, passed through.
   */
  selector: KubernetesObject;
  /**
   * Fill the new claim from a VolumeSnapshot or another claim when it is created (a
   * restore): for example `{kind: VolumeSnapshot, apiGroup: snapshot.storage.k8s.io, name: openhands-state-0601}`.
   * Passed through as Kubernetes' `dataSource`.
   */
  dataSource: KubernetesObject;
}
