// `npm run node -- up|down|status|build`: the single-node Kubernetes of the runtime suite, by hand.
// `up` leaves it running (print the kubeconfig), `down` removes every trace, `status` lists what runs.
import { nodeStatus, prepareNode, startNode, stopNode } from "../runtime/node/node.ts";
import { adminKubeconfig, dirs, netnsPath, network } from "../runtime/node/layout.ts";

const command = process.argv[2] ?? "status";
const started = Date.now();
const took = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
if (command === "build") {
  await prepareNode();
  console.log(`binaries, images and packages ready in ${took()}`);
} else if (command === "up") {
  await startNode();
  console.log(`node up in ${took()}; logs in ${dirs.logs}`);
  console.log(`export KUBECONFIG=${adminKubeconfig}`);
  console.log(`inside the node's network (ClusterIPs, pod IPs): nsenter --net=${netnsPath} -- <command>`);
  console.log(`pods reach this machine at ${network.hostIp}; NodePorts answer at ${network.nodeIp}`);
} else if (command === "down") {
  await stopNode();
  console.log(`node down in ${took()}; left: ${JSON.stringify(nodeStatus())}`);
} else if (command === "status") {
  console.log(JSON.stringify(nodeStatus(), null, 2));
} else {
  console.error("usage: npm run node -- up|down|status|build");
  process.exit(2);
}
