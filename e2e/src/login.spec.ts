import { expect, test } from '@playwright/test';
import { logIn, logOut } from './support';

const HOMES = [
  { email: 'accueil@demo.passerelle.fr', path: '/accueil', heading: 'Accueil', structure: 'France Services du Briançonnais' },
  { email: 'social@demo.passerelle.fr', path: '/suivi', heading: 'Suivi des personnes', structure: 'Département des Hautes-Alpes' },
  { email: 'coordination@demo.passerelle.fr', path: '/coordination', heading: 'Coordination territoriale', structure: 'Département des Hautes-Alpes' },
  { email: 'admin@demo.passerelle.fr', path: '/administration', heading: 'Administration de la structure', structure: 'France Services du Briançonnais' },
  { email: 'plateforme@demo.passerelle.fr', path: '/plateforme', heading: 'Administration de la plateforme', structure: 'Administrateur de la plateforme' },
];

test('the login page follows the State design system, in French', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/connexion/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.locator('header.fr-header')).toBeVisible();
  await expect(page.getByText('Passerelle').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Se connecter' })).toBeVisible();
});

for (const home of HOMES) {
  test(`${home.email} logs in and lands on their home`, async ({ page }) => {
    await logIn(page, home.email);
    await expect(page).toHaveURL(new RegExp(`${home.path}$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(home.heading);
    await expect(page.locator('header').getByText(home.structure).first()).toBeVisible();
    await logOut(page);
  });
}

test('a wrong password shows the API message and keeps the user on the login page', async ({ page }) => {
  await logIn(page, 'accueil@demo.passerelle.fr', 'Mauvais-mot-de-passe-1!');
  await expect(page.getByText('Adresse électronique ou mot de passe incorrect.')).toBeVisible();
  await expect(page).toHaveURL(/\/connexion/);
});

test('an unknown page shows the 404 page', async ({ page }) => {
  await logIn(page, 'accueil@demo.passerelle.fr');
  await expect(page).toHaveURL(/\/accueil$/);
  await page.goto('/nulle-part');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page non trouvée');
});

test('a role cannot open another role’s pages', async ({ page }) => {
  await logIn(page, 'accueil@demo.passerelle.fr');
  await expect(page).toHaveURL(/\/accueil$/);
  await page.goto('/administration/agents');
  await expect(page).not.toHaveURL(/\/administration/);
});
