// What the runtime suite proves for each chart preset: the suite that holds it (a real
// conversation, or for dind-cleanup the cleanup against the real daemon), or why it is not run
// on this machine. Every preset is in exactly one of the two maps (test/runtime-coverage.test.ts),
// and the runtime report lists the second with its reason, so a gap is never silent.

/** Preset name to the runtime suite that runs it. */
export const heldBy: Record<string, string> = {
  default: "conversation",
  "oauth2-proxy": "conversation",
  "v1-dind-gateway": "conversation",
  "v1-process": "process-mode",
  "v1-host-docker": "conversation",
  "remote-docker": "conversation",
  "network-policy": "conversation",
  tunnel: "conversation",
  hardened: "conversation",
  "gateway-api": "conversation",
  "blog-dind": "blog-dind",
  lolice: "lolice",
  "external-secrets-store": "external-secrets-store",
  "v0-kubernetes-runtime": "v0-kubernetes-runtime",
  "dind-cleanup": "dind-cleanup",
  canvas: "canvas",
  "canvas-docker": "canvas",
  "canvas-tunnel": "canvas-tunnel",
};

/** Preset name to the reason the runtime suite does not run it here. */
export const notRunHere: Record<string, string> = {
  sysbox: "needs the Sysbox runtime (sysbox-runc, sysbox-fs, sysbox-mgr) on the node: Debian does not package it and the Go module proxy refuses its modules here. Without it the preset's DinD sidecar, unprivileged by design, cannot run a Docker daemon",
};

/** Report rows for the presets the suite does not run here. */
export function notRunRows(): { preset: string; reason: string }[] {
  return Object.entries(notRunHere).map(([preset, reason]) => ({ preset, reason }));
}
