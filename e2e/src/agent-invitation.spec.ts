import { expect, test } from '@playwright/test';
import { logIn, logOut } from './support';

test('a structure admin invites an agent, who activates their account and logs in', async ({ page }) => {
  const email = `nouvel.agent.${Date.now()}@demo.passerelle.fr`;
  const password = 'Bienvenue-a-Briancon-2026!';

  await logIn(page, 'admin@demo.passerelle.fr');
  await expect(page).toHaveURL(/\/administration$/);
  await page.goto('/administration/agents');
  await page.getByRole('button', { name: 'Inviter un agent' }).click();
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Prénom').fill('Nadia');
  await page.getByLabel('Nom', { exact: true }).fill('Girard');
  await page.getByLabel('Rôle').selectOption('reception_agent');
  await page.getByRole('button', { name: 'Envoyer l’invitation' }).or(page.getByRole('button', { name: "Envoyer l'invitation" })).click();

  const link = page.getByTestId('activation-url');
  await expect(link).toContainText('/activation?jeton=');
  const activationUrl = new URL((await link.innerText()).trim());
  await expect(page.getByRole('cell', { name: email })).toBeVisible();
  await logOut(page);

  await page.goto(activationUrl.pathname + activationUrl.search);
  await page.getByLabel('Nouveau mot de passe').fill(password);
  await page.getByLabel('Confirmation du mot de passe').fill(password);
  await page.getByRole('button', { name: 'Activer mon compte' }).click();
  await expect(page).toHaveURL(/\/connexion/);

  await logIn(page, email, password);
  await expect(page).toHaveURL(/\/accueil$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accueil');
});
