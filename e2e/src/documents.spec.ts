import { expect, test } from '@playwright/test';
import { createPersonWithContact, uniqueName } from './people';
import { logIn } from './support';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test('an agent adds a document to a file, downloads it intact, and a fake PDF is refused', async ({ page }) => {
  test.setTimeout(90_000);
  await logIn(page, 'accueil@demo.passerelle.fr');
  await expect(page).toHaveURL(/\/accueil/);
  const lastName = uniqueName('Armoire');
  await createPersonWithContact(page, lastName, 'Lou', '1990', 'Demande de logement.');

  const documents = page.getByRole('region', { name: 'Documents' });
  await expect(documents).toContainText('Aucun document');
  await documents.getByLabel(/^Fichier/).setInputFiles({ name: 'cni.pdf', mimeType: 'application/pdf', buffer: PDF });
  await documents.getByLabel('Type de document').selectOption({ label: 'Pièce d’identité ou titre de séjour' });
  await expect(documents.getByLabel(/^Catégorie d’informations/)).toHaveValue('identity_contact');
  await documents.getByLabel('Titre').fill('Carte d’identité');
  await documents.getByRole('button', { name: 'Ajouter le document' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Document ajouté : Carte d’identité.' })).toBeVisible();

  const link = documents.getByRole('link', { name: /Carte d’identité/ });
  await expect(link).toBeVisible();
  const download = await page.request.get((await link.getAttribute('href')) ?? '');
  expect(download.status()).toBe(200);
  expect(download.headers()['content-type']).toBe('application/pdf');
  expect(Buffer.compare(await download.body(), PDF)).toBe(0);

  // A text file named .pdf: the type is read from the content, and refused in French.
  await documents.getByLabel(/^Fichier/).setInputFiles({ name: 'faux.pdf', mimeType: 'application/pdf', buffer: Buffer.from('Ceci est du texte.') });
  await documents.getByLabel('Titre').fill('Faux');
  await documents.getByRole('button', { name: 'Ajouter le document' }).click();
  await expect(documents.locator('#document-fichier-erreur')).toContainText('ni un PDF');
  await expect(documents.getByRole('link', { name: /Faux/ })).toHaveCount(0);
});
