/**
 * The desk's keyboard contract for its forms: Enter in a single-line field submits, Ctrl+Enter (or
 * ⌘+Enter) submits from a text area, where Enter is a new line; Escape cancels. Keys a widget already
 * handled (a combobox choosing an option, closing its list) arrive with `defaultPrevented` and are left
 * alone. Returns what the key means for the form.
 */
export function formKeyAction(event: KeyboardEvent): 'submit' | 'cancel' | null {
  if (event.defaultPrevented || event.isComposing) return null;
  const target = event.target as HTMLElement | null;
  if (event.key === 'Escape') return 'cancel';
  if (event.key !== 'Enter' || event.altKey || event.shiftKey) return null;
  if (!target) return null;
  if (target instanceof HTMLTextAreaElement) return event.ctrlKey || event.metaKey ? 'submit' : null;
  // Buttons and links keep their own Enter (click).
  if (target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement) return null;
  if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement) return 'submit';
  return null;
}
