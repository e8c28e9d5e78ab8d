// Once per `npm test`: drop render cache entries no run has used for two weeks.
import { pruneRenderCache } from "../ts/lib/render-cache.ts";

export default function setup(): void {
  pruneRenderCache();
}
