import { ComponentFixture } from '@angular/core/testing';

/** Finds the form control whose <label> text starts with `label` (as a user reading the form would). */
export function fieldByLabel(root: HTMLElement, label: string): HTMLInputElement | HTMLSelectElement {
  const labels = Array.from(root.querySelectorAll('label'));
  const match = labels.find((l) => (l.textContent ?? '').trim().replace(/\s+/g, ' ').startsWith(label));
  const id = match?.getAttribute('for');
  const field = id ? root.querySelector<HTMLInputElement | HTMLSelectElement>(`[id="${id}"]`) : null;
  if (!field) throw new Error(`No field labelled "${label}"`);
  return field;
}

export function type(field: HTMLInputElement | HTMLSelectElement, value: string): void {
  field.value = value;
  field.dispatchEvent(new Event(field instanceof HTMLSelectElement ? 'change' : 'input'));
  field.dispatchEvent(new Event('blur'));
}

export function buttonByText(root: HTMLElement, text: string): HTMLButtonElement {
  const button = Array.from(root.querySelectorAll('button')).find(
    (b) => (b.textContent ?? '').trim().replace(/\s+/g, ' ') === text,
  );
  if (!button) throw new Error(`No button "${text}"`);
  return button;
}

export function text(fixture: ComponentFixture<unknown>): string {
  return ((fixture.nativeElement as HTMLElement).textContent ?? '').replace(/\s+/g, ' ');
}

/** Types into a field as a user would, without leaving it (comboboxes stay open). */
export function typeIn(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  field.focus();
  field.value = value;
  field.dispatchEvent(new Event('input'));
}

/** A key pressed in `target` (bubbles, cancelable, like the browser's). Returns the event. */
export function press(target: Element, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  return event;
}

/** Lets a debounce (or any timer) run out, with real timers. */
export function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
