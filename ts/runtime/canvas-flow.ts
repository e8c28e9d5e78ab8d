// Drives the Agent Canvas 1.20.0 UI (the npm package's build) the way a user does: the key
// entry of the key-free page, the telemetry question, the first-run onboarding (skipped), an
// LLM profile in Settings > LLM, a conversation from the home screen's chat box, the agent's
// reply, and the conversation list. Selectors are the UI's own data-testid attributes, read
// from the running UI (DOM dumps and screenshots under runtime-report/screenshots/).
import type { Page, Response } from "playwright-core";
import { stepper as browserStepper, type BrowserSession } from "./browser.ts";

/** The 1.20.0 UI's hooks, by step. */
export const canvasSelectors = {
  /**
   * The onboarding's first step: "Check your backend" while it checks the one the page came
   * with, "Add a backend" (host, API key) on a page without the key (--auth-required).
   */
  backendStep: '[data-testid="onboarding-step-check-backend"]',
  backendChecking: '[data-testid="onboarding-backend-checking"]',
  backendHost: '[data-testid="onboarding-backend-host"]',
  backendApiKey: '[data-testid="onboarding-backend-api-key"]',
  backendNext: '[data-testid="onboarding-backend-next"]',
  /** The first-run onboarding (agent, LLM, first message) and its way out. */
  onboarding: '[data-testid="onboarding-modal"]',
  onboardingSkip: '[data-testid="onboarding-skip"]',
  /** The analytics question, asked even when the page is marked do-not-track. */
  consentForm: '[data-testid="telemetry-consent-form"]',
  consentCheckbox: '[data-testid="telemetry-consent-form"] input[name="analytics"]',
  consentConfirm: '[data-testid="confirm-telemetry-preferences"]',
  /** The app shell once a backend is connected. */
  rootLayout: '[data-testid="root-layout"]',
  backendConnected: '[data-testid="backend-status-dot"][aria-label="Connected"]',
  homeScreen: '[data-testid="home-screen"]',
  llmNotConfigured: '[data-testid="home-llm-not-configured-banner"]',
  /** Settings > LLM: the profile list and the profile editor. */
  addLlmProfile: '[data-testid="add-llm-profile"]',
  profileName: '[data-testid="profile-name-input"]',
  advancedToggle: '[data-testid="sdk-section-advanced-toggle"]',
  customModel: '[data-testid="llm-custom-model-input"]',
  baseUrl: '[data-testid="base-url-input"]',
  apiKey: '[data-testid="llm-api-key-input"]',
  saveProfile: '[data-testid="save-profile-btn"]',
  profileRow: '[data-testid="profile-row"]',
  /** The home screen's chat box (a contenteditable) and its send button. */
  chatInput: '[data-testid="chat-input"]',
  sendButton: '[data-testid="submit-button"]',
  /** The sidebar's conversation list. */
  conversationPanel: '[data-testid="conversation-panel"]',
  conversationCard: '[data-testid="conversation-card"]',
  conversationCardTitle: '[data-testid="conversation-card-title"]',
  /** In a conversation: the user's and the agent's messages, and a collapsed event (a command) by its title. */
  userMessage: '[data-testid="user-message"]',
  agentMessage: '[data-testid="agent-message"]',
  eventTitle: '[data-testid="generic-event-message-title"]',
  expandEvent: 'button[aria-label="Expand"]',
  /** The chat box's profile chip: which LLM profile the conversation uses. */
  chatProfile: '[data-testid="chat-input-llm-profile"]',
} as const;

export interface CanvasLlmProfile {
  /** The profile's name in the list. */
  name: string;
  /** LiteLLM model with its provider, for example `openai/fake-model`. */
  model: string;
  baseUrl: string;
  apiKey: string;
}

/** Answers the analytics question (no) whenever it blocks an action. */
export async function declineTelemetryWhenAsked(page: Page): Promise<void> {
  await page.addLocatorHandler(page.locator(canvasSelectors.consentForm), async () => {
    const box = page.locator(canvasSelectors.consentCheckbox);
    if (await box.isChecked()) await box.uncheck();
    await page.locator(canvasSelectors.consentConfirm).click();
  });
}

export interface OpenedCanvas {
  /** True when the page asked for the session key: "Add a backend" with an empty API key (the key-free entry). */
  askedForKey: boolean;
  /** The key written into the page (port 8000's), if any. */
  injectedKey?: string;
  /** The host the backend form proposed (the page's own origin). */
  proposedHost?: string;
}

/**
 * Opens the UI at `url`. On first visit the onboarding starts with its backend step. With
 * the key written into the page (port 8000) the step checks that backend and moves on by
 * itself; without it (the key-free entry) it stays on "Add a backend" with the API key
 * empty, where `sessionKey` is entered (or the function stops there when none is given).
 * Then the rest of the onboarding is skipped, so the app shell shows, its backend connected.
 */
export async function openCanvas(page: Page, url: string, sessionKey?: string): Promise<OpenedCanvas> {
  await page.goto(`${url.replace(/\/$/, "")}/`);
  const backendStep = page.locator(canvasSelectors.backendStep);
  const onboarding = page.locator(canvasSelectors.onboarding);
  const shell = page.locator(canvasSelectors.rootLayout);
  await backendStep.or(onboarding).or(shell).first().waitFor({ timeout: 60_000 });
  const opened: OpenedCanvas = { askedForKey: false };
  const injected = await page.evaluate(() => (window as unknown as { __AGENT_CANVAS_SESSION_API_KEY__?: string }).__AGENT_CANVAS_SESSION_API_KEY__);
  if (injected) opened.injectedKey = injected;
  if (await backendStep.isVisible()) {
    await page.locator(canvasSelectors.backendChecking).waitFor({ state: "hidden", timeout: 60_000 });
    // A backend that checked out moves the onboarding on by itself.
    const movedOn = await backendStep.waitFor({ state: "hidden", timeout: 10_000 }).then(() => true, () => false);
    if (!movedOn) {
      opened.proposedHost = await page.locator(canvasSelectors.backendHost).inputValue();
      const keyInput = page.locator(canvasSelectors.backendApiKey);
      opened.askedForKey = (await keyInput.inputValue()) === "";
      if (!opened.askedForKey) throw new Error("the backend step stays with an API key filled in: the backend check failed");
      if (sessionKey === undefined) return opened;
      await keyInput.fill(sessionKey);
      await page.locator(canvasSelectors.backendNext).click();
      await backendStep.waitFor({ state: "hidden", timeout: 60_000 });
    }
  }
  await skipOnboarding(page);
  await page.locator(canvasSelectors.backendConnected).waitFor({ timeout: 60_000 });
  return opened;
}

/** "Skip for now" on the first-run onboarding when it shows (it does until skipped or finished). */
export async function skipOnboarding(page: Page): Promise<void> {
  const skip = page.locator(canvasSelectors.onboardingSkip);
  const shell = page.locator(canvasSelectors.homeScreen).or(page.locator(canvasSelectors.rootLayout));
  await skip.or(shell).first().waitFor({ timeout: 60_000 });
  if (await skip.isVisible()) {
    await skip.click();
    await skip.waitFor({ state: "hidden", timeout: 30_000 });
  }
  await page.locator(canvasSelectors.rootLayout).waitFor({ timeout: 60_000 });
}

/**
 * Settings > LLM > Add LLM Profile, Advanced view (custom model, base URL, API key), Save.
 * Returns what the server answered to storing it.
 */
export async function addLlmProfile(page: Page, url: string, profile: CanvasLlmProfile): Promise<unknown> {
  await page.goto(`${url.replace(/\/$/, "")}/settings/llm`);
  const add = page.locator(canvasSelectors.addLlmProfile);
  await add.waitFor({ timeout: 60_000 });
  await add.click();
  await page.locator(canvasSelectors.profileName).fill(profile.name);
  await page.locator(canvasSelectors.advancedToggle).click();
  await page.locator(canvasSelectors.customModel).fill(profile.model);
  await page.locator(canvasSelectors.baseUrl).fill(profile.baseUrl);
  await page.locator(canvasSelectors.apiKey).fill(profile.apiKey);
  const saved = page.waitForResponse((r) => isProfileWrite(r), { timeout: 30_000 });
  await page.locator(canvasSelectors.saveProfile).click();
  const response = await saved;
  if (!response.ok()) throw new Error(`saving the LLM profile answered ${response.status()}: ${await response.text()}`);
  await page.locator(canvasSelectors.profileRow).filter({ hasText: profile.name }).first().waitFor({ timeout: 30_000 });
  return response.json().catch(() => null);
}

function isProfileWrite(response: Response): boolean {
  const method = response.request().method();
  // POST /api/profiles/<name> stores it (…/validate and …/activate come before and after).
  return (method === "POST" || method === "PUT") && /^\/api\/profiles\/[^/]+$/.test(new URL(response.url()).pathname);
}

/** The names shown in Settings > LLM's profile list. */
export async function listLlmProfiles(page: Page, url: string): Promise<string[]> {
  await page.goto(`${url.replace(/\/$/, "")}/settings/llm`);
  await page.locator(canvasSelectors.addLlmProfile).waitFor({ timeout: 60_000 });
  const rows = page.locator(canvasSelectors.profileRow);
  await rows.first().or(page.locator('[data-testid="profiles-empty"]')).waitFor({ timeout: 30_000 });
  return (await rows.allTextContents()).map((t) => t.trim());
}

export interface StartedConversation {
  id: string;
  url: string;
}

/** Home: types the message into the chat box and sends it; the page moves to the new conversation. */
export async function startConversation(page: Page, url: string, message: string): Promise<StartedConversation> {
  await page.goto(`${url.replace(/\/$/, "")}/`);
  const input = page.locator(canvasSelectors.homeScreen).locator(canvasSelectors.chatInput);
  await input.waitFor({ timeout: 60_000 });
  await input.click();
  await page.keyboard.insertText(message);
  await page.locator(canvasSelectors.homeScreen).locator(canvasSelectors.sendButton).click();
  await page.waitForURL((u) => /\/conversations\/[^/]+$/.test(u.pathname), { timeout: 120_000 });
  return { id: new URL(page.url()).pathname.split("/").pop() ?? "", url: page.url() };
}

/** Waits for an agent message with the text (the agent's reply in the open conversation). */
export async function waitForReply(page: Page, text: string, timeout: number): Promise<void> {
  await page.locator(canvasSelectors.agentMessage, { hasText: text }).first().waitFor({ timeout });
}

/** Opens the collapsed event with this title (a command) and waits for the text in it (its output). */
export async function revealEventText(page: Page, eventTitle: string, text: string): Promise<void> {
  const found = page.getByText(text, { exact: false });
  if (!(await found.first().isVisible())) {
    await page.locator(canvasSelectors.eventTitle, { hasText: eventTitle }).first().locator(canvasSelectors.expandEvent).click();
  }
  await found.first().waitFor({ timeout: 30_000 });
}

/** The conversation titles in the sidebar's list, after a fresh load of `url`. */
export async function listConversations(page: Page, url: string): Promise<string[]> {
  await page.goto(`${url.replace(/\/$/, "")}/`);
  const panel = page.locator(canvasSelectors.conversationPanel);
  await panel.waitFor({ timeout: 60_000 });
  const titles = panel.locator(canvasSelectors.conversationCardTitle);
  const empty = panel.getByText("No conversations found");
  await titles.first().or(empty).waitFor({ timeout: 30_000 });
  return (await titles.allTextContents()).map((t) => t.trim());
}

/** The flow's steps, with the page's expected noise (names it cannot resolve, the stand-in's certificate) left out of failures. */
export const stepper = (session: BrowserSession) => browserStepper(session, "Canvas UI", /ERR_NAME_NOT_RESOLVED|ERR_CERT_AUTHORITY_INVALID|\[DOM\]/);
