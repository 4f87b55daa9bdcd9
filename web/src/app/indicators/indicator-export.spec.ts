import { HttpEventType, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { buttonByText, text } from '../../testing/dom';
import { IndicatorExport } from './indicator-export';

describe('IndicatorExport', () => {
  let fixture: ComponentFixture<IndicatorExport>;
  let element: HTMLElement;
  let http: HttpTestingController;
  let createObjectURL: jest.Mock;
  let revokeObjectURL: jest.Mock;
  let clicked: { href: string; download: string }[];

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    createObjectURL = jest.fn(() => 'blob:indicateurs');
    revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    clicked = [];
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.getAttribute('href') ?? '', download: this.download });
    });
    fixture = TestBed.createComponent(IndicatorExport);
    fixture.componentRef.setInput('section', 'contacts');
    fixture.componentRef.setInput('filters', { from: '2026-08-01', to: '2026-10-31', bouquet: 5, structureId: 'caf' });
    fixture.componentRef.setInput('context', 'Accueil');
    element = fixture.nativeElement;
    document.body.appendChild(element);
    await fixture.whenStable();
  });

  afterEach(() => {
    http.verify();
    element.remove();
    jest.restoreAllMocks();
  });

  const progress = () => element.querySelector('progress');
  const status = () => (element.querySelector('[role="status"]')?.textContent ?? '').replace(/\s+/g, ' ').trim();

  async function start(label: string): Promise<TestRequest> {
    buttonByText(element, label).click();
    await fixture.whenStable();
    return http.expectOne((request) => request.url.startsWith('/api/indicators/'));
  }

  it('downloads the section with the filters, shows the progress, then saves the file under its name', async () => {
    const request = await start('Exporter (CSV) : Accueil');
    expect(request.request.url).toBe('/api/indicators/contacts/export');
    expect(request.request.params.toString()).toBe('format=csv&from=2026-08-01&to=2026-10-31&structureId=caf&bouquet=5');
    expect(request.request.responseType).toBe('blob');
    expect(request.request.reportProgress).toBe(true);

    // Size unknown: an indeterminate bar.
    expect(progress()?.hasAttribute('value')).toBe(false);
    expect(status()).toContain('Export CSV en cours de téléchargement');
    expect(element.querySelector('label')?.getAttribute('for')).toBe(progress()?.id);

    request.event({ type: HttpEventType.DownloadProgress, loaded: 512, total: 2048 });
    await fixture.whenStable();
    expect(progress()?.getAttribute('value')).toBe('25');
    expect(progress()?.getAttribute('max')).toBe('100');
    expect(status()).toContain('25 %');
    expect(buttonByText(element, 'Exporter (XLSX) : Accueil').getAttribute('aria-disabled')).toBe('true');

    const file = new Blob(['Canal;Contacts\n'], { type: 'text/csv' });
    request.flush(file, {
      headers: { 'Content-Disposition': 'attachment; filename="indicateurs-accueil-2026-08-01-2026-10-31.csv"', 'Content-Length': '15' },
    });
    await fixture.whenStable();
    expect(createObjectURL).toHaveBeenCalledTimes(1);
    expect(createObjectURL).toHaveBeenCalledWith(expect.any(Blob));
    expect(clicked).toEqual([{ href: 'blob:indicateurs', download: 'indicateurs-accueil-2026-08-01-2026-10-31.csv' }]);
    expect(progress()).toBeNull();
    expect(status()).toBe('Fichier « indicateurs-accueil-2026-08-01-2026-10-31.csv » téléchargé.');
  });

  it('cancels the download: the request is aborted and the focus goes back to the export button', async () => {
    const request = await start('Exporter (XLSX) : Accueil');
    request.event({ type: HttpEventType.DownloadProgress, loaded: 100 });
    await fixture.whenStable();
    buttonByText(element, "Annuler l'export : Accueil").focus();
    buttonByText(element, "Annuler l'export : Accueil").click();
    await fixture.whenStable();
    expect(request.cancelled).toBe(true);
    expect(progress()).toBeNull();
    expect(status()).toBe('Export annulé.');
    expect(clicked).toEqual([]);
    expect(document.activeElement?.textContent?.trim()).toContain('Exporter (XLSX)');
  });

  it("shows the API's error, read from the blob body", async () => {
    const request = await start('Exporter (CSV) : Accueil');
    request.flush(new Blob([JSON.stringify({ code: 'FORBIDDEN', message: 'Vous consultez les indicateurs de votre structure.' })]), {
      status: 403,
      statusText: 'Forbidden',
    });
    // The blob is read asynchronously (FileReader in jsdom): wait for the alert rather than for one tick.
    for (let i = 0; i < 100 && !element.querySelector('[role="alert"]'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      fixture.detectChanges();
      await fixture.whenStable();
    }
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('Vous consultez les indicateurs de votre structure.');
    expect(progress()).toBeNull();
  });

  it('exports every section in one workbook, named by default when the API gives no name', async () => {
    fixture.componentRef.setInput('section', null);
    fixture.componentRef.setInput('formats', ['xlsx']);
    fixture.componentRef.setInput('context', 'toutes les sections');
    await fixture.whenStable();
    expect(text(fixture)).not.toContain('CSV');
    const request = await start('Tout exporter (XLSX) : toutes les sections');
    expect(request.request.url).toBe('/api/indicators/export');
    expect(request.request.params.get('format')).toBe('xlsx');
    request.flush(new Blob(['x']));
    await fixture.whenStable();
    expect(clicked.map((c) => c.download)).toEqual(['indicateurs-tout-2026-08-01-2026-10-31.xlsx']);
  });
});
