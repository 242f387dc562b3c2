// Drives VS Code's workbench in headless Chromium the way a user does: the keyboard for quick
// open, the command palette and "go to line", the mouse-free hover and quick-fix commands, and
// reads back what is on screen (squiggles, Problems rows, hovers, the language status).
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export async function openBrowser(executablePath, profile) {
  mkdirSync(profile, { recursive: true });
  return chromium.launchPersistentContext(profile, {
    executablePath,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1400, height: 900 },
  });
}

export class Workbench {
  constructor(page, shots) {
    this.page = page;
    this.shots = shots;
    this.count = 0;
    mkdirSync(shots, { recursive: true });
  }

  async open(url, folder) {
    await this.page.goto(`${url}/?folder=${encodeURIComponent(folder)}`);
    await this.page.locator(".monaco-workbench").waitFor({ timeout: 90_000 });
    // The explorer lists the folder once the remote file system answers.
    await this.page.locator(".explorer-folders-view .monaco-list-row").first().waitFor({ timeout: 90_000 });
  }

  /** Waits until an element matching `selector` has text matching `pattern`. */
  async someText(selector, pattern, timeout) {
    await this.page.waitForFunction(
      ({ selector, pattern }) =>
        [...document.querySelectorAll(selector)].some((e) =>
          new RegExp(pattern).test((e.textContent ?? "").replace(/\u00a0/g, " ")),
        ),
      { selector, pattern: pattern.source },
      { timeout },
    );
  }

  async screenshot(name) {
    this.count += 1;
    const file = path.join(this.shots, `${String(this.count).padStart(2, "0")}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Runs a command from the palette by its title, as a user types it. */
  async command(title) {
    await this.page.keyboard.press("F1");
    const input = this.page.locator(".quick-input-widget input");
    await input.waitFor();
    await input.fill(`>${title}`);
    // The row whose label is exactly the title: the list also offers near matches and
    // recently used commands, so Enter alone could run another one.
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
    const row = this.page
      .locator(".quick-input-list .monaco-list-row")
      .filter({ has: this.page.locator(".label-name", { hasText: exact }) })
      .first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await this.page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 15_000 }).catch(() => {});
  }

  /** Opens a workspace file with quick open (Ctrl+P) and waits for its tab. */
  async openFile(relative) {
    await this.page.keyboard.press("Control+P");
    const input = this.page.locator(".quick-input-widget input");
    await input.waitFor();
    await input.fill(relative);
    const base = path.basename(relative);
    await this.page.locator(".quick-input-list .monaco-list-row", { hasText: base }).first().waitFor({ timeout: 30_000 });
    await this.page.keyboard.press("Enter");
    // With several editor groups, more than one may show the file.
    await this.page.locator(".tabs-container .tab.active", { hasText: base }).first().waitFor({ timeout: 30_000 });
    await this.page.locator(".editor-instance .monaco-editor .view-lines").first().waitFor();
  }

  /** Gives the active editor the keyboard, as a click in its text does. */
  async focusEditor() {
    await this.command("View: Focus Active Editor Group");
  }

  /** Moves the cursor with "Go to Line/Column" (Ctrl+G): 1-based line and column. */
  async goto(line, column) {
    await this.focusEditor();
    await this.page.keyboard.press("Control+G");
    const input = this.page.locator(".quick-input-widget input");
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press("Enter");
    await this.page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 10_000 }).catch(() => {});
  }

  /** Waits until the active editor shows at least `count` squiggles of a severity. */
  async squiggles(severity, count, timeout = 60_000) {
    const locator = this.page.locator(`.editor-instance .monaco-editor .squiggly-${severity}`);
    await this.page.waitForFunction(
      ({ selector, count }) => document.querySelectorAll(selector).length >= count,
      { selector: `.editor-instance .monaco-editor .squiggly-${severity}`, count },
      { timeout },
    );
    return locator.count();
  }

  /** The rows of the Problems panel, as text, after waiting for one that matches `expect`. */
  async problems(expect, timeout = 60_000) {
    await this.command("View: Focus Problems (Errors, Warnings, Infos)");
    const rows = this.page.locator(".markers-panel .monaco-list-row");
    await rows.first().waitFor({ timeout });
    if (expect) {
      await this.someText(".markers-panel .monaco-list-row", expect, timeout);
    }
    return rows.evaluateAll((all) => all.map((row) => row.textContent ?? ""));
  }

  /** Shows the hover at the cursor (the "Show or Focus Hover" command) and returns its text. */
  async hoverAt(line, column, expect, timeout = 30_000) {
    await this.goto(line, column);
    const hover = this.page.locator(".monaco-hover:not(.hidden) .monaco-hover-content");
    const deadline = Date.now() + timeout;
    for (;;) {
      await this.command("Show or Focus Hover");
      try {
        await hover.first().waitFor({ timeout: 5000 });
        const text = (await hover.allTextContents()).join("\n");
        if (!expect || expect.test(text)) {
          return text;
        }
      } catch {
        // no hover yet: the server may still be reading the project
      }
      if (Date.now() > deadline) {
        throw new Error(`no hover matching ${expect} at ${line}:${column}`);
      }
      await this.page.keyboard.press("Escape");
      await this.page.waitForTimeout(1000);
    }
  }

  /** Opens the quick fixes at a position (Ctrl+.) and applies the one whose title matches. */
  async quickFix(line, column, title, timeout = 30_000) {
    await this.goto(line, column);
    const deadline = Date.now() + timeout;
    for (;;) {
      await this.page.keyboard.press("Control+.");
      const item = this.page.locator(".action-widget .monaco-list-row", { hasText: title }).first();
      try {
        await item.waitFor({ timeout: 5000 });
        const titles = await this.page.locator(".action-widget .monaco-list-row").allTextContents();
        await item.click();
        return titles;
      } catch {
        await this.page.keyboard.press("Escape");
      }
      if (Date.now() > deadline) {
        throw new Error(`no quick fix "${title}" at ${line}:${column}`);
      }
      await this.page.waitForTimeout(1000);
    }
  }

  /** Waits until the active editor's visible text contains `text`. */
  async editorShows(text, timeout = 15_000) {
    await this.page.waitForFunction(
      (wanted) => {
        const lines = document.querySelector(".editor-instance .monaco-editor .view-lines");
        return (lines?.textContent ?? "").replace(/\u00a0/g, " ").includes(wanted);
      },
      text,
      { timeout },
    );
  }

  /** Saves the active editor ("File: Save") and waits until its tab is no longer dirty. */
  async save() {
    await this.focusEditor();
    await this.command("File: Save");
    await this.page.locator(".tabs-container .tab.active.dirty").waitFor({ state: "detached", timeout: 10_000 });
  }

  /** The language status (the `{}` item beside the language name), opened, as text. */
  async languageStatus(expect, timeout = 30_000) {
    const item = this.page.locator(".statusbar-item", { has: this.page.locator(".codicon-json, .codicon-bracket") }).first();
    const deadline = Date.now() + timeout;
    for (;;) {
      const fallback = this.page.locator("#status\\.languageStatus");
      const target = (await fallback.count()) > 0 ? fallback : item;
      await target.click();
      const hover = this.page.locator(".monaco-hover:not(.hidden), .context-view .hover-contents, .workbench-hover");
      try {
        await hover.first().waitFor({ timeout: 5000 });
        const text = (await hover.allTextContents()).join("\n");
        if (expect.test(text)) {
          return text;
        }
      } catch {
        // not shown yet
      }
      if (Date.now() > deadline) {
        throw new Error(`the language status never showed ${expect}`);
      }
      await this.page.keyboard.press("Escape");
      await this.page.waitForTimeout(1000);
    }
  }

  /** Runs a command that shows an output channel and waits for `expect` in its text. */
  async output(showCommand, expect, timeout = 30_000) {
    await this.command(showCommand);
    const view = this.page.locator(".output-view .view-lines, .output-view .monaco-editor");
    await view.first().waitFor({ timeout });
    await this.someText(".output-view .view-lines", expect, timeout);
    return (await this.page.locator(".output-view .view-lines").first().textContent())?.replace(/\u00a0/g, " ") ?? "";
  }

  /** Waits for a code lens whose text matches, clicks it, and returns the title of the peek
   * view it opens once that title matches `opens`. */
  async codeLens(expect, opens, timeout = 60_000) {
    const lens = this.page.locator(".editor-instance .codelens-decoration a", { hasText: expect }).first();
    await lens.waitFor({ timeout });
    const title = await lens.textContent();
    await lens.click();
    await this.someText(".peekview-widget .peekview-title", opens, 15_000);
    const peek = await this.page.locator(".peekview-widget .peekview-title").allTextContents();
    return { title, peek: peek.join(" ") };
  }

  /** Clicks the `index`th code lens whose whole text is `title` (0: the first in the page). */
  async clickLens(title, index = 0, timeout = 60_000) {
    const exact = new RegExp(`^${title}$`);
    const lens = this.page.locator(".editor-instance .codelens-decoration a", { hasText: exact }).nth(index);
    await lens.waitFor({ timeout });
    await lens.click();
  }

  /** Waits until the focused editor group's editor shows `text`; returns its visible text. */
  async activeEditorShows(text, timeout = 30_000) {
    const selector = ".editor-group-container.active .monaco-editor .view-lines";
    await this.page.waitForFunction(
      ({ selector, wanted }) =>
        (document.querySelector(selector)?.textContent ?? "").replace(/\u00a0/g, " ").includes(wanted),
      { selector, wanted: text },
      { timeout },
    );
    return ((await this.page.locator(selector).first().textContent()) ?? "").replace(/\u00a0/g, " ");
  }

  /** Types `text` into the input box that is open (showInputBox) and accepts it. */
  async answerInput(text, expectPrompt, timeout = 30_000) {
    const widget = this.page.locator(".quick-input-widget");
    await widget.waitFor({ timeout });
    if (expectPrompt) {
      await this.someText(".quick-input-widget", expectPrompt, timeout);
    }
    const prompt = (await widget.textContent()) ?? "";
    await widget.locator("input").fill(text);
    await this.page.keyboard.press("Enter");
    return prompt;
  }

  /** The text of the notifications on screen. */
  async notifications(expect, timeout = 60_000) {
    const toast = this.page.locator(".notification-toast, .notifications-center .notification-list-item");
    await this.someText(".notification-toast, .notification-list-item", expect, timeout);
    return toast.allTextContents();
  }
}
