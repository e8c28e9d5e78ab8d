// Classifies pods against the Kubernetes Pod Security Standards (baseline and
// restricted, as the PodSecurity admission plugin checks them).
import type { Container, PodSpec } from "./workload.ts";

export type Level = "restricted" | "baseline" | "privileged";

const baselineCapabilities = new Set([
  "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
  "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
]);
const restrictedVolumeTypes = new Set([
  "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
]);
const safeSysctls = new Set([
  "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
]);

type SecurityContext = Record<string, any>;

function allContainers(pod: PodSpec): Container[] {
  return [...(pod.initContainers ?? []), ...pod.containers, ...((pod.ephemeralContainers as Container[]) ?? [])];
}

/** Why the pod fails the baseline profile (empty when it passes). */
export function baselineViolations(pod: PodSpec): string[] {
  const out: string[] = [];
  const podSc: SecurityContext = (pod.securityContext as SecurityContext) ?? {};
  for (const field of ["hostNetwork", "hostPID", "hostIPC"]) if (pod[field] === true) out.push(`pod ${field}`);
  for (const v of pod.volumes ?? []) if (v.hostPath) out.push(`volume ${v.name} is hostPath`);
  if (podSc.seccompProfile?.type === "Unconfined") out.push("pod seccompProfile Unconfined");
  for (const s of podSc.sysctls ?? []) if (!safeSysctls.has(s.name)) out.push(`unsafe sysctl ${s.name}`);
  if (podSc.seLinuxOptions?.type && !["container_t", "container_init_t", "container_kvm_t", "container_engine_t"].includes(podSc.seLinuxOptions.type)) out.push("pod seLinux type");
  for (const c of allContainers(pod)) {
    const sc: SecurityContext = c.securityContext ?? {};
    if (sc.privileged === true) out.push(`${c.name} privileged`);
    for (const cap of sc.capabilities?.add ?? []) if (!baselineCapabilities.has(cap)) out.push(`${c.name} adds ${cap}`);
    for (const p of (c.ports ?? []) as { hostPort?: number }[]) if (p.hostPort) out.push(`${c.name} hostPort ${p.hostPort}`);
    if (sc.seccompProfile?.type === "Unconfined") out.push(`${c.name} seccompProfile Unconfined`);
    if (sc.procMount && sc.procMount !== "Default") out.push(`${c.name} procMount ${sc.procMount}`);
    if (sc.appArmorProfile?.type === "Unconfined") out.push(`${c.name} AppArmor Unconfined`);
  }
  return out;
}

/** Why the pod fails the restricted profile on top of baseline (empty when it passes). */
export function restrictedViolations(pod: PodSpec): string[] {
  const out = baselineViolations(pod);
  const podSc: SecurityContext = (pod.securityContext as SecurityContext) ?? {};
  for (const v of pod.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (!type || !restrictedVolumeTypes.has(type)) out.push(`volume ${v.name} type ${type}`);
  }
  if (podSc.runAsUser === 0) out.push("pod runAsUser 0");
  for (const c of allContainers(pod)) out.push(...restrictedContainerViolations(c, podSc));
  return out;
}

/** Container-level restricted checks, given the pod's security context for inherited fields. */
export function restrictedContainerViolations(c: Container, podSc: SecurityContext = {}): string[] {
  const out: string[] = [];
  const sc: SecurityContext = c.securityContext ?? {};
  if (sc.privileged === true) out.push(`${c.name} privileged`);
  if (sc.allowPrivilegeEscalation !== false) out.push(`${c.name} allowPrivilegeEscalation is not false`);
  if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true) out.push(`${c.name} runAsNonRoot is not true`);
  if (sc.runAsUser === 0) out.push(`${c.name} runAsUser 0`);
  const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
  if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") out.push(`${c.name} seccompProfile is ${seccomp ?? "unset"}`);
  if (!(sc.capabilities?.drop ?? []).includes("ALL")) out.push(`${c.name} does not drop ALL capabilities`);
  for (const cap of sc.capabilities?.add ?? []) if (cap !== "NET_BIND_SERVICE") out.push(`${c.name} adds ${cap}`);
  return out;
}

/** The tightest level the pod meets. */
export function podSecurityLevel(pod: PodSpec): Level {
  if (restrictedViolations(pod).length === 0) return "restricted";
  if (baselineViolations(pod).length === 0) return "baseline";
  return "privileged";
}

/** The level the chart documents for each sandbox mode (README, "Sandboxes"); `dind+sysbox` is dind with `dind.sysbox.enabled`. */
export const documentedLevel: Record<string, Level> = {
  dind: "privileged",
  "dind+sysbox": "baseline",
  process: "restricted",
  remoteDocker: "restricted",
  kubernetes: "restricted",
  hostDocker: "privileged",
  // Agent Canvas (app: canvas), by canvas.runtime.
  "canvas:local": "restricted",
  "canvas:docker": "privileged",
};
