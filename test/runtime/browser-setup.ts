// Runs once before the runtime suites: the browser they drive must be on the machine.
import { ensureChromium } from "../../ts/runtime/chromium-package.ts";

export default async function setup(): Promise<void> {
  await ensureChromium();
}
