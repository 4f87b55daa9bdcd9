import { expect, type Page, test } from '@playwright/test';
import { createPersonWithContact, SEARCH_LABEL, uniqueName } from './people';
import { logIn, logOut } from './support';

/** France Services du Briançonnais. */
const RECEPTION = 'accueil@demo.passerelle.fr';
/** Département des Hautes-Alpes — Direction de l’action sociale. */
const SOCIAL = 'social@demo.passerelle.fr';
/** Administratrice de France Services du Briançonnais. */
const ADMIN = 'admin@demo.passerelle.fr';
const DEPARTMENT = 'Département des Hautes-Alpes — Direction de l’action sociale';

/** Logs in and waits for the role's home, so that the next navigation does not race the login. */
async function logInAt(page: Page, email: string, home: RegExp): Promise<void> {
  await logIn(page, email);
  await expect(page).toHaveURL(home);
}

/** DSFR draws radios and checkboxes on their label: click the label, as a person does. */
async function tick(page: Page, role: 'radio' | 'checkbox', name: string): Promise<void> {
  const input = page.getByRole(role, { name, exact: true });
  await page.locator(`label[for="${await input.getAttribute('id')}"]`).click();
  await expect(input).toBeChecked();
}

/** At the desk, the person search for `lastName`. */
async function searchAtDesk(page: Page, lastName: string): Promise<void> {
  await page.goto('/accueil');
  const search = page.getByRole('combobox', { name: SEARCH_LABEL });
  await expect(search).toBeFocused();
  await search.fill(lastName);
}

test.describe('consent and sharing between partners', () => {
  test('a consent shares chosen categories with a partner, until it is withdrawn', async ({ page }) => {
    test.setTimeout(120_000);
    const lastName = uniqueName('Partage');
    const summary = `Synthèse confidentielle (${Date.now()})`;

    // France Services receives the person, then records their consent to share with the Département.
    await logInAt(page, RECEPTION, /\/accueil$/);
    const personPath = await createPersonWithContact(page, lastName, 'Maëlle', '1990', summary);

    await expect(page.getByRole('heading', { name: 'Consentements et partage' })).toBeVisible();
    await expect(page.getByText('Aucun consentement recueilli')).toBeVisible();
    await page.getByRole('button', { name: 'Recueillir un consentement' }).click();

    // The information notice handed to the person, as a PDF.
    const notice = page.getByRole('link', { name: 'Notice d’information et formulaire de consentement (PDF)' });
    await expect(notice).toHaveAttribute('download', '');
    const noticeResponse = await page.request.get((await notice.getAttribute('href')) ?? '');
    expect(noticeResponse.status()).toBe(200);
    expect(noticeResponse.headers()['content-type']).toContain('application/pdf');
    await expect(page.getByLabel(/^Version de la notice d'information présentée/)).toHaveValue('2026-11');

    await tick(page, 'radio', 'Suivi coordonné');
    await tick(page, 'radio', 'Une structure partenaire nommée');
    await page.getByLabel('Structure destinataire').selectOption({ label: DEPARTMENT });
    await tick(page, 'checkbox', 'Identité et coordonnées');
    await tick(page, 'checkbox', 'Besoins et demandes');
    await tick(page, 'radio', 'Oral, après lecture de la notice');
    await page.getByRole('button', { name: 'Enregistrer le consentement' }).click();

    await expect(page.getByRole('status').filter({ hasText: 'Consentement enregistré' })).toContainText(DEPARTMENT);
    const consent = page.locator('.pa-consent').filter({ hasText: DEPARTMENT });
    await expect(consent).toContainText('Actif');
    await expect(consent).toContainText('Identité et coordonnées, Besoins et demandes');
    await expect(consent).toContainText('par Camille Arnaud (France Services du Briançonnais)');
    await logOut(page);

    // The Département finds the person at its desk and opens the file: what was shared, nothing else.
    await logInAt(page, SOCIAL, /\/suivi$/);
    await searchAtDesk(page, lastName);
    await page.getByRole('option', { name: new RegExp(`Maëlle ${lastName}`) }).click();
    await expect(page.getByRole('heading', { name: `Passage de Maëlle ${lastName}` })).toBeVisible();
    await page.getByRole('link', { name: 'Voir le dossier' }).click();
    await expect(page).toHaveURL(new RegExp(`${personPath}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Maëlle ${lastName}`);
    await expect(page.getByText('Pourquoi vous voyez ce dossier : La personne a consenti au partage avec votre structure.')).toBeVisible();
    await expect(page.getByText('Informations partagées avec votre structure : Identité et coordonnées, Besoins et demandes.')).toBeVisible();

    const identity = page.getByRole('region', { name: 'Identité' });
    await expect(identity).toContainText('1990');
    // Family and housing are not shared: said so, and their fields are not there.
    await expect(identity).toContainText('Situation familiale et logementNon partagé avec votre structure');
    await expect(identity).not.toContainText('Sans domicile stable');
    await expect(identity.getByRole('button', { name: "Modifier l'identité" })).toHaveCount(0);

    // The contact and its need are shared; its summary is not.
    const contact = page.locator('.pa-timeline__item').filter({ hasText: 'Passage' }).first();
    await expect(contact).toContainText('France Services du Briançonnais');
    await expect(contact).toContainText('Hébergement / logement');
    await expect(contact).toContainText('Synthèse : non partagée avec votre structure');
    await expect(page.getByText(summary)).toHaveCount(0);
    // Consents are managed by the structures that follow the person only.
    await expect(page.getByRole('heading', { name: 'Consentements et partage' })).toHaveCount(0);
    await logOut(page);

    // France Services withdraws the consent, after a confirmation; it stays in the history.
    await logInAt(page, RECEPTION, /\/accueil$/);
    await page.goto(personPath);
    await page.getByRole('button', { name: /^Retirer Suivi coordonné/ }).click();
    await expect(page.getByRole('button', { name: 'Confirmer le retrait' })).toBeFocused();
    await page.getByRole('button', { name: 'Confirmer le retrait' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Consentement retiré' })).toBeVisible();
    await expect(consent).toContainText('Retiré');
    await expect(consent).toContainText('par Camille Arnaud (France Services du Briançonnais)');
    await logOut(page);

    // The withdrawal takes effect at once: the Département no longer finds the person, nor opens the file.
    await logInAt(page, SOCIAL, /\/suivi$/);
    await searchAtDesk(page, lastName);
    await expect(page.getByRole('option', { name: /Nouvelle personne/ })).toBeVisible();
    await expect(page.getByRole('option', { name: new RegExp(lastName) })).toHaveCount(0);
    await page.goto(personPath);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page non trouvée');
    await logOut(page);

    // France Services' admin prints who opened the file, from where and why.
    await logInAt(page, ADMIN, /\/administration$/);
    await page.goto(personPath);
    await page.getByRole('link', { name: 'Journal des accès au dossier' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Journal des accès au dossier');
    const log = page.getByRole('table');
    await expect(log.getByRole('row').filter({ hasText: 'Samia Benali' }).filter({ hasText: 'Consultation du dossier' }).first()).toContainText(
      'La personne a consenti au partage avec votre structure',
    );
    await expect(log).toContainText('Recueil d’un consentement');
    await expect(log).toContainText('Retrait d’un consentement');
    await expect(page.getByRole('button', { name: 'Imprimer' })).toBeVisible();
    const logPdf = page.getByRole('link', { name: 'Télécharger le journal (PDF)' });
    const logPdfResponse = await page.request.get((await logPdf.getAttribute('href')) ?? '');
    expect(logPdfResponse.headers()['content-type']).toContain('application/pdf');
    const exportPdf = page.getByRole('link', { name: 'Toutes les données de la personne (PDF, droit d’accès)' });
    const exportPdfResponse = await page.request.get((await exportPdf.getAttribute('href')) ?? '');
    expect(exportPdfResponse.status()).toBe(200);
    expect(exportPdfResponse.headers()['content-type']).toContain('application/pdf');
    expect(exportPdfResponse.headers()['content-disposition']).toContain('donnees-personne.pdf');
    expect((await exportPdfResponse.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const exportLink = page.getByRole('link', { name: 'Toutes les données de la personne (JSON, droit d’accès)' });
    const exported = await page.request.get((await exportLink.getAttribute('href')) ?? '');
    expect(exported.status()).toBe(200);
    const data = (await exported.json()) as { format: string; person: { usageLastName?: string }; consents: unknown[] };
    expect(data.format).toBe('passerelle.subject-access/1');
    expect(data.person.usageLastName?.toLowerCase()).toBe(lastName.toLowerCase());
    expect(data.consents.length).toBeGreaterThan(0);
  });

  test('network visibility, and an exceptional access for a legal reason reviewed by the admin', async ({ page }) => {
    test.setTimeout(120_000);
    const lastName = uniqueName('Reseau');

    // France Services' admin allows its reception agent to open a file without consent (legal reasons).
    await logInAt(page, ADMIN, /\/administration$/);
    await page.goto('/administration/agents');
    await page.getByRole('button', { name: 'Autoriser Camille Arnaud' }).click();
    await page.getByRole('button', { name: "Confirmer l'autorisation" }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Camille Arnaud peut désormais ouvrir un dossier sans consentement' })).toBeVisible();
    await logOut(page);

    // The Département receives a person who agrees to be visible in the territory's network.
    await logInAt(page, SOCIAL, /\/suivi$/);
    await createPersonWithContact(page, lastName, 'Noé', '1985', 'Premier entretien.');
    await page.getByRole('button', { name: 'Recueillir un consentement' }).click();
    await tick(page, 'radio', 'Visibilité dans le réseau');
    await expect(page.getByRole('radio', { name: /^Tout le réseau du territoire/ })).toBeChecked();
    await tick(page, 'radio', 'Formulaire papier signé');
    await page.getByRole('button', { name: 'Enregistrer le consentement' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Consentement enregistré : Visibilité dans le réseau – Tout le réseau du territoire' })).toBeVisible();
    await logOut(page);

    // France Services does not find the file, but the network says who knows the person.
    await logInAt(page, RECEPTION, /\/accueil$/);
    await searchAtDesk(page, lastName);
    await expect(page.getByRole('option', { name: /Nouvelle personne/ })).toBeVisible();
    await expect(page.getByRole('option', { name: new RegExp(lastName) })).toHaveCount(0);
    await page.getByRole('button', { name: 'Rechercher dans le réseau du territoire' }).click();
    const results = page.getByRole('region', { name: `Dans le réseau du territoire : « ${lastName} »` });
    await expect(results.getByRole('heading')).toBeFocused();
    const hit = results.locator('.pa-network-hit').filter({ hasText: `Noé ${lastName}` });
    await expect(hit).toContainText('née ou né en 1985');
    await expect(hit).toContainText(`${DEPARTMENT} — 0492000000`);
    await expect(results).toContainText('n\'est pas partagé avec votre structure sans leur consentement');

    // Exceptional access: legal basis and justification, then the file, with the warning.
    await hit.getByRole('button', { name: /^Accès exceptionnel \(motif légal\)/ }).click();
    await tick(page, 'radio', 'Danger pour la personne ou pour autrui');
    await page.getByLabel(/^Justification/).fill('La personne a signalé une mise en danger lors de son passage.');
    await page.getByRole('button', { name: 'Ouvrir le dossier (accès tracé)' }).click();
    await expect(page).toHaveURL(/\/personnes\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Noé ${lastName}`);
    await expect(page.locator('.fr-alert--warning')).toContainText('Accès exceptionnel');
    await logOut(page);

    // The admin reviews it, then withdraws the permission.
    await logInAt(page, ADMIN, /\/administration$/);
    await page.getByRole('link', { name: 'Accès exceptionnels' }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accès exceptionnels');
    const row = page.getByRole('row').filter({ hasText: 'La personne a signalé une mise en danger' });
    await expect(row).toContainText('Camille Arnaud');
    await expect(row).toContainText('À vérifier');
    await row.getByRole('button', { name: /^Marquer comme vérifié/ }).click();
    await expect(row).toContainText('Vérifié');
    await expect(row).toContainText('par Lucie Faure');

    await page.goto('/administration/agents');
    await page.getByRole('button', { name: "Retirer l'autorisation d'accès exceptionnel à Camille Arnaud" }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Camille Arnaud ne peut plus ouvrir de dossier sans consentement.' })).toBeVisible();
  });
});
