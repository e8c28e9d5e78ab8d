// When the scripted models (fake-llm.ts, fake-bedrock.ts) run their command again. OpenHands
// 0.x's shell now and then returns a command's observation without its output (upstream's
// issue 6292, "[Command finished execution with no output]"; its bash session decides a command
// is done from what the tmux pane shows). A model would run the command again; with
// `expectedOutput` set, so does the script, a bounded number of times.

/** How many times a turn runs its command at most. */
export const maxCommandRuns = 3;

/** Whether the script answers a tool result with its command again rather than `finish`. */
export function runsCommandAgain(expectedOutput: string | undefined, runsSoFar: number, lastOutput: string): boolean {
  return expectedOutput !== undefined && runsSoFar < maxCommandRuns && !lastOutput.includes(expectedOutput);
}
