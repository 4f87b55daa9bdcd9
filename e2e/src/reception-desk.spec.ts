import { expect, type Page, test } from '@playwright/test';
import { Interactions } from './interactions';
import { logIn } from './support';

/** The demo reception agent, at "France Services du Briançonnais", which follows these demo persons. */
const AGENT = 'accueil@demo.passerelle.fr';
const RETURNING_PERSON = { search: "N'Diaye", name: /Jean-Pierre N.Diaye/ };
const OTHER_PERSON = { search: 'Lefèvre', name: /Zoé Lefèvre/ };

const SEARCH_LABEL = 'Rechercher une personne (nom, téléphone, courriel)';

async function openDesk(page: Page): Promise<void> {
  await logIn(page, AGENT);
  await expect(page).toHaveURL(/\/accueil$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accueil');
  // The search box has the focus on arrival: the agent types at once.
  await expect(page.getByRole('combobox', { name: SEARCH_LABEL })).toBeFocused();
}

async function expectSaved(page: Page, text: RegExp | string): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: 'Passage enregistré' })).toContainText(text);
  // Ready for the next person: the empty search box has the focus.
  const search = page.getByRole('combobox', { name: SEARCH_LABEL });
  await expect(search).toBeFocused();
  await expect(search).toHaveValue('');
}

test.describe('reception desk', () => {
  test('a returning person’s information-only contact takes at most 6 interactions', async ({ page }) => {
    await openDesk(page);
    const agent = new Interactions(page);

    // The name's keystrokes are not counted (the rule).
    await page.keyboard.type(RETURNING_PERSON.search);
    await expect(page.getByRole('option', { name: RETURNING_PERSON.name }).first()).toBeVisible();

    await agent.press('ArrowDown');
    await expect(page.getByRole('combobox', { name: SEARCH_LABEL })).toHaveAttribute('aria-activedescendant', /option-0$/);
    await agent.press('Enter');
    await expect(page.getByRole('heading', { name: /^Passage de Jean-Pierre N.Diaye/ })).toBeVisible();
    await expect(page.getByRole('combobox', { name: /^Besoin exprimé/ })).toBeFocused();

    // Channel "Accueil physique", answer "Information donnée" and the site are already chosen.
    await agent.type('logement');
    await agent.press('Enter');
    await expect(page.locator('.pa-needs')).toContainText('Hébergement / logement');
    await agent.press('Enter');

    await expectSaved(page, RETURNING_PERSON.name);
    console.log(`Returning person, information-only contact: ${agent.count} interactions\n${agent.log}`);
    expect(agent.count, agent.log).toBeLessThanOrEqual(6);
  });

  test('a new person’s contact takes at most 12 interactions', async ({ page }) => {
    await openDesk(page);
    const agent = new Interactions(page);
    const lastName = `Marchetti-${Date.now().toString(36)}`.replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]);

    // "NOM Prénom" in the search box: one interaction (this time the name counts, field by field).
    await agent.type(`${lastName} Ilona`);
    await expect(page.getByRole('option', { name: /Nouvelle personne/ })).toBeVisible();
    await agent.press('Alt+N');

    // The identity is prefilled from the search; the focus is on the first empty field: the birth.
    await expect(page.getByLabel("Nom d'usage")).toHaveValue(lastName);
    await expect(page.getByLabel('Prénom(s)')).toHaveValue('Ilona');
    await expect(page.getByRole('textbox', { name: /^Date ou année de naissance/ })).toBeFocused();
    await agent.type('1984');
    await agent.press('Tab');
    await agent.type('Briançon');
    await expect(page.getByRole('option', { name: /^Briançon/ })).toBeVisible();
    await agent.press('ArrowDown');
    await agent.press('Enter');
    await agent.press('Enter');

    await expect(page.getByRole('heading', { name: new RegExp(`^Passage de Ilona ${lastName}`) })).toBeVisible();
    await expect(page.getByRole('combobox', { name: /^Besoin exprimé/ })).toBeFocused();
    await agent.type('caf');
    await agent.press('Enter');
    await agent.press('Enter');

    await expectSaved(page, `Ilona ${lastName}`);
    console.log(`New person and contact: ${agent.count} interactions\n${agent.log}`);
    expect(agent.count, agent.log).toBeLessThanOrEqual(12);
  });

  test('an anonymous information-only contact', async ({ page }) => {
    await openDesk(page);
    const agent = new Interactions(page);
    await agent.click(page.getByRole('button', { name: 'Passage sans identification' }), 'Passage sans identification');
    await expect(page.getByRole('heading', { name: 'Passage sans identification' })).toBeVisible();
    await expect(page.getByRole('combobox', { name: /^Besoin exprimé/ })).toBeFocused();
    await agent.type('papiers');
    await agent.press('Enter');
    await agent.press('Enter');
    await expectSaved(page, 'sans identification');
    console.log(`Anonymous contact: ${agent.count} interactions`);

    // It counts in the day's figures.
    await page.getByRole('link', { name: "Aujourd'hui" }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText("Aujourd'hui");
    await expect(page.getByRole('table', { name: 'Par besoin exprimé' })).toContainText('Formalités administratives');
    await expect(page.getByRole('rowheader', { name: /Sans identification/ }).first()).toBeVisible();
  });

  test('the person page shows the new contact in the timeline', async ({ page }) => {
    await openDesk(page);
    const summary = `Point sur la demande de logement (${Date.now()})`;
    await page.keyboard.type(OTHER_PERSON.search);
    await page.getByRole('option', { name: OTHER_PERSON.name }).first().click();
    const needs = page.getByRole('combobox', { name: /^Besoin exprimé/ });
    await expect(needs).toBeFocused();
    await needs.fill('logement');
    await needs.press('Enter');
    await page.getByLabel('Réponse apportée').selectOption({ label: 'Rendez-vous pris' });
    await page.getByLabel(/^Synthèse partagée/).fill(summary);
    await page.getByLabel(/^Note privée/).fill('Note privée de test.');
    await page.getByLabel(/^Synthèse partagée/).press('Control+Enter');
    await expectSaved(page, OTHER_PERSON.name);

    await page.getByRole('status').getByRole('link', { name: 'Voir le dossier' }).click();
    await expect(page).toHaveURL(/\/personnes\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(OTHER_PERSON.name);
    const latest = page.locator('.pa-timeline__item').first();
    await expect(latest).toContainText(summary);
    await expect(latest).toContainText('Hébergement / logement');
    await expect(latest).toContainText('Rendez-vous pris');
    await expect(latest).toContainText('Note privée de test.');

    // "Nouveau passage" goes back to the desk's contact form for this person.
    await page.getByRole('link', { name: 'Nouveau passage' }).click();
    await expect(page.getByRole('heading', { name: /^Passage de Zoé Lefèvre/ })).toBeVisible();
    await expect(page.getByRole('combobox', { name: /^Besoin exprimé/ })).toBeFocused();
  });

  test('creating a person similar to an existing one shows the duplicate warning', async ({ page }) => {
    await openDesk(page);
    await page.getByRole('button', { name: /Nouvelle personne/ }).click();
    await page.getByLabel("Nom d'usage").fill("N'Diaye");
    await page.getByLabel('Prénom(s)').fill('Jean Pierre');
    await page.getByLabel('Prénom(s)').press('Enter');
    const needs = page.getByRole('combobox', { name: /^Besoin exprimé/ });
    await expect(needs).toBeFocused();
    await needs.fill('emploi');
    await needs.press('Enter');
    await needs.press('Enter');

    await expect(page.getByRole('heading', { name: 'Cette personne existe peut-être déjà' })).toBeFocused();
    const open = page.getByRole('button', { name: /Ouvrir ce dossier Jean-Pierre N.Diaye/ }).first();
    await expect(open).toBeVisible();
    await expect(page.getByRole('button', { name: 'Créer quand même' })).toBeVisible();

    // The contact goes to the existing file; no new person is created.
    await open.click();
    await expect(page.getByRole('heading', { name: /^Passage de Jean-Pierre N.Diaye/ })).toBeVisible();
    await needs.press('Enter');
    await expectSaved(page, RETURNING_PERSON.name);
  });
});
