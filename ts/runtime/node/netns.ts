// The node's network namespace: a veth pair joins it to the host (host side hostIp, node side
// nodeIp); forwarding, bridge netfilter and NAT are switched on inside it only. Nothing in the
// host's namespace changes beyond the host end of the veth.
import { existsSync } from "node:fs";
import { execa } from "execa";
import { network, netnsPath } from "./layout.ts";

/** What the node's command helpers accept and return (a narrow slice of execa's). */
export interface RunOptions {
  reject?: boolean;
  input?: string;
  inputFile?: string;
  timeout?: number;
  env?: NodeJS.ProcessEnv;
}
export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode?: number;
}

/**
 * Runs a command in the node's network namespace. nsenter --net joins only the network
 * namespace; `ip netns exec` would also remount /sys and hide the cgroup mounts the kubelet needs.
 */
export function inNode(command: string, args: string[] = [], options: RunOptions = {}): Promise<RunResult> {
  return execa("nsenter", [`--net=${netnsPath}`, "--", command, ...args], options);
}

/** The argv that runs a command in the node's network namespace (for spawn). */
export function inNodeArgv(command: string, args: string[] = []): [string, string[]] {
  return ["nsenter", [`--net=${netnsPath}`, "--", command, ...args]];
}

export function netnsExists(): boolean {
  return existsSync(netnsPath);
}

export async function createNetns(): Promise<void> {
  if (netnsExists()) await deleteNetns();
  const ip = (...args: string[]) => execa("ip", args);
  await ip("netns", "add", network.netns);
  await ip("link", "add", network.hostVeth, "type", "veth", "peer", "name", network.nodeVeth);
  await ip("link", "set", network.nodeVeth, "netns", network.netns);
  await ip("addr", "add", `${network.hostIp}/${network.prefix}`, "dev", network.hostVeth);
  await ip("link", "set", network.hostVeth, "up");
  const node = (...args: string[]) => inNode(args[0], args.slice(1));
  await node("ip", "link", "set", "lo", "up");
  await node("ip", "addr", "add", `${network.nodeIp}/${network.prefix}`, "dev", network.nodeVeth);
  await node("ip", "link", "set", network.nodeVeth, "up");
  await node("ip", "route", "add", "default", "via", network.hostIp);
  await node("sysctl", "-qw", "net.ipv4.ip_forward=1");
  // Service traffic between pods on the bridge must pass kube-proxy's iptables rules.
  await execa("modprobe", ["br_netfilter"], { reject: false });
  await node("sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=1");
  await node("sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1");
}

export async function deleteNetns(): Promise<void> {
  await execa("ip", ["netns", "delete", network.netns], { reject: false });
  await execa("ip", ["link", "delete", network.hostVeth], { reject: false });
}
