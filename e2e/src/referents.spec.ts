import { expect, type Page, test } from '@playwright/test';
import { createPersonWithContact, uniqueName } from './people';
import { logIn, logOut } from './support';

/** Camille Arnaud, agent d'accueil — France Services du Briançonnais. */
const RECEPTION = 'accueil@demo.passerelle.fr';
/** Samia Benali, travailleuse sociale — Département (action sociale). */
const SOCIAL = 'social@demo.passerelle.fr';
const DEPARTMENT = 'Département des Hautes-Alpes — Direction de l’action sociale';

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

test.describe('référent de parcours and handoff', () => {
  test('the reception designates a référent, hands the case to the Département, whose social worker takes it on', async ({ page }) => {
    test.setTimeout(150_000);
    const lastName = uniqueName('Relais');
    const note = `Dossier RSA à reprendre, préfère être appelée le matin (${Date.now()}).`;

    // France Services receives the person and designates its reception agent référent, with her.
    await logInAt(page, RECEPTION, /\/accueil$/);
    const personPath = await createPersonWithContact(page, lastName, 'Inès', '1988', 'Premier accueil.', { openRequest: true });
    const referentSection = page.getByRole('region', { name: 'Référent de parcours' });
    await expect(referentSection).toContainText("La personne n'a pas de référent de parcours.");
    await referentSection.getByRole('button', { name: 'Désigner un référent' }).click();
    const professional = page.getByLabel('Professionnel désigné');
    await expect(professional.locator('option', { hasText: 'Camille Arnaud' })).toHaveCount(1);
    await professional.selectOption({ label: "Camille Arnaud — Agent d'accueil, France Services du Briançonnais" });
    await tick(page, 'checkbox', 'Choix ou préférence de la personne');
    await tick(page, 'checkbox', 'Choisi avec la personne');
    await page.getByRole('button', { name: 'Désigner ce référent' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Référent désigné : Camille Arnaud.' })).toBeVisible();
    await expect(referentSection.getByRole('heading', { name: 'Référent en cours : Camille Arnaud' })).toBeFocused();

    // Handing the case to the Département needs the person's consent naming it.
    await page.getByRole('button', { name: 'Recueillir un consentement' }).click();
    await tick(page, 'radio', 'Suivi coordonné');
    await tick(page, 'radio', 'Une structure partenaire nommée');
    await page.getByLabel('Structure destinataire').selectOption({ label: DEPARTMENT });
    await tick(page, 'checkbox', 'Identité et coordonnées');
    await tick(page, 'checkbox', 'Besoins et demandes');
    await tick(page, 'radio', 'Oral, après lecture de la notice');
    await page.getByRole('button', { name: 'Enregistrer le consentement' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Consentement enregistré' })).toContainText(DEPARTMENT);

    // "Passer le relais" to the social worker, proposing her as référent; the note is for her only.
    await referentSection.getByRole('button', { name: 'Passer le relais' }).click();
    await page.getByLabel(/^Rechercher un professionnel/).fill('Benali');
    const receiver = page.getByLabel('Destinataire du relais');
    await expect(receiver.locator('option', { hasText: 'Samia Benali' })).toHaveCount(1);
    await receiver.selectOption({ label: `Samia Benali — Travailleur social, ${DEPARTMENT}` });
    await expect(page.getByText('Lue seulement par le destinataire et votre structure')).toBeVisible();
    await page.getByLabel(/^Note de transmission/).fill(note);
    await tick(page, 'checkbox', /^Proposer au destinataire de devenir le référent/);
    await page.getByRole('button', { name: 'Proposer le relais' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Relais proposé à Samia Benali' })).toBeVisible();
    // The timeline says a handoff was proposed, never what the note says.
    await page.reload();
    await expect(page.locator('.pa-timeline__item').filter({ hasText: 'Relais proposé à Samia Benali' })).toBeVisible();
    await expect(page.locator('.pa-timeline')).not.toContainText(note);
    await logOut(page);

    // The social worker finds it in "Relais", reads the note, accepts and becomes référent.
    await logInAt(page, SOCIAL, /\/suivi$/);
    await page.getByRole('link', { name: 'Relais', exact: true }).click();
    await expect(page).toHaveURL(/\/relais$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Relais');
    const card = page.locator('li.pa-panel').filter({ hasText: new RegExp(lastName, 'i') });
    await expect(card).toContainText('France Services du Briançonnais');
    await expect(card).toContainText(note);
    await expect(card).toContainText('Vous êtes proposé comme référent');
    await card.getByRole('button', { name: /^Accepter/ }).click();
    await expect(card.getByRole('checkbox', { name: /^Devenir le référent de parcours/ })).toBeChecked();
    await tick(page, 'checkbox', 'Pertinence au regard de la situation');
    await card.getByRole('button', { name: "Confirmer l'acceptation" }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Relais accepté : vous êtes désormais le référent de' })).toBeVisible();

    // Her caseload lists the person; the file shows her as the référent, the reception agent in the history.
    await page.getByRole('link', { name: 'Mes accompagnements' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mes accompagnements');
    const row = page.getByRole('row').filter({ hasText: new RegExp(lastName, 'i') });
    await expect(row).toContainText('Hébergement / logement');
    await row.getByRole('link', { name: /ouvrir le dossier/ }).click();
    await expect(page).toHaveURL(new RegExp(`${personPath}$`));
    const section = page.getByRole('region', { name: 'Référent de parcours' });
    await expect(section.getByRole('heading', { name: 'Référent en cours : Samia Benali' })).toBeVisible();
    await expect(section).toContainText(DEPARTMENT);
    await section.getByRole('button', { name: 'Historique des référents (1)' }).click();
    await expect(section.locator('#referents-historique')).toContainText('Camille Arnaud');
    await expect(section.locator('#referents-historique')).toContainText('Passage de relais');
    await expect(page.locator('.pa-timeline__item').filter({ hasText: 'Relais vers Samia Benali : Accepté' })).toBeVisible();
  });
});
