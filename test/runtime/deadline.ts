// Where the runtime suite's deadline runner (deadline-runner.ts) lists what it did not start.
import path from "node:path";
import { reportDir } from "../../ts/runtime/browser.ts";

export const notStartedFile = process.env.RUNTIME_NOT_STARTED_FILE ?? path.join(reportDir, "not-started.txt");
