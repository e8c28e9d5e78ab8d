// Agent Canvas on the real node as ci/canvas-values.yaml installs it: agents in the Canvas container.
import { canvasOnNode } from "./canvas-node.ts";

canvasOnNode({ preset: "canvas", runtime: "local" });
