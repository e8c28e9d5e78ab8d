// Agent Canvas on the real node as ci/canvas-docker-values.yaml installs it: one container of
// the DinD sidecar's daemon per conversation.
import { canvasOnNode } from "./canvas-node.ts";

canvasOnNode({ preset: "canvas-docker", runtime: "docker" });
