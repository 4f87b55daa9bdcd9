import { expect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import { logIn } from './support';

const COORDINATOR = 'coordination@demo.passerelle.fr';
const GAP_EPCI = 'CA Gap-Tallard-Durance';
const CAF = 'CAF des Hautes-Alpes';

test.describe('coordination: where paths break, and the territory’s indicators', () => {
  test('a coordinator opens the dashboard, filters by territory, opens an alert, and exports the indicators', async ({ page }) => {
    test.setTimeout(120_000);
    await logIn(page, COORDINATOR);
    await expect(page).toHaveURL(/\/coordination$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Coordination territoriale');
    await expect(page.getByRole('status').filter({ hasText: /alertes? en cours/ })).toContainText('Tout le département');

    // Filter by the Gap agglomeration: the CAF (in Gap) has the demo's orientation waiting for an answer.
    await page.getByLabel('Territoire', { exact: true }).selectOption({ label: GAP_EPCI });
    await page.getByRole('button', { name: 'Afficher' }).click();
    await expect(page).toHaveURL(/territoire=epci(%3A|:)200067825/);
    await expect(page.getByRole('status').filter({ hasText: /alertes? en cours/ })).toContainText(GAP_EPCI);
    const table = page.getByRole('table', { name: /Alertes en cours par structure/ });
    const cafRow = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: CAF }) });
    await expect(cafRow).toBeVisible();
    // Briançon's France Services is outside this territory.
    await expect(table.getByRole('rowheader', { name: 'France Services du Briançonnais' })).toHaveCount(0);

    // The CAF's unanswered orientation: the list names no one, the alert page says what and since when.
    await cafRow.getByRole('link', { name: /Orientation sans réponse, CAF des Hautes-Alpes/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ruptures de parcours du territoire');
    const alerts = page.getByRole('table');
    await expect(alerts).toContainText('Orientation sans réponse');
    await expect(alerts).not.toContainText('Garnier');
    await alerts.getByRole('link', { name: /^Voir/ }).first().click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rupture de parcours : Orientation sans réponse');
    // The alert's address (its key holds a date with dots and colons) survives a reload.
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rupture de parcours : Orientation sans réponse');
    const main = page.getByRole('main');
    await expect(main).toContainText(CAF);
    await expect(main).toContainText('France Services du Briançonnais');
    await expect(main).toContainText(/22 jours/);
    await expect(main).not.toContainText('Garnier');
    await expect(main).not.toContainText('allocation de soutien familial'); // the orientation's message is a case note

    // The coordinator acknowledges it ("vu, relance faite") and the alert says so.
    await page.getByRole('button', { name: /^Acquitter/ }).click();
    await page.getByLabel(/^Commentaire/).fill('Relance faite auprès de la CAF le jour même.');
    await page.getByRole('button', { name: "Confirmer l'acquittement" }).click();
    const acknowledgement = page.getByRole('region', { name: 'Acquittement' });
    await expect(acknowledgement).toContainText('Acquittée le');
    await expect(acknowledgement).toContainText('Relance faite auprès de la CAF le jour même.');

    // The indicators of the same territory, exported as a workbook whose figures match the page.
    await page.goto('/coordination');
    await page.getByRole('link', { name: 'Indicateurs du territoire' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Indicateurs du territoire');
    await page.getByLabel('Territoire', { exact: true }).selectOption({ label: GAP_EPCI });
    await page.getByRole('button', { name: 'Afficher les indicateurs' }).click();
    await expect(page).toHaveURL(/territoire=epci(%3A|:)200067825/);
    const flows = page.getByRole('region', { name: /Flux entre structures/ });
    await expect(flows).toBeVisible();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Tout exporter (XLSX)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await readFile(await file.path()));
    const names = workbook.worksheets.map((s) => s.name);
    expect(names[0]).toBe('Filtres');
    expect(names.length).toBeGreaterThan(5);
    const filters = workbook.getWorksheet('Filtres');
    const filterText = JSON.stringify(filters?.getSheetValues());
    expect(filterText).toContain(GAP_EPCI);
  });
});
