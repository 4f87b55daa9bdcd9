import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { buttonByText, text } from '../../testing/dom';
import { aService } from '../../testing/directory-fixtures';
import { aCurrentUser } from '../../testing/fixtures';
import { AuthService } from '../core/auth/auth.service';
import { ServicesAdminPage } from './services-admin-page';

describe('ServicesAdminPage', () => {
  let fixture: ComponentFixture<ServicesAdminPage>;
  let element: HTMLElement;
  let http: HttpTestingController;

  const fresh = aService({ id: 'service-1', name: 'Logement des jeunes' });
  const stale = aService({ id: 'service-2', name: 'Point d’accès au droit', stale: true, lastVerifiedAt: '2026-03-01T10:00:00.000Z', lastVerifiedBy: null });
  const withdrawn = aService({ id: 'service-3', name: 'Ancien atelier', active: false });

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ServicesAdminPage],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    const login = firstValueFrom(TestBed.inject(AuthService).login({ email: 'a@b.fr', password: 'x' }));
    http.expectOne('/api/auth/login').flush(aCurrentUser('structure_admin'));
    await login;
    fixture = TestBed.createComponent(ServicesAdminPage);
    element = fixture.nativeElement;
    await fixture.whenStable();
    http.expectOne('/api/structures/structure-1/services').flush([fresh, stale, withdrawn]);
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  const row = (name: string) =>
    (Array.from(element.querySelectorAll('tbody tr')).find((tr) => tr.querySelector('th')?.textContent?.includes(name)) as HTMLElement);

  it('lists the structure’s services with their status and freshness, and warns about the stale ones', () => {
    expect(element.querySelectorAll('tbody tr')).toHaveLength(3);
    expect(row('Logement des jeunes').textContent).toContain('Publié');
    expect(row('Logement des jeunes').textContent).toContain('2 novembre 2026');
    expect(row('Logement des jeunes').textContent).toContain('par Lucie Faure');
    expect(row('Logement des jeunes').textContent).not.toContain('À vérifier');
    expect(row('Point d’accès au droit').textContent).toContain('À vérifier');
    expect(row('Ancien atelier').textContent).toContain('Retiré');
    expect(text(fixture)).toContain('1 service n\'a pas été vérifié depuis plus de six mois');
  });

  it('marks a stale service as verified', async () => {
    buttonByText(row('Point d’accès au droit'), 'Marquer comme vérifié Point d’accès au droit').click();
    const request = http.expectOne({ method: 'POST', url: '/api/services/service-2/verify' });
    request.flush({ ...stale, stale: false, lastVerifiedAt: '2026-11-24T09:00:00.000Z', lastVerifiedBy: 'Marie Curie' });
    await fixture.whenStable();
    expect(row('Point d’accès au droit').textContent).not.toContain('À vérifier');
    expect(row('Point d’accès au droit').textContent).toContain('par Marie Curie');
    expect(text(fixture)).toContain('Le service Point d’accès au droit est marqué comme vérifié.');
    expect(text(fixture)).not.toContain('depuis plus de six mois');
  });

  it('withdraws a service after confirmation, and republishes a withdrawn one', async () => {
    buttonByText(row('Logement des jeunes'), 'Retirer Logement des jeunes').click();
    await fixture.whenStable();
    expect(text(fixture)).toContain('Retirer Logement des jeunes de l\'annuaire ?');
    buttonByText(element, 'Confirmer le retrait').click();
    const withdraw = http.expectOne({ method: 'PATCH', url: '/api/services/service-1' });
    expect(withdraw.request.body).toEqual({ active: false });
    withdraw.flush({ ...fresh, active: false });
    await fixture.whenStable();
    expect(row('Logement des jeunes').textContent).toContain('Retiré');

    buttonByText(row('Ancien atelier'), 'Republier Ancien atelier').click();
    const republish = http.expectOne({ method: 'PATCH', url: '/api/services/service-3' });
    expect(republish.request.body).toEqual({ active: true });
    republish.flush({ ...withdrawn, active: true });
    await fixture.whenStable();
    expect(row('Ancien atelier').textContent).toContain('Publié');
  });

  it('opens the form to add a service and closes it on cancel', async () => {
    buttonByText(element, 'Ajouter un service').click();
    await fixture.whenStable();
    http.expectOne('/api/structures/structure-1/sites').flush([]);
    await fixture.whenStable();
    expect(element.querySelector('#titre-formulaire-service')?.textContent).toContain('Ajouter un service');
    expect(text(fixture)).toContain('Aucun site ouvert');
    buttonByText(element, 'Annuler').click();
    await fixture.whenStable();
    expect(element.querySelector('#formulaire-service')).toBeNull();
  });
});
