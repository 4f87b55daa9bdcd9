import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { AccessLogEntry } from '@passerelle/contracts';
import { buttonByText, text } from '../../testing/dom';
import { aPerson } from '../../testing/fixtures';
import { AccessLogPage } from './access-log-page';

function anEntry(overrides: Partial<AccessLogEntry> = {}): AccessLogEntry {
  return {
    at: '2026-11-24T10:00:00.000Z',
    action: 'person.read',
    actionLabel: 'Consultation du dossier',
    userName: 'Marie Curie',
    structureName: 'CCAS de Gap',
    reason: 'followed_by_my_structure',
    outcome: 'success',
    flagged: false,
    ...overrides,
  };
}

describe('AccessLogPage', () => {
  let fixture: ComponentFixture<AccessLogPage>;
  let element: HTMLElement;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AccessLogPage);
    fixture.componentRef.setInput('id', 'person-1');
    element = fixture.nativeElement;
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  async function load(entries: AccessLogEntry[]): Promise<void> {
    http.expectOne('/api/persons/person-1').flush(aPerson());
    http.expectOne('/api/persons/person-1/access-log').flush(entries);
    await fixture.whenStable();
  }

  it('lists who opened the file, when, from where and why, exceptional accesses marked in words', async () => {
    await load([
      anEntry({
        at: '2026-11-24T11:00:00.000Z',
        action: 'person.access_override',
        actionLabel: 'Accès exceptionnel pour motif légal',
        userName: 'Paul Martin',
        structureName: 'Département — action sociale',
        reason: 'danger',
        flagged: true,
      }),
      anEntry({ userName: 'Léa Roux', structureName: 'Département — action sociale', reason: 'consent' }),
      anEntry({ action: 'person.access_override', actionLabel: 'Accès exceptionnel pour motif légal', reason: 'no_permission', outcome: 'denied' }),
    ]);
    expect(element.querySelector('h1')?.textContent).toBe('Journal des accès au dossier');
    expect(text(fixture)).toContain("Jean-Pierre N'Diaye");
    expect(element.querySelector('caption')?.textContent).toContain('3 accès');
    const rows = Array.from(element.querySelectorAll('tbody tr')).map((row) => (row.textContent ?? '').replace(/\s+/g, ' '));
    expect(rows[0]).toContain('Accès exceptionnel pour motif légal');
    expect(rows[0]).toContain('Paul Martin');
    expect(rows[0]).toContain('Motif légal : Danger pour la personne ou pour autrui');
    expect(rows[0]).toContain('Accès exceptionnel');
    expect(rows[1]).toContain('La personne a consenti au partage avec votre structure');
    expect(rows[1]).not.toMatch(/Accès exceptionnel$/);
    expect(rows[2]).toContain('(refusé)');
  });

  it('offers the log as a PDF and everything held on the person as a PDF and as JSON (right of access)', async () => {
    await load([anEntry()]);
    const link = (label: string) => Array.from(element.querySelectorAll('a')).find((a) => a.textContent?.trim() === label);
    const pdf = link('Télécharger le journal (PDF)');
    expect(pdf?.getAttribute('href')).toBe('/api/persons/person-1/access-log.pdf');
    expect(pdf?.hasAttribute('download')).toBe(true);
    const exportPdf = link('Toutes les données de la personne (PDF, droit d’accès)');
    expect(exportPdf?.getAttribute('href')).toBe('/api/persons/person-1/export.pdf');
    expect(exportPdf?.hasAttribute('download')).toBe(true);
    const exportJson = link('Toutes les données de la personne (JSON, droit d’accès)');
    expect(exportJson?.getAttribute('href')).toBe('/api/persons/person-1/export.json');
    expect(exportJson?.hasAttribute('download')).toBe(true);
  });

  it('"Imprimer" opens the browser print dialog', async () => {
    await load([anEntry()]);
    const print = jest.spyOn(window, 'print').mockImplementation(() => undefined);
    buttonByText(element, 'Imprimer').click();
    expect(print).toHaveBeenCalled();
    print.mockRestore();
  });

  it('shows the API message when the structure does not follow the person', async () => {
    http.expectOne('/api/persons/person-1').flush(aPerson({ access: 'consent' }));
    http
      .expectOne('/api/persons/person-1/access-log')
      .flush(
        { statusCode: 403, code: 'FORBIDDEN', message: 'Seules les structures qui suivent la personne peuvent le modifier.' },
        { status: 403, statusText: 'Forbidden' },
      );
    await fixture.whenStable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('Seules les structures qui suivent la personne');
    expect(element.querySelector('table')).toBeNull();
  });
});
