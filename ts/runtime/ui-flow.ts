// Drives the OpenHands 1.11.0 web UI the way a user does: LLM settings, a new conversation,
// one message, the agent's reply and the command's output, and the VS Code link the app
// offers. Every step is screenshotted. Selectors are the UI's own data-testid attributes
// (release source: frontend/src), listed in `uiSelectors` with where each comes from.
import type { Page, Response } from "playwright-core";
import { describeSockets, stepper, type BrowserSession } from "./browser.ts";

/** The status line's title once the agent has answered (utils/status.ts). */
const agentFinished = 'span[title="Agent has finished the task."]';

/** The 1.11.0 UI's hooks, by step. */
export const uiSelectors = {
  /** First visit: analytics consent modal (components/features/analytics/analytics-consent-form-modal.tsx). */
  consentForm: '[data-testid="user-capture-consent-form"]',
  consentCheckbox: '[data-testid="user-capture-consent-form"] input[name="analytics"]',
  consentConfirm: '[data-testid="confirm-preferences"]',
  /** /settings opens on the LLM profiles list (components/features/settings/llm-profiles-manager.tsx). */
  addLlmProfile: '[data-testid="add-llm-profile"]',
  /** A stored profile (profile-row.tsx): name and model as title attributes, and the active badge. */
  profileRow: '[data-testid="profile-row"]',
  profileActiveBadge: '[data-testid="profile-active-badge"]',
  /** The LLM form (routes/llm-settings.tsx, sdk-settings/sdk-section-page.tsx, view-toggle.tsx). */
  llmSettingsScreen: '[data-testid="llm-settings-screen"]',
  advancedToggle: '[data-testid="sdk-section-advanced-toggle"]',
  customModelInput: '[data-testid="llm-custom-model-input"]',
  baseUrlInput: '[data-testid="base-url-input"]',
  apiKeyInput: '[data-testid="llm-api-key-input"]',
  saveButton: '[data-testid="save-button"]',
  /** Home (routes/home.tsx, components/features/home/new-conversation/*). */
  homeScreen: '[data-testid="home-screen"]',
  newConversation: '[data-testid="launch-new-conversation-button"]',
  /** Conversation (components/features/chat/*, components/v1/chat/*). */
  chatInput: '[data-testid="chat-input"]',
  /**
   * The agent status line beside the input carries its text as a title
   * (components/features/controls/agent-status.tsx, utils/status.ts); English texts.
   */
  agentIdle: `span[title="Waiting for task"], ${agentFinished}`,
  agentFinished,
  agentFailed: 'span[title="Error occurred"], [data-testid="circle-error-icon"]',
  sendButton: '[data-testid="submit-button"]',
  userMessage: '[data-testid="user-message"]',
  agentMessage: '[data-testid="agent-message"]',
  /** A collapsed event (command, observation) opens with its chevron (generic-event-message.tsx). */
  expandEvent: 'button[aria-label="Expand"]',
  /** Conversation tabs (conversation-tabs/conversation-tab-nav.tsx): data-testid="conversation-tab-<name>". */
  vscodeTab: '[data-testid="conversation-tab-vscode"]',
  terminalTab: '[data-testid="conversation-tab-terminal"]',
  /** The terminal tab is xterm.js with its DOM renderer (hooks/use-terminal.ts). */
  terminalRows: ".xterm-rows",
  /** The VS Code tab shows an iframe (same protocol) or an "open in new tab" button (routes/vscode-tab.tsx). */
  vscodeFrame: 'iframe[title="VS Code"]',
} as const;

export interface LlmSettings {
  /** As the app stores it, for example `openai/fake-model` (LiteLLM provider prefix). */
  model: string;
  baseUrl: string;
  apiKey: string;
}

export interface UiFlowOptions {
  /** The app as the browser reaches it, for example `https://openhands.example.com`. */
  appUrl: string;
  llm: LlmSettings;
  /** The user's first message. */
  message: string;
  /**
   * Text the command prints, looked for in the expanded command result and the Terminal
   * tab; keep it out of the reply and the command line so only the output can match.
   */
  expectOutput: string;
  /** Text of the agent's final reply. */
  expectReply: string;
  /** How long the conversation may take to start and answer; default 5 minutes. */
  conversationTimeoutMs?: number;
  /** What a failed step's message adds about the servers behind the page (logs, LLM calls). */
  context?: () => string;
}

export interface UiFlowResult {
  conversationId: string;
  conversationUrl: string;
  /** The VS Code URL the UI offers, or null with the UI's reason. */
  vscodeUrl: string | null;
  vscodeNote?: string;
  /** The sandbox URLs the app reported to the UI (`exposed_urls`), by name. */
  exposedUrls: Record<string, string>;
  /**
   * Null when the reply arrived live. Otherwise what the page showed when the status line said
   * the agent finished without the reply, which then came after one reload.
   */
  replyMissedLive: string | null;
  /** Milliseconds per step. */
  timings: Record<string, number>;
  screenshots: string[];
}

export async function runUiFlow(session: BrowserSession, options: UiFlowOptions): Promise<UiFlowResult> {
  const { page } = session;
  const appUrl = options.appUrl.replace(/\/$/, "");
  const timeout = options.conversationTimeoutMs ?? 300_000;
  const { step, timings, screenshots } = stepper(session, "UI", undefined, options.context);
  const exposedUrls = watchExposedUrls(page);

  await answerConsentWhenAsked(page);
  await step("home", () => openHome(page, appUrl));
  await step("llm-settings", () => fillLlmSettings(page, appUrl, options.llm));
  await step("llm-settings-saved", () => saveLlmSettings(page, options.llm));
  await step("conversation-started", () => startConversation(page, appUrl));
  const conversationUrl = await step("agent-ready", () => waitForAgentReady(page, timeout));
  await step("message-sent", () => sendMessage(page, options.message));
  const { missedLive } = await step("agent-replied", () => waitForReply(session, options.expectReply, timeout));
  await step("command-output", () => revealText(page, options.expectOutput));
  await step("terminal", () => readTerminal(page, options.expectOutput));
  const vscode = await step("vscode", () => readVsCodeUrl(page));

  return {
    conversationId: new URL(conversationUrl).pathname.split("/").pop() ?? "",
    conversationUrl,
    vscodeUrl: vscode.url,
    vscodeNote: vscode.note,
    exposedUrls,
    replyMissedLive: missedLive,
    timings,
    screenshots,
  };
}

/** The analytics consent modal comes up over any page until answered; answer it (no) whenever it blocks an action. */
export async function answerConsentWhenAsked(page: Page): Promise<void> {
  await page.addLocatorHandler(page.locator(uiSelectors.consentForm), async () => {
    const box = page.locator(uiSelectors.consentCheckbox);
    if (await box.isChecked()) await box.uncheck();
    await page.locator(uiSelectors.consentConfirm).click();
  });
}

export async function openHome(page: Page, appUrl: string): Promise<void> {
  await page.goto(`${appUrl}/`);
  await page.locator(uiSelectors.homeScreen).waitFor({ timeout: 60_000 });
}

/** Settings > LLM: a new profile in the Advanced view (custom model, base URL, API key). */
export async function fillLlmSettings(page: Page, appUrl: string, llm: LlmSettings): Promise<void> {
  await page.goto(`${appUrl}/settings`);
  const addProfile = page.locator(uiSelectors.addLlmProfile);
  const form = page.locator(uiSelectors.llmSettingsScreen);
  await addProfile.or(form).first().waitFor({ timeout: 60_000 });
  if (await addProfile.isVisible()) await addProfile.click();
  await form.waitFor();
  await page.locator(uiSelectors.advancedToggle).click();
  await page.locator(uiSelectors.customModelInput).fill(llm.model);
  await page.locator(uiSelectors.baseUrlInput).fill(llm.baseUrl);
  await page.locator(uiSelectors.apiKeyInput).fill(llm.apiKey);
}

/** Saves the form; the app stores it as a profile and makes it the active one. */
export async function saveLlmSettings(page: Page, llm: LlmSettings): Promise<void> {
  const saved = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/api/v1/settings", { timeout: 30_000 });
  await page.locator(uiSelectors.saveButton).click();
  const response = await saved;
  if (!response.ok()) throw new Error(`saving settings answered ${response.status()}: ${await response.text()}`);
  // Then the UI stores the profile, activates it and goes back to the profiles list (leaving
  // the page earlier would cancel those requests).
  const row = page.locator(uiSelectors.profileRow).filter({ has: page.locator(`[title="${llm.model}"]`) });
  await row.locator(uiSelectors.profileActiveBadge).waitFor({ timeout: 30_000 });
}

/** Home > New conversation; the page moves to /conversations/task-<id> while the app starts it. */
export async function startConversation(page: Page, appUrl: string): Promise<void> {
  await page.goto(`${appUrl}/`);
  await page.locator(uiSelectors.newConversation).click();
  await page.waitForURL(/\/conversations\/[^/]+$/, { timeout: 60_000 });
}

/**
 * Waits for "Waiting for task" ("Starting conversation...", "Waiting for sandbox" come
 * first) and for the address to carry the conversation id instead of the start task's.
 * Returns the conversation's URL.
 */
export async function waitForAgentReady(page: Page, timeout: number): Promise<string> {
  const idle = page.locator(uiSelectors.agentIdle);
  const failed = page.locator(uiSelectors.agentFailed);
  await idle.or(failed).first().waitFor({ timeout });
  if (await failed.count()) throw new Error(`the conversation failed to start: ${await agentStatusText(page)}`);
  await page.waitForURL((url) => /\/conversations\/(?!task-)[^/]+$/.test(url.pathname), { timeout: 30_000 });
  return page.url();
}

export async function sendMessage(page: Page, message: string): Promise<void> {
  const input = page.locator(uiSelectors.chatInput);
  await input.click();
  await input.pressSequentially(message);
  await page.locator(uiSelectors.sendButton).click();
  await page.locator(uiSelectors.userMessage, { hasText: message }).waitFor({ timeout: 30_000 });
}

/**
 * Waits for the agent's reply with `text`. Once the status line says the agent finished, the
 * reply gets 30 s more to show, so a wrong reply fails then instead of after `timeout`. If the
 * status says finished and the reply is missing, the page is reloaded once, as a user would:
 * the UI then reads the conversation's events afresh. `missedLive` tells what the page showed
 * before the reload (the agent messages, the status and the websockets), or is null.
 */
export async function waitForReply(session: BrowserSession, text: string, timeout: number): Promise<{ missedLive: string | null }> {
  const { page } = session;
  const reply = page.locator(uiSelectors.agentMessage, { hasText: text }).first();
  const finished = page.locator(uiSelectors.agentFinished);
  const shown = async () => {
    const messages = await page.locator(uiSelectors.agentMessage).allInnerTexts().catch(() => []);
    return `agent messages shown: ${JSON.stringify(messages)}\nstatus: ${await agentStatusText(page)}`;
  };
  try {
    await reply.or(finished).first().waitFor({ timeout });
    await reply.waitFor({ timeout: 30_000 });
    return { missedLive: null };
  } catch (error) {
    const before = `${await shown()}\n${describeSockets(session.sockets)}`;
    if (!(await finished.count())) throw new Error(`${(error as Error).message}\n${before}`);
    await page.reload();
    try {
      await reply.waitFor({ timeout: 60_000 });
    } catch (again) {
      throw new Error(`${(again as Error).message}\nbefore the reload: ${before}\nafter the reload: ${await shown()}`);
    }
    return { missedLive: before };
  }
}

/**
 * A reply the page showed only after a reload: a short note in `notes` (the run's report row)
 * and, in the log, what the page showed before it. `who` names the run ("hardened: after-restart").
 */
export function noteMissedLive(notes: string[], who: string, missedLive: string | null): void {
  if (!missedLive) return;
  notes.push(`${who}: reply shown only after a reload`);
  console.warn(`${who}: the status said the agent finished, without the reply; the reply came after a reload. Before it:\n${missedLive}`);
}

/** Opens collapsed events (a command and its result) until the text shows. */
export async function revealText(page: Page, text: string): Promise<void> {
  const found = page.getByText(text, { exact: false });
  for (let attempt = 0; attempt < 20 && !(await anyVisible(found)); attempt++) {
    const collapsed = page.locator(uiSelectors.expandEvent);
    if ((await collapsed.count()) === 0) break;
    await collapsed.first().click();
  }
  await found.first().waitFor({ timeout: 30_000 });
}

/** The status line's text, for failure messages. */
async function agentStatusText(page: Page): Promise<string> {
  const titles = await page.locator("span[title]").evaluateAll((spans) => spans.map((s) => s.getAttribute("title") ?? ""));
  return titles.filter(Boolean).join(" | ");
}

async function anyVisible(locator: ReturnType<Page["getByText"]>): Promise<boolean> {
  const count = await locator.count();
  for (let i = 0; i < count; i++) if (await locator.nth(i).isVisible()) return true;
  return false;
}

/** Opens the Terminal tab and waits for the text in its rows. */
export async function readTerminal(page: Page, text: string): Promise<void> {
  await page.locator(uiSelectors.terminalTab).click();
  await page.locator(uiSelectors.terminalRows).filter({ hasText: text }).waitFor({ timeout: 30_000 });
}

/** Opens the VS Code tab and reads the URL the UI would load (iframe) or open (new tab). */
export async function readVsCodeUrl(page: Page): Promise<{ url: string | null; note?: string }> {
  // Catch window.open from the "open in new tab" button instead of opening a tab.
  await page.evaluate(() => {
    const w = window as unknown as { __openedUrls: string[] };
    w.__openedUrls = [];
    window.open = ((url?: string | URL) => {
      w.__openedUrls.push(String(url));
      return null;
    }) as typeof window.open;
  });
  await page.locator(uiSelectors.vscodeTab).click();
  const frame = page.locator(uiSelectors.vscodeFrame);
  const newTab = page.getByRole("button", { name: "Open in New Tab" });
  const unavailable = page.getByText("VS Code URL not available");
  await frame.or(newTab).or(unavailable).first().waitFor({ timeout: 60_000 });
  if (await frame.count()) return { url: await frame.first().getAttribute("src") };
  if (await newTab.count()) {
    await newTab.first().click();
    const opened = await page.evaluate(() => (window as unknown as { __openedUrls: string[] }).__openedUrls);
    return { url: opened[0] ?? null, note: "offered as a new tab (cross-protocol)" };
  }
  return { url: null, note: (await unavailable.first().textContent())?.trim() };
}

/** Sandbox URLs (`exposed_urls`) the app tells the UI, by name, as they arrive. */
export function watchExposedUrls(page: Page): Record<string, string> {
  const urls: Record<string, string> = {};
  page.on("response", (response) => void collectExposedUrls(response, urls));
  return urls;
}

async function collectExposedUrls(response: Response, into: Record<string, string>): Promise<void> {
  if (!/\/api\/v1\/sandboxes/.test(response.url()) || !response.ok()) return;
  try {
    const body = (await response.json()) as unknown;
    const items = Array.isArray(body) ? body : ((body as { items?: unknown[] }).items ?? []);
    for (const item of items as { exposed_urls?: { name: string; url: string }[] | null }[]) {
      for (const exposed of item?.exposed_urls ?? []) into[exposed.name] = exposed.url;
    }
  } catch {
    // not JSON (an error page): nothing to collect
  }
}
