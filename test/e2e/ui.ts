/**
 * The driver's hands: answers the prompts a command shows (input boxes, quick picks,
 * notifications), as a person would, through the real workbench DOM. A test asks for it with a log
 * marker and then runs the command; the extension API has no way to answer another extension's
 * prompts.
 */
import * as path from 'node:path';
import type { Page } from 'playwright-core';

export interface UiAnswer {
  /** Text that the prompt must show (title, message or placeholder) before it is answered. */
  when: string;
  /** Typed into the input box or quick pick filter, then Enter. */
  type?: string;
  /** In a quick pick with checkboxes: checks the item showing each text (in this order), then Enter. */
  check?: string[];
  /** Clicks this button of a notification. */
  button?: string;
  /** Dismisses the prompt with Escape. */
  escape?: boolean;
  /**
   * The quick input's whole title as VS Code shows it, step counter included
   * (`Scaffold pre/post scripts: settings (2/4)`), checked just before the answer is given.
   */
  title?: string;
  /** Text that the prompt must not show (a wrong description of an item). */
  absent?: string;
  /**
   * A modal dialog: in extension-test mode VS Code never shows one, it logs the request and
   * answers as if cancelled. The driver checks that the request was made.
   */
  modal?: boolean;
  /**
   * Keys pressed in turn in whatever has focus, as a person types (`Control+Space`, `Enter`, or
   * text typed as is when `typeText`). No prompt is waited for; `when` names the step.
   */
  keys?: string[];
  typeText?: string;
  /** After the keys: waits until this CSS selector is visible (the suggest widget, the light-bulb menu). */
  waitFor?: string;
  /** Then takes a screenshot, test-results/e2e/<name>.png, of what is showing. */
  screenshot?: string;
  /** Then clicks the entry of the open light-bulb (code action) menu whose text is this. */
  pick?: string;
  /** Then clicks the first element matching `selector` whose text contains `text` (a code lens). */
  click?: { selector: string; text: string };
}

/** Where the driver writes screenshots that a step asks for. */
export interface DriverContext {
  screenshotDir: string;
}

/** The workbench log as the driver receives it: lines so far, and a way to wait for more. */
export interface WorkbenchLog {
  lines: string[];
  onLine(listener: () => void): () => void;
}

export interface UiRequest {
  /** Names the signal file the driver writes when done (`<id>.done`) or failed (`<id>.error`). */
  id: string;
  answers: UiAnswer[];
}

const promptTimeoutMs = 20_000;

/** Resolves when a visible quick input or notification shows `text`. */
async function waitForPrompt(page: Page, text: string): Promise<void> {
  await page.waitForFunction((wanted: string) => {
    const visible = (el: Element | null): el is HTMLElement => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const quick = document.querySelector('.quick-input-widget');
    if (visible(quick)) {
      const input = quick.querySelector('input');
      if (`${quick.textContent ?? ''} ${input?.placeholder ?? ''} ${input?.getAttribute('aria-label') ?? ''}`.includes(wanted)) return true;
    }
    // With the smoke-test driver VS Code shows no toasts: notifications are in the notification center.
    return Array.from(document.querySelectorAll('.notification-toast, .notifications-center .notification-list-item')).some((toast) => visible(toast) && (toast.textContent ?? '').includes(wanted));
  }, text, { timeout: promptTimeoutMs });
}

/** An editor step: keys, then waiting for what they open, a screenshot, a click in a menu. */
async function doStep(page: Page, step: UiAnswer, context: DriverContext): Promise<void> {
  for (const key of step.keys ?? []) await page.keyboard.press(key);
  if (step.typeText !== undefined) await page.keyboard.type(step.typeText, { delay: 20 });
  if (step.waitFor) await page.waitForSelector(step.waitFor, { state: 'visible', timeout: promptTimeoutMs });
  if (step.screenshot) await page.screenshot({ path: path.join(context.screenshotDir, `${step.screenshot}.png`) });
  if (step.pick !== undefined) {
    const entry = page.locator('.action-widget .monaco-list-row', { hasText: step.pick }).first();
    await entry.waitFor({ state: 'visible', timeout: promptTimeoutMs });
    await entry.click();
  }
  if (step.click) await page.locator(step.click.selector, { hasText: step.click.text }).first().click();
}

function isEditorStep(answer: UiAnswer): boolean {
  return answer.keys !== undefined || answer.typeText !== undefined || answer.waitFor !== undefined || answer.pick !== undefined || answer.click !== undefined;
}

export async function answerPrompts(page: Page, request: UiRequest, log: WorkbenchLog, context: DriverContext): Promise<void> {
  const logStart = log.lines.length;
  for (const answer of request.answers) {
    const answered = answer.modal ? waitForDialogRequest(log, logStart) : isEditorStep(answer) ? doStep(page, answer, context) : answerOne(page, answer, context);
    await answered.catch(async (error: unknown) => {
      const showing = await page.evaluate(() => Array.from(document.querySelectorAll('.quick-input-widget, .notification-toast'))
        .filter((el) => el.getClientRects().length > 0)
        .map((el) => `${el.className}: ${(el.textContent ?? '').slice(0, 200)}`));
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new Error(`prompt "${answer.when}": ${reason}; showing: ${JSON.stringify(showing)}`);
    });
  }
}

/** Resolves when the workbench logs that it refused to show a modal dialog, after `from`. */
function waitForDialogRequest(log: WorkbenchLog, from: number): Promise<void> {
  const requested = () => log.lines.slice(from).some((line) => line.includes('Dialog requested during smoke test'));
  return new Promise<void>((resolve, reject) => {
    if (requested()) return resolve();
    const timer = setTimeout(() => { stop(); reject(new Error('no modal dialog was requested')); }, promptTimeoutMs);
    const stop = log.onLine(() => {
      if (!requested()) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

/** The visible quick input's title, step counter included, or undefined when none shows. */
function quickInputTitle(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const widget = document.querySelector('.quick-input-widget');
    if (!widget || widget.getClientRects().length === 0) return undefined;
    return (widget.querySelector('.quick-input-title')?.textContent ?? '').trim();
  });
}

/** Waits until the quick input's title is exactly `wanted` (the counter may follow the user's choices). */
async function expectTitle(page: Page, wanted: string): Promise<void> {
  try {
    await page.waitForFunction((title: string) => (document.querySelector('.quick-input-widget .quick-input-title')?.textContent ?? '').trim() === title, wanted, { timeout: 5_000 });
  } catch {
    throw new Error(`the title is "${await quickInputTitle(page)}", not "${wanted}"`);
  }
}

async function expectAbsent(page: Page, text: string): Promise<void> {
  const shows = await page.evaluate((unwanted: string) => (document.querySelector('.quick-input-widget')?.textContent ?? '').includes(unwanted), text);
  if (shows) throw new Error(`the prompt shows "${text}"`);
}

async function answerOne(page: Page, answer: UiAnswer, context: DriverContext): Promise<void> {
  await waitForPrompt(page, answer.when);
  if (answer.absent !== undefined) await expectAbsent(page, answer.absent);
  // What the user sees just before answering: the title (the counter can follow the choices) and a screenshot.
  const beforeAnswering = async () => {
    if (answer.title !== undefined) await expectTitle(page, answer.title);
    if (answer.screenshot) await page.screenshot({ path: path.join(context.screenshotDir, `${answer.screenshot}.png`) });
  };
  const input = page.locator('.quick-input-widget .quick-input-box input');
  if (answer.escape) {
    await beforeAnswering();
    await page.keyboard.press('Escape');
  } else if (answer.check) {
    for (const text of answer.check) {
      await input.fill(text);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first().locator('.monaco-checkbox').click();
    }
    await input.fill('');
    await beforeAnswering();
    await input.press('Enter');
  } else if (answer.button !== undefined) {
    await beforeAnswering();
    // The button of this notification, not of an older one still in the list.
    const notification = page.locator('.notification-toast, .notifications-center .notification-list-item', { hasText: answer.when }).first();
    await notification.locator('.monaco-button', { hasText: answer.button }).first().click();
  } else {
    await input.fill(answer.type ?? '');
    await beforeAnswering();
    await input.press('Enter');
  }
  // The next prompt may reuse the same widget: wait until this one is gone or changed.
  await page.waitForFunction((wanted: string) => {
    const open = Array.from(document.querySelectorAll('.quick-input-widget, .notification-toast, .notifications-center .notification-list-item'))
      .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden');
    return !open.some((el) => `${el.textContent ?? ''} ${el.querySelector('input')?.placeholder ?? ''}`.includes(wanted));
  }, answer.when, { timeout: promptTimeoutMs });
}
