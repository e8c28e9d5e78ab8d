// One scripted exchange for the suites that drive the UI against the scripted LLM: the agent
// runs a command whose output is computed (so it differs from the command text the UI also
// shows), and the reply quotes only the number, so the marker itself can match nothing but the
// command's output.
import { randomInt } from "node:crypto";
import type { FakeLlmOptions } from "./fake-llm.ts";
import type { UiFlowOptions } from "./ui-flow.ts";

export interface MarkerConversation {
  /** What the command prints, e.g. `process-mode-1235-marker`. */
  expectedOutput: string;
  apiKey: string;
  /** The model as the LLM receives it (LiteLLM strips the `openai/` prefix the UI stores). */
  modelName: string;
  /** The scripted LLM's side (command, final reply, title). */
  script: FakeLlmOptions;
  /** The user's side, for runUiFlow: LLM settings entered in the UI, the message, what to see. */
  uiFlow(appUrl: string, llmBaseUrl: string): UiFlowOptions;
}

/** A marker exchange named `<name>` (used in the command, key and model), with the LLM's title. */
export function markerConversation(name: string, title: string): MarkerConversation {
  const seed = randomInt(1000, 9999);
  const apiKey = `sk-${name}-${seed}`;
  const modelName = `${name}-model`;
  const reply = (number: string) => `The sandbox computed ${number}`;
  return {
    expectedOutput: `${name}-${seed + 1}-marker`,
    apiKey,
    modelName,
    script: {
      command: `echo ${name}-$((${seed} + 1))-marker`,
      finishMessage: (output) => reply(output.match(new RegExp(`${name}-(\\d+)-marker`))?.[1] ?? "nothing"),
      title,
    },
    uiFlow: (appUrl, llmBaseUrl) => ({
      appUrl,
      llm: { model: `openai/${modelName}`, baseUrl: llmBaseUrl, apiKey },
      message: "Please run the marker command.",
      expectOutput: `${name}-${seed + 1}-marker`,
      expectReply: reply(String(seed + 1)),
    }),
  };
}
