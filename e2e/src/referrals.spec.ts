import { expect, type Page, test } from '@playwright/test';
import { createPersonWithContact, uniqueName } from './people';
import { logIn, logOut } from './support';

/** Camille Arnaud, agent d'accueil at France Services du Briançonnais. */
const RECEPTION = 'accueil@demo.passerelle.fr';
/** Samia Benali, travailleuse sociale at the Département's social action. */
const SOCIAL = 'social@demo.passerelle.fr';
const DEPARTMENT = 'Département des Hautes-Alpes — Direction de l’action sociale';
const NEED = 'Aide et accompagnement social';

/** Logs in and waits for the role's home, so that the next navigation does not race the login. */
async function logInAt(page: Page, email: string, home: RegExp): Promise<void> {
  await logIn(page, email);
  await expect(page).toHaveURL(home);
}

/** DSFR draws radios and checkboxes on their label: click the label, as a person does. */
async function tick(page: Page, role: 'radio' | 'checkbox', name: string | RegExp): Promise<void> {
  const input = page.getByRole(role, { name, exact: typeof name === 'string' });
  await page.locator(`label[for="${await input.getAttribute('id')}"]`).click();
  await expect(input).toBeChecked();
}

/** Through the main navigation, as an agent does. */
async function openFromNavigation(page: Page, entry: 'Orientations reçues' | 'Orientations envoyées'): Promise<void> {
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: entry }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(entry);
}

test.describe('orientations, followed until the loop closes', () => {
  test('a reception agent orients a person to the Département, which accepts, takes them in charge and closes', async ({ page }) => {
    test.setTimeout(180_000);
    const lastName = uniqueName('Orientation');
    // Lists write the last name in capitals ("Inès ORIENTATION-…"): match the name whatever its case.
    const person = `Inès ${lastName}`;
    const named = (before = '', after = '') => new RegExp(`^${before}${person}${after}$`, 'i');

    // France Services receives the person and orients them to the Département, for social support.
    await logInAt(page, RECEPTION, /\/accueil$/);
    const personPath = await createPersonWithContact(page, lastName, 'Inès', '1979', 'Difficultés à payer le loyer.');
    const referrals = page.getByRole('region', { name: 'Orientations', exact: true });
    await expect(referrals).toContainText("Aucune orientation pour l'instant.");
    await referrals.getByRole('button', { name: 'Orienter vers un partenaire' }).click();
    const need = page.getByRole('combobox', { name: 'Besoin *', exact: true });
    await expect(need).toBeFocused();
    await need.selectOption({ label: NEED });
    await tick(page, 'radio', 'Une structure, sans choisir de service');
    await page.getByLabel('Structure partenaire').selectOption({ label: DEPARTMENT });
    await page.getByLabel(/^Message au partenaire/).fill('Souhaite un rendez-vous avec une assistante sociale, de préférence le matin.');
    // Only the identity is shared by default: the partner needs it to reach the person.
    await expect(page.getByRole('checkbox', { name: 'Identité et coordonnées' })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'Besoins et demandes' })).not.toBeChecked();
    await page.getByRole('button', { name: "Envoyer l'orientation" }).click();

    // No consent yet for the Département: said in plain words, and recorded in the same flow.
    const missing = page.getByRole('alert').filter({ hasText: 'Consentement à recueillir' });
    await expect(missing).toContainText(`La personne n'a pas donné son accord pour partager ces informations avec ${DEPARTMENT}`);
    await expect(missing).toContainText('Identité et coordonnées');
    await page.getByRole('button', { name: 'Recueillir son consentement maintenant' }).click();
    await expect(page.getByText(`avec ${DEPARTMENT}, pour cette orientation`)).toBeVisible();
    await tick(page, 'radio', 'Oral, après lecture de la notice');
    await page.getByRole('button', { name: 'Enregistrer le consentement et envoyer' }).click();

    const sentMessage = page.getByRole('status').filter({ hasText: 'Orientation envoyée' });
    await expect(sentMessage).toContainText(`Orientation envoyée à ${DEPARTMENT} (${NEED}).`);
    await expect(sentMessage.getByRole('link', { name: "Voir l'orientation" })).toBeFocused();
    await expect(referrals.locator('li').filter({ hasText: `${NEED} → ${DEPARTMENT}` })).toContainText('Envoyée');
    // The consent is in the person's file, like any other (the consents panel lists it once the file is read again).
    await page.reload();
    await expect(page.locator('.pa-consent').filter({ hasText: `Orientation vers un partenaire – ${DEPARTMENT}` })).toContainText('Actif');
    await logOut(page);

    // The Département sees it in its inbox, with the person's name (identity shared), and accepts it.
    await logInAt(page, SOCIAL, /\/suivi$/);
    await openFromNavigation(page, 'Orientations reçues');
    const row = page.getByRole('row').filter({ hasText: person });
    await expect(row).toContainText('France Services du Briançonnais');
    await expect(row).toContainText(NEED);
    await expect(row).toContainText('Envoyée');
    await row.getByRole('button', { name: named('Accepter : ', ` – ${NEED}`) }).click();
    await expect(page.getByRole('status').filter({ hasText: `Orientation de ${person}` })).toContainText('Acceptée');
    await expect(row).toContainText('Acceptée');

    // On the orientation's page: the steps, and the prise en charge (a first contact, now).
    await row.getByRole('link', { name: named('', " : voir l'orientation") }).click();
    await expect(page).toHaveURL(/\/orientations\/[0-9a-f-]{36}$/);
    const referralPath = new URL(page.url()).pathname;
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(named('Orientation de ', ` : ${NEED}`));
    const steps = page.getByRole('region', { name: 'Étapes' });
    await expect(steps).toContainText('Envoyée le');
    await expect(steps).toContainText('par Camille Arnaud (France Services du Briançonnais)');
    await expect(steps).toContainText('Acceptée le');
    await expect(page.getByText('Souhaite un rendez-vous avec une assistante sociale')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Accepter' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Enregistrer la prise en charge' }).click();
    await tick(page, 'radio', 'Premier contact établi');
    await page.getByRole('button', { name: 'Enregistrer la prise en charge' }).click();
    await expect(page.locator('#orientation-statut')).toContainText('Prise en charge');
    await expect(page.getByRole('button', { name: 'Clôturer' })).toBeVisible();
    await logOut(page);

    // France Services follows it: "Prise en charge", on its sent orientations and on the person's file.
    await logInAt(page, RECEPTION, /\/accueil$/);
    await openFromNavigation(page, 'Orientations envoyées');
    const sentRow = page.getByRole('row').filter({ hasText: person });
    await expect(sentRow).toContainText(DEPARTMENT);
    await expect(sentRow).toContainText('Prise en charge');
    await expect(sentRow).toContainText('Premier contact établi');
    await page.goto(personPath);
    await expect(page.getByRole('region', { name: 'Orientations', exact: true }).locator('li').filter({ hasText: DEPARTMENT })).toContainText('Prise en charge');
    await logOut(page);

    // The Département closes it: done.
    await logInAt(page, SOCIAL, /\/suivi$/);
    await page.goto(referralPath);
    await page.getByRole('button', { name: 'Clôturer' }).click();
    await tick(page, 'radio', 'Réalisée');
    await expect(page.getByLabel(/^Maillon de l'accès/)).toHaveCount(0);
    await page.getByRole('button', { name: 'Confirmer la clôture' }).click();
    await expect(page.locator('#orientation-statut')).toContainText('Clôturée — Réalisée');
    await expect(page.getByRole('heading', { name: 'Suite à donner' })).toHaveCount(0);
    await logOut(page);

    // The loop is closed, and the sender sees it.
    await logInAt(page, RECEPTION, /\/accueil$/);
    await openFromNavigation(page, 'Orientations envoyées');
    await expect(page.getByRole('row').filter({ hasText: person })).toContainText('Clôturée — Réalisée');
  });
});
