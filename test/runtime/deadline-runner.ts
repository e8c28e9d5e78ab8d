// The runtime suite's test runner: vitest's own, except that once RUNTIME_DEADLINE (seconds
// since the epoch) has passed it starts no further file and no further top-level describe (one
// preset's conversation, one variant). .ci/run sets the deadline so the run ends within CI's
// time on a slow machine. What is not started is reported as skipped, and each is named, with
// the reason, in runtime-report/not-started.txt and at the end of the run. Unset, all runs.
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Suite, Task } from "@vitest/runner";
import { VitestTestRunner } from "vitest/runners";
import { notStartedFile } from "./deadline.ts";

/** Marks `task` and everything in it skipped; returns its tests. */
function skipAll(task: Task): Task[] {
  task.mode = "skip";
  if (task.type === "suite") return task.tasks.flatMap(skipAll);
  task.result = { state: "skip" };
  return [task];
}

type TaskUpdate = (packs: [string, Task["result"], Task["meta"]][], events: [string, "test-finished", undefined][]) => Promise<void>;

export default class DeadlineRunner extends VitestTestRunner {
  override async onBeforeRunSuite(suite: Suite): Promise<void> {
    const deadline = Number(process.env.RUNTIME_DEADLINE) || undefined;
    // The file, or a describe directly in it (vitest gives those no parent suite, or the file).
    const topLevel = suite.file === suite || suite.suite === undefined || suite.suite === suite.file;
    if (deadline !== undefined && topLevel && suite.mode === "run" && Date.now() / 1000 > deadline) {
      // A skipped suite's tests are not run, so vitest sends no result for them: this does.
      const tests = skipAll(suite);
      await (this as unknown as { onTaskUpdate?: TaskUpdate }).onTaskUpdate?.(
        tests.map((t) => [t.id, t.result, t.meta]),
        tests.map((t) => [t.id, "test-finished", undefined]),
      );
      const name = suite.file === suite ? path.basename(suite.file.filepath) : `${path.basename(suite.file.filepath)} > ${suite.name}`;
      const line = `${name}: not started, RUNTIME_DEADLINE passed ${Math.round(Date.now() / 1000 - deadline)} s earlier`;
      console.log(`runtime suite: ${line}`);
      mkdirSync(path.dirname(notStartedFile), { recursive: true });
      appendFileSync(notStartedFile, `${line}\n`);
    }
    await super.onBeforeRunSuite(suite);
  }
}
