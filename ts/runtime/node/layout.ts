// Where the node lives: its network, its directories and the names of its own images. One
// node per machine (fixed network namespace and addresses); everything it creates is under
// these paths or in its network namespace, so teardown knows exactly what to remove.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const nodeName = "openhands-node";

export const network = {
  /** Network namespace holding every daemon and pod of the node. */
  netns: "openhands-node",
  hostVeth: "ohnode0",
  nodeVeth: "ohnode1",
  hostIp: "10.200.0.1",
  nodeIp: "10.200.0.2",
  prefix: 24,
  podCidr: "10.244.0.0/16",
  podSubnet: "10.244.0.0/24",
  podGateway: "10.244.0.1",
  serviceCidr: "10.96.0.0/16",
  apiServiceIp: "10.96.0.1",
  dnsIp: "10.96.0.10",
} as const;

export const netnsPath = `/run/netns/${network.netns}`;

/** Persistent state (containerd content, kubelet, etcd, volumes), wiped at each start. */
export const stateDir = process.env.OPENHANDS_NODE_STATE ?? "/var/lib/openhands-node";
/** Sockets and containerd's runtime state. */
export const runDir = "/run/openhands-node";
export const dirs = {
  state: stateDir,
  run: runDir,
  pki: path.join(stateDir, "pki"),
  config: path.join(stateDir, "config"),
  logs: path.join(stateDir, "logs"),
  pids: path.join(runDir, "pids"),
} as const;

export const containerdSocket = path.join(runDir, "containerd", "containerd.sock");
export const adminKubeconfig = path.join(dirs.pki, "admin.kubeconfig");

/** References of the node's own images (made locally, never pulled). */
export const systemImages = {
  pause: "localhost/openhands-node/pause:1",
  busybox: "localhost/openhands-node/busybox:1",
  coredns: "localhost/openhands-node/coredns:1",
  localPath: "localhost/openhands-node/local-path-provisioner:1",
} as const;

const here = path.dirname(fileURLToPath(import.meta.url));

/** A config or manifest shipped next to this module, with its {{NAME}} placeholders filled. */
export function renderConfig(relative: string, extra: Record<string, string> = {}): string {
  const values: Record<string, string> = {
    STATE: dirs.state,
    RUN: dirs.run,
    PKI: dirs.pki,
    CONFIG: dirs.config,
    NODE_NAME: nodeName,
    NODE_IP: network.nodeIp,
    POD_CIDR: network.podCidr,
    POD_SUBNET: network.podSubnet,
    POD_GATEWAY: network.podGateway,
    DNS_IP: network.dnsIp,
    PAUSE_IMAGE: systemImages.pause,
    BUSYBOX_IMAGE: systemImages.busybox,
    COREDNS_IMAGE: systemImages.coredns,
    LOCAL_PATH_IMAGE: systemImages.localPath,
    ...extra,
  };
  return readFileSync(path.join(here, relative), "utf8").replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`${relative}: no value for {{${name}}}`);
    return values[name];
  });
}
