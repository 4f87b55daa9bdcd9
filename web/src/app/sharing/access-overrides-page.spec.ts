import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { AccessOverride } from '@passerelle/contracts';
import { text } from '../../testing/dom';
import { AccessOverridesPage } from './access-overrides-page';

function anOverride(overrides: Partial<AccessOverride> = {}): AccessOverride {
  return {
    id: 'override-1',
    personId: 'person-7',
    legalBasis: 'danger',
    justification: 'Signalement de mise en danger reçu ce matin.',
    userName: 'Paul Martin',
    createdAt: '2026-11-24T10:00:00.000Z',
    expiresAt: '2026-11-24T14:00:00.000Z',
    reviewedAt: null,
    reviewedBy: null,
    ...overrides,
  };
}

describe('AccessOverridesPage', () => {
  let fixture: ComponentFixture<AccessOverridesPage>;
  let element: HTMLElement;
  let http: HttpTestingController;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(AccessOverridesPage);
    element = fixture.nativeElement;
    document.body.appendChild(element);
    await fixture.whenStable();
    http.expectOne('/api/access-overrides').flush([
      anOverride(),
      anOverride({ id: 'override-0', legalBasis: 'legal_obligation', reviewedAt: '2026-11-20T09:00:00.000Z', reviewedBy: 'Anne Admin' }),
    ]);
    await fixture.whenStable();
  });

  afterEach(() => {
    http.verify();
    element.remove();
  });

  it('lists the exceptional accesses with their reason, those to review marked in words', () => {
    expect(element.querySelector('caption')?.textContent).toContain('2 accès exceptionnels');
    expect(element.querySelector('caption')?.textContent).toContain('1 à vérifier');
    const [toReview, reviewed] = Array.from(element.querySelectorAll('tbody tr')).map((row) => (row.textContent ?? '').replace(/\s+/g, ' '));
    expect(toReview).toContain('Paul Martin');
    expect(toReview).toContain('Danger pour la personne ou pour autrui');
    expect(toReview).toContain('Signalement de mise en danger reçu ce matin.');
    expect(toReview).toContain('À vérifier');
    expect(reviewed).toContain('Obligation légale');
    expect(reviewed).toContain('Vérifié');
    expect(reviewed).toContain('par Anne Admin');
    expect(element.querySelectorAll('tbody button')).toHaveLength(1);
  });

  it('"Marquer comme vérifié" records the review', async () => {
    (element.querySelector('tbody button') as HTMLButtonElement).click();
    await fixture.whenStable();
    http
      .expectOne({ method: 'POST', url: '/api/access-overrides/override-1/review' })
      .flush(anOverride({ reviewedAt: '2026-11-24T12:00:00.000Z', reviewedBy: 'Marie Curie' }));
    await fixture.whenStable();
    expect(text(fixture)).toContain("L'accès exceptionnel de Paul Martin est marqué comme vérifié.");
    expect(element.querySelectorAll('tbody button')).toHaveLength(0);
    expect(element.querySelector('caption')?.textContent).toContain('aucun à vérifier');
    expect(document.activeElement?.id).toBe('acces-override-1');
  });
});
