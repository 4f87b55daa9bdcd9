import type { Locator, Page } from '@playwright/test';

/**
 * Counts what the agent does, so the reception journeys can assert "≤ N interactions". Each click,
 * each non-text key press (ArrowDown, Enter, Tab, Alt+N…) and each field typed into counts as one;
 * waiting for the page is free. Typing that a journey excludes (the returning person's name) is done
 * with `page.keyboard` directly, outside this counter.
 */
export class Interactions {
  private readonly steps: string[] = [];

  constructor(private readonly page: Page) {}

  get count(): number {
    return this.steps.length;
  }

  /** What was counted, in order (printed when an assertion fails). */
  get log(): string {
    return this.steps.map((step, index) => `${index + 1}. ${step}`).join('\n');
  }

  async press(key: string): Promise<void> {
    this.steps.push(`press ${key}`);
    await this.page.keyboard.press(key);
  }

  async click(locator: Locator, what: string): Promise<void> {
    this.steps.push(`click ${what}`);
    await locator.click();
  }

  /** Types into the focused field: one interaction for the whole text. */
  async type(text: string): Promise<void> {
    this.steps.push(`type "${text}"`);
    await this.page.keyboard.type(text);
  }

  /** Fills a field (one interaction), e.g. after clicking in it was already counted. */
  async fill(locator: Locator, text: string): Promise<void> {
    this.steps.push(`fill "${text}"`);
    await locator.fill(text);
  }
}
