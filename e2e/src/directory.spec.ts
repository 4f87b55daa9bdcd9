import { expect, test, type Page } from '@playwright/test';
import { logIn, logOut } from './support';

/** DSFR checkboxes and radios are drawn by their label, which takes the click. */
async function tick(page: Page, label: string | RegExp, options: { exact?: boolean } = {}): Promise<void> {
  const input = page.getByLabel(label, options);
  await page.locator(`label[for="${await input.getAttribute('id')}"]`).click();
  await expect(input).toBeChecked();
}

test('a structure admin adds a service with its hours; a reception agent finds housing help near Embrun', async ({ page }) => {
  test.setTimeout(90_000);
  const name = `Atelier logement ${Date.now()}`;

  // The admin of France Services du Briançonnais: one demo service to verify, then a new service.
  await logIn(page, 'admin@demo.passerelle.fr');
  await expect(page).toHaveURL(/\/administration$/);
  await expect(page.getByText('1 service à vérifier')).toBeVisible();
  await page.getByRole('link', { name: 'Offre de services' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Offre de services');
  await expect(page.getByRole('row', { name: /Point d’accès au droit/ })).toContainText('À vérifier');

  await page.getByRole('button', { name: 'Ajouter un service' }).click();
  await page.getByLabel(/^Nom du service/).fill(name);
  await page.getByLabel('Description').fill('Aide à la recherche d’un logement et aux dossiers de demande.');
  await tick(page, '14. Hébergement / logement');
  await tick(page, 'Gratuit', { exact: true });
  await tick(page, 'Se présenter');
  await page.getByLabel('Documents à apporter').fill('Pièce d’identité\nDernier avis d’imposition');
  // Wrong hours first: the API explains the syntax in French.
  await page.getByLabel(/^Horaires du service/).fill('le mardi après-midi');
  await page.getByRole('button', { name: 'Enregistrer le service' }).click();
  await expect(page.locator('#service-horaires-messages')).toContainText('syntaxe OpenStreetMap');
  await page.getByLabel(/^Horaires du service/).fill('Tu 14:00-17:00');
  await tick(page, /France Services Briançon/);
  await page.getByRole('button', { name: 'Enregistrer le service' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Le service ${name} est ajouté à l'annuaire.` })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Publié');

  // The stale demo service, verified.
  await page.getByRole('button', { name: 'Marquer comme vérifié Point d’accès au droit' }).click();
  await expect(page.getByRole('row', { name: /Point d’accès au droit/ })).not.toContainText('À vérifier');
  await logOut(page);

  // The reception agent: "who can help with housing near Embrun?"
  await logIn(page, 'accueil@demo.passerelle.fr');
  await expect(page).toHaveURL(/\/accueil/);
  await page.getByRole('link', { name: 'Annuaire' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Annuaire des services');
  await page.getByLabel('Mots').fill('logement');
  const commune = page.getByRole('combobox', { name: /Commune de la personne/ });
  await commune.fill('Embr');
  await page.getByRole('option', { name: /^Embrun/ }).click();
  await page.getByRole('button', { name: 'Rechercher' }).click();

  const results = page.getByRole('region', { name: /services pour Embrun/ });
  const first = results.getByRole('article').first();
  await expect(first).toContainText('Demande de logement social');
  await expect(first).toContainText('Mairie d’Embrun');
  await expect(first).toContainText('Dans la commune');
  await expect(first).toContainText('Documents à apporter');
  await expect(first).toContainText('du lundi au vendredi : 08h30 – 12h00, 13h30 – 17h00');
  // The new Briançon service is open to the whole département: found too, after the services of Embrun.
  await expect(results.getByRole('article', { name }).first()).toContainText('Ouvert à la commune, délivré plus loin');
});
