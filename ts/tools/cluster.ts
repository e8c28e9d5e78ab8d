// `npm run cluster -- build`: builds (or finds cached) etcd, kube-apiserver and
// kube-controller-manager. `npm run cluster -- start`: runs them until interrupted and prints
// the kubeconfig, for trying the chart by hand.
import { build, start } from "../lib/control-plane.ts";

const command = process.argv[2] ?? "start";
if (command === "build") {
  await build();
} else if (command === "start") {
  const plane = await start();
  console.log(`export KUBECONFIG=${plane.kubeconfig}`);
  const shutdown = async () => {
    await plane.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  await new Promise(() => {});
} else {
  console.error("usage: npm run cluster -- build|start");
  process.exit(2);
}
