import { expect, type Page, test } from '@playwright/test';
import { createPersonWithContact, SEARCH_LABEL, uniqueName } from './people';
import { logIn, logOut } from './support';

/** Agent d'accueil of France Services du Briançonnais. */
const RECEPTION = 'accueil@demo.passerelle.fr';
/** Administratrice of the same structure. */
const ADMIN = 'admin@demo.passerelle.fr';

/** DSFR draws radios on their label: click the label, as a person does. */
async function tick(page: Page, name: RegExp): Promise<void> {
  const input = page.getByRole('radio', { name });
  await page.locator(`label[for="${await input.getAttribute('id')}"]`).click();
  await expect(input).toBeChecked();
}

test('an admin erases a person’s data at their request once the request is closed, and the file shows as anonymised', async ({ page }) => {
  test.setTimeout(120_000);
  const lastName = uniqueName('Effacement');
  const summary = `Hébergée chez une amie (${Date.now()})`;

  // The reception agent receives the person; the housing need opens a follow-up request.
  await logIn(page, RECEPTION);
  await expect(page).toHaveURL(/\/accueil$/);
  const personPath = await createPersonWithContact(page, lastName, 'Nolwenn', '1988', summary, { openRequest: true });
  await logOut(page);

  // The admin of the same structure opens the file: the erasure is offered, with its explanation.
  await logIn(page, ADMIN);
  await expect(page).toHaveURL(/\/administration/);
  await page.goto(personPath);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Nolwenn ${lastName}`);
  const erasure = page.getByRole('region', { name: 'Effacement des données' });
  await erasure.getByRole('button', { name: 'Effacer les données de la personne' }).click();
  await expect(erasure.getByText('Cette opération est irréversible')).toBeVisible();
  await expect(erasure.getByText('Ce qui est effacé')).toBeVisible();
  await expect(erasure.getByText('Ce qui est conservé, sans rien qui identifie la personne')).toBeVisible();
  await tick(page, /^Demande de la personne/);
  await erasure.getByLabel(/^Pour confirmer, saisissez EFFACER/).fill('EFFACER');
  await erasure.getByRole('button', { name: 'Effacer définitivement' }).click();

  // Refused while the request is open: the reasons, in French.
  const refusal = erasure.getByRole('alert');
  await expect(refusal).toContainText('1 demande est encore ouverte ou en cours');
  await expect(refusal).toContainText('Votre structure : demande « Hébergement / logement », statut « Ouverte ».');
  await erasure.getByRole('button', { name: 'Annuler' }).click();

  // The admin closes the request, then erases.
  await page.getByRole('button', { name: 'Résolue : Hébergement / logement' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Demande « Hébergement / logement » : Résolue.' })).toBeVisible();
  await erasure.getByRole('button', { name: 'Effacer les données de la personne' }).click();
  await tick(page, /^Demande de la personne/);
  await erasure.getByLabel(/^Pour confirmer, saisissez EFFACER/).fill('EFFACER');
  await erasure.getByRole('button', { name: 'Effacer définitivement' }).click();

  // Done: what was erased is said, and the file, read again, is anonymised.
  await expect(page.getByRole('status').filter({ hasText: `Les données de Nolwenn ${lastName} ont été effacées` })).toContainText('dossiers anonymisés : 1');
  await expect(page.getByText(/^Dossier anonymisé le \d{2}\/\d{2}\/\d{4}$/)).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Anonymisé');
  await expect(page.getByText(summary)).toHaveCount(0);
  await expect(page.getByRole('button', { name: "Modifier l'identité" })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Effacement des données' })).toHaveCount(0);

  // Out of search, like a file anonymised by the retention.
  await page.goto('/accueil');
  const search = page.getByRole('combobox', { name: SEARCH_LABEL });
  await search.fill(`${lastName} Nolwenn`);
  await expect(page.getByRole('option', { name: /Nouvelle personne/ })).toBeVisible();
  await expect(page.getByRole('option', { name: new RegExp(`Nolwenn ${lastName}`) })).toHaveCount(0);
});
