import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { ErasureReport } from '@passerelle/contracts';
import { buttonByText, fieldByLabel, text, type } from '../../testing/dom';
import { aPerson } from '../../testing/fixtures';
import { describeErasure, PersonErasure } from './person-erasure';

function aReport(overrides: Partial<ErasureReport> = {}): ErasureReport {
  return {
    personId: 'person-1',
    basis: 'person_request',
    anonymizedAt: '2026-12-01T10:00:00.000Z',
    personsAnonymized: 1,
    erased: { access_overrides: 0, contacts: 3, documents: 1, requests: 2 },
    ...overrides,
  };
}

describe('PersonErasure', () => {
  let fixture: ComponentFixture<PersonErasure>;
  let element: HTMLElement;
  let http: HttpTestingController;
  let erased: ErasureReport[];
  let cancelled: number;

  async function render(): Promise<void> {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(PersonErasure);
    fixture.componentRef.setInput('person', aPerson());
    erased = [];
    cancelled = 0;
    fixture.componentInstance.erased.subscribe((report) => erased.push(report));
    fixture.componentInstance.cancelled.subscribe(() => cancelled++);
    element = fixture.nativeElement;
    document.body.appendChild(element);
    await fixture.whenStable();
  }

  function choose(basisLabel: string): void {
    const radio = fieldByLabel(element, basisLabel) as HTMLInputElement;
    radio.checked = true;
    radio.dispatchEvent(new Event('change'));
  }

  async function submit(): Promise<void> {
    buttonByText(element, 'Effacer définitivement').click();
    await fixture.whenStable();
  }

  afterEach(() => {
    http.verify();
    element?.remove();
  });

  it('says what is erased, what is kept, that it cannot be undone, and offers the bases of art. 17', async () => {
    await render();
    expect(element.querySelector('h3')?.textContent).toContain("Effacer les données de Jean-Pierre N'Diaye");
    expect(text(fixture)).toContain('Cette opération est irréversible');
    expect(text(fixture)).toContain('Ce qui est effacé');
    expect(text(fixture)).toContain('les documents du dossier, supprimés');
    expect(text(fixture)).toContain('Ce qui est conservé, sans rien qui identifie la personne');
    expect(text(fixture)).toContain("L'effacement est refusé tant qu'une demande est ouverte ou en cours");
    const radios = Array.from(element.querySelectorAll<HTMLInputElement>('input[name="basis"]'));
    expect(radios.map((r) => r.id)).toEqual(['effacement-fondement-person_request', 'effacement-fondement-consent_withdrawn', 'effacement-fondement-objection']);
    expect(text(fixture)).toContain('Retrait du consentement, sans autre base légale au traitement (art. 17.1.b)');
    expect(radios.some((r) => r.checked)).toBe(false); // nothing chosen for the admin
    expect(document.activeElement).toBe(radios[0]);
  });

  it('sends nothing without a basis and the word EFFACER typed exactly', async () => {
    await render();
    await submit();
    expect(text(fixture)).toContain("Choisissez le fondement de la demande d'effacement.");
    expect(text(fixture)).toContain("Saisissez le mot EFFACER en majuscules pour confirmer l'effacement.");
    expect(document.activeElement?.getAttribute('name')).toBe('basis');

    choose('Demande de la personne');
    type(fieldByLabel(element, 'Pour confirmer, saisissez EFFACER'), 'effacer');
    await submit();
    http.expectNone('/api/persons/person-1/erasure');
    expect(text(fixture)).not.toContain('Choisissez le fondement');
    expect(document.activeElement?.id).toBe('effacement-confirmation');
    expect(fieldByLabel(element, 'Pour confirmer, saisissez EFFACER').getAttribute('aria-invalid')).toBe('true');
  });

  it('erases with the chosen basis and emits the report', async () => {
    await render();
    choose('Retrait du consentement');
    type(fieldByLabel(element, 'Pour confirmer, saisissez EFFACER'), ' EFFACER ');
    await submit();
    const request = http.expectOne('/api/persons/person-1/erasure');
    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({ basis: 'consent_withdrawn', confirmation: 'EFFACER' });
    request.flush(aReport({ basis: 'consent_withdrawn' }));
    await fixture.whenStable();
    expect(erased).toEqual([aReport({ basis: 'consent_withdrawn' })]);
  });

  it('lists in French why the API refused (open requests), and lets the admin cancel', async () => {
    await render();
    choose('Opposition de la personne au traitement');
    type(fieldByLabel(element, 'Pour confirmer, saisissez EFFACER'), 'EFFACER');
    await submit();
    http.expectOne('/api/persons/person-1/erasure').flush(
      {
        statusCode: 409,
        code: 'ERASURE_BLOCKED',
        message: 'Les données de cette personne ne peuvent pas être effacées maintenant : 2 demandes sont encore ouvertes ou en cours.',
        details: [
          {
            field: 'open_requests',
            messages: [
              'Votre structure : demande « Hébergement / logement », statut « Ouverte ».',
              'CAF des Hautes-Alpes : 1 demande ouverte ou en cours — seule cette structure peut la clore.',
            ],
          },
        ],
      },
      { status: 409, statusText: 'Conflict' },
    );
    await fixture.whenStable();
    const alert = element.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('2 demandes sont encore ouvertes ou en cours');
    expect(Array.from(alert?.querySelectorAll('li') ?? []).map((li) => li.textContent?.trim())).toEqual([
      'Votre structure : demande « Hébergement / logement », statut « Ouverte ».',
      'CAF des Hautes-Alpes : 1 demande ouverte ou en cours — seule cette structure peut la clore.',
    ]);
    expect(erased).toEqual([]);

    buttonByText(element, 'Annuler').click();
    expect(cancelled).toBe(1);
  });

  it('shows the API’s refusal of a field under that field', async () => {
    await render();
    choose('Demande de la personne');
    type(fieldByLabel(element, 'Pour confirmer, saisissez EFFACER'), 'EFFACER');
    await submit();
    http.expectOne('/api/persons/person-1/erasure').flush(
      {
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: 'La requête contient des données invalides.',
        details: [{ field: 'confirmation', messages: ['Pour confirmer l’effacement, saisissez le mot EFFACER en majuscules.'] }],
      },
      { status: 400, statusText: 'Bad Request' },
    );
    await fixture.whenStable();
    expect(element.querySelector('#effacement-confirmation-messages')?.textContent).toContain('saisissez le mot EFFACER en majuscules');
    // Validation details belong under their fields: not repeated in the alert.
    expect(element.querySelector('[role="alert"] li')).toBeNull();
  });

  it('describes the counts in words', () => {
    expect(describeErasure(aReport({ personsAnonymized: 2 }))).toBe(
      "dossiers anonymisés : 2 ; justifications d'accès exceptionnel : 0 ; textes des passages et des besoins : 3 ; documents supprimés : 1 ; textes des demandes : 2",
    );
  });
});
