// A second machine on the node's LAN, for sandbox mode remoteDocker: a network namespace
// joined to the node's by a veth pair, with its own Docker daemon on TCP with TLS. Pods reach
// it through the node (the CNI bridge masquerades them to the node's end of the link); its
// containers reach the node's addresses (and so a NodePort) the same way back, and the host
// (where the scripted LLM listens) through the node, masqueraded as the node.
import { execa } from "execa";
import { startDockerDaemon, type DockerDaemon } from "../docker-daemon.ts";
import { mutualTls, type MutualTls } from "../tls-cert.ts";
import { network } from "./layout.ts";
import { inNode } from "./netns.ts";

export const remoteMachine = {
  netns: "openhands-remote",
  nodeVeth: "ohremote0",
  remoteVeth: "ohremote1",
  /** The node's address on the link. */
  nodeSideIp: "10.201.0.1",
  /** The remote machine's address: its daemon's TCP port and the sandbox ports it publishes. */
  ip: "10.201.0.2",
  prefix: 24,
} as const;

const remoteNetnsPath = `/run/netns/${remoteMachine.netns}`;

export interface RemoteMachine {
  ip: string;
  /** DOCKER_HOST as a client elsewhere on the LAN uses it. */
  dockerHost: string;
  /** The daemon's CA and a client certificate (ca.pem, cert.pem, key.pem of DOCKER_CERT_PATH). */
  tls: MutualTls;
  daemon: DockerDaemon;
  stop(): Promise<void>;
}

/** The node masquerades the machine's traffic to the host, which has no route back to the link. */
const masquerade = (action: "-A" | "-D") => ["-t", "nat", action, "POSTROUTING", "-s", `${remoteMachine.ip}/32`, "-o", network.nodeVeth, "-j", "MASQUERADE"];

async function deleteNetns(): Promise<void> {
  await inNode("iptables", masquerade("-D"), { reject: false });
  await execa("ip", ["netns", "delete", remoteMachine.netns], { reject: false });
  await inNode("ip", ["link", "delete", remoteMachine.nodeVeth], { reject: false });
}

/** Creates the machine and starts its daemon; needs the node's network namespace. */
export async function startRemoteMachine(): Promise<RemoteMachine> {
  await deleteNetns();
  const ip = (...args: string[]) => execa("ip", args);
  const remote = (...args: string[]) => execa("nsenter", [`--net=${remoteNetnsPath}`, "--", ...args]);
  await ip("netns", "add", remoteMachine.netns);
  await inNode("ip", ["link", "add", remoteMachine.nodeVeth, "type", "veth", "peer", "name", remoteMachine.remoteVeth]);
  await inNode("ip", ["link", "set", remoteMachine.remoteVeth, "netns", remoteMachine.netns]);
  await inNode("ip", ["addr", "add", `${remoteMachine.nodeSideIp}/${remoteMachine.prefix}`, "dev", remoteMachine.nodeVeth]);
  await inNode("ip", ["link", "set", remoteMachine.nodeVeth, "up"]);
  await remote("ip", "link", "set", "lo", "up");
  await remote("ip", "addr", "add", `${remoteMachine.ip}/${remoteMachine.prefix}`, "dev", remoteMachine.remoteVeth);
  await remote("ip", "link", "set", remoteMachine.remoteVeth, "up");
  await remote("ip", "route", "add", "default", "via", remoteMachine.nodeSideIp);
  await inNode("iptables", masquerade("-A"));
  const tls = await mutualTls([remoteMachine.ip]);
  const daemon = await startDockerDaemon("remote", { netns: remoteNetnsPath, tls });
  return {
    ip: remoteMachine.ip,
    dockerHost: `tcp://${remoteMachine.ip}:2376`,
    tls,
    daemon,
    async stop() {
      await daemon.stop();
      await deleteNetns();
    },
  };
}
