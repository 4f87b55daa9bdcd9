import { formatDate } from '@angular/common';
import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { AppNotification } from '@passerelle/contracts';
import { firstValueFrom } from 'rxjs';
import { buttonByText } from '../../testing/dom';
import { aCurrentUser } from '../../testing/fixtures';
import { AuthService } from '../core/auth/auth.service';
import { NotificationsPage } from './notifications-page';
import { UnreadNotifications } from './unread-notifications';

@Component({ selector: 'pa-empty', template: '' })
class Empty {}

function aNotification(overrides: Partial<AppNotification> = {}): AppNotification {
  return {
    id: 'notification-1',
    kind: 'referral_received',
    entityType: 'referral',
    entityId: 'referral-1',
    fromStructureName: 'France Services du Briançonnais',
    toStructureId: 'structure-1',
    toStructureName: 'CCAS de Gap',
    detail: null,
    createdAt: '2026-11-30T08:05:00.000Z',
    readAt: null,
    ...overrides,
  };
}

const answered = aNotification({
  id: 'notification-2',
  kind: 'referral_status',
  entityId: 'referral-2',
  detail: 'accepted',
  fromStructureName: 'CAF des Hautes-Alpes',
  createdAt: '2026-11-29T15:30:00.000Z',
});
const handoff = aNotification({
  id: 'notification-3',
  kind: 'handoff_answered',
  entityType: 'handoff',
  entityId: 'handoff-1',
  detail: 'cancelled',
  readAt: '2026-11-29T10:00:00.000Z',
  createdAt: '2026-11-28T09:00:00.000Z',
});
const stale = aNotification({
  id: 'notification-4',
  kind: 'services_stale',
  entityType: 'structure',
  entityId: 'structure-2',
  fromStructureName: null,
  toStructureId: 'structure-2',
  toStructureName: 'CCAS d’Embrun',
  createdAt: '2026-11-27T09:00:00.000Z',
});

describe('NotificationsPage', () => {
  let harness: RouterTestingHarness;
  let http: HttpTestingController;
  let element: HTMLElement;

  const text = () => (element.textContent ?? '').replace(/\s+/g, ' ');
  const items = () => Array.from(element.querySelectorAll('li.pa-notification')).map((li) => (li.textContent ?? '').replace(/\s+/g, ' ').trim());
  const stable = () => harness.fixture.whenStable();

  async function open(list: AppNotification[] = [aNotification(), answered, handoff, stale]): Promise<void> {
    await harness.navigateByUrl('/notifications', NotificationsPage);
    element = harness.routeNativeElement as HTMLElement;
    document.body.appendChild(harness.fixture.nativeElement);
    http.expectOne('/api/notifications').flush(list);
    await stable();
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([
          { path: 'notifications', component: NotificationsPage },
          { path: '**', component: Empty },
        ]),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    // Signed in as a reception agent of "CCAS de Gap" (structure-1).
    const login = firstValueFrom(TestBed.inject(AuthService).login({ email: 'marie.curie@demo.passerelle.fr', password: 'x' }));
    http.expectOne('/api/auth/login').flush(aCurrentUser('reception_agent'));
    await login;
    harness = await RouterTestingHarness.create();
  });

  afterEach(() => {
    http.verify();
    harness.fixture.nativeElement.remove();
  });

  it('lists them newest first: what happened, from which structure, when, unread ones marked, each with its link', async () => {
    await open();
    expect(element.querySelector('h1')?.textContent).toContain('Notifications');
    expect(text()).toContain('4 notifications');
    const [received, status, cancelled, services] = items();
    expect(received).toContain('Non lue');
    expect(received).toContain('Nouvelle orientation reçue');
    expect(received).toContain('De : France Services du Briançonnais');
    // In the browser's time zone.
    expect(received).toContain(formatDate('2026-11-30T08:05:00.000Z', "dd/MM/yyyy 'à' HH:mm", 'fr'));
    expect(status).toContain('Une orientation que vous avez envoyée a changé de statut : Acceptée');
    expect(status).toContain('De : CAF des Hautes-Alpes');
    expect(cancelled).toContain('Un passage de relais qui vous était proposé a été annulé');
    expect(cancelled).not.toContain('Non lue');
    expect(services).toContain('Des offres de service sont à vérifier');
    expect(services).not.toContain('De :');
    // Addressed for another of my structures: said so.
    expect(services).toContain('Pour votre rôle dans « CCAS d’Embrun » : changez de structure');
    expect(received).not.toContain('Pour votre rôle');

    const hrefs = Array.from(element.querySelectorAll('li.pa-notification a')).map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual(['/orientations/referral-1', '/orientations/referral-2', '/relais', '/administration/offre-de-services']);
    // One "mark read" button per unread notification, named for screen readers.
    expect(buttonByText(element, 'Marquer comme lue : Nouvelle orientation reçue')).toBeTruthy();
    expect(element.querySelectorAll('li.pa-notification button')).toHaveLength(3);
  });

  it('marks one read: badge and button gone, the header’s count down by one, the focus on its link', async () => {
    const unread = TestBed.inject(UnreadNotifications);
    const decrement = jest.spyOn(unread, 'decrement');
    await open();
    buttonByText(element, 'Marquer comme lue : Nouvelle orientation reçue').click();
    await stable();
    http.expectOne({ method: 'POST', url: '/api/notifications/notification-1/read' }).flush(aNotification({ readAt: '2026-11-30T10:00:00.000Z' }));
    await stable();
    expect(items()[0]).not.toContain('Non lue');
    expect(element.querySelectorAll('li.pa-notification button')).toHaveLength(2);
    expect(text()).toContain('Notification marquée comme lue.');
    expect(decrement).toHaveBeenCalledTimes(1);
    expect(document.activeElement?.id).toBe('notification-notification-1');
  });

  it('marks all read in one request, then the button is disabled', async () => {
    const unread = TestBed.inject(UnreadNotifications);
    const set = jest.spyOn(unread, 'set');
    await open();
    const all = buttonByText(element, 'Tout marquer comme lu');
    expect(all.disabled).toBe(false);
    all.click();
    await stable();
    http.expectOne({ method: 'POST', url: '/api/notifications/read-all' }).flush({ unread: 0 });
    await stable();
    expect(items().some((item) => item.includes('Non lue'))).toBe(false);
    expect(buttonByText(element, 'Tout marquer comme lu').disabled).toBe(true);
    expect(set).toHaveBeenCalledWith(0);
    expect(text()).toContain('Toutes vos notifications sont marquées comme lues.');
  });

  it('shows only the unread ones on request', async () => {
    await open();
    (element.querySelector('#notifications-non-lues') as HTMLInputElement).click();
    await stable();
    const request = http.expectOne((r) => r.url === '/api/notifications');
    expect(request.request.params.get('unreadOnly')).toBe('true');
    request.flush([aNotification()]);
    await stable();
    expect(text()).toContain('1 notification non lue');
    expect(items()).toHaveLength(1);
  });

  it('opening one reads it and goes to its page', async () => {
    await open();
    (element.querySelector('#notification-notification-2') as HTMLAnchorElement).click();
    await stable();
    http.expectOne({ method: 'POST', url: '/api/notifications/notification-2/read' }).flush({ ...answered, readAt: '2026-11-30T10:00:00.000Z' });
    expect(TestBed.inject(Router).url).toBe('/orientations/referral-2');
  });

  it('says when there is none, and shows a loading error', async () => {
    await open([]);
    expect(text()).toContain('Aucune notification');
    expect(buttonByText(element, 'Tout marquer comme lu').disabled).toBe(true);

    (element.querySelector('#notifications-non-lues') as HTMLInputElement).click();
    await stable();
    http
      .expectOne((r) => r.url === '/api/notifications')
      .flush({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Une erreur inattendue est survenue.' }, { status: 500, statusText: 'Server Error' });
    await stable();
    expect(element.querySelector('[role="alert"]')?.textContent).toContain('Une erreur inattendue est survenue.');
  });
});
