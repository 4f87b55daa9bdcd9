import { expect, type Page } from '@playwright/test';

/** The desk's search box. */
export const SEARCH_LABEL = 'Rechercher une personne (nom, téléphone, courriel)';

/** A name no other test uses (letters only: the API checks names). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}`.replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]);
}

/**
 * At the desk: a new person ("NOM Prénom" + Alt+N), born `birth`, with a contact about housing and a
 * summary; with `openRequest`, the housing need also opens a follow-up request.
 */
export async function createPersonWithContact(
  page: Page,
  lastName: string,
  firstName: string,
  birth: string,
  summary: string,
  options: { openRequest?: boolean } = {},
): Promise<string> {
  await page.goto('/accueil');
  const search = page.getByRole('combobox', { name: SEARCH_LABEL });
  await expect(search).toBeFocused();
  await search.fill(`${lastName} ${firstName}`);
  await expect(page.getByRole('option', { name: /Nouvelle personne/ })).toBeVisible();
  await search.press('Alt+N');
  const birthField = page.getByRole('textbox', { name: /^Date ou année de naissance/ });
  await expect(birthField).toBeFocused();
  await birthField.fill(birth);
  await birthField.press('Enter');

  const needs = page.getByRole('combobox', { name: /^Besoin exprimé/ });
  await expect(needs).toBeFocused();
  await needs.fill('logement');
  await needs.press('Enter');
  await expect(page.locator('.pa-needs')).toContainText('Hébergement / logement');
  if (options.openRequest) {
    const open = page.getByRole('checkbox', { name: /^Ouvrir une demande de suivi/ });
    await page.locator(`label[for="${await open.getAttribute('id')}"]`).click();
    await expect(open).toBeChecked();
  }
  await page.getByLabel(/^Synthèse partagée/).fill(summary);
  await page.getByLabel(/^Synthèse partagée/).press('Control+Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Passage enregistré' })).toContainText(`${firstName} ${lastName}`);

  await page.getByRole('status').getByRole('link', { name: 'Voir le dossier' }).click();
  await expect(page).toHaveURL(/\/personnes\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${firstName} ${lastName}`);
  return new URL(page.url()).pathname;
}

