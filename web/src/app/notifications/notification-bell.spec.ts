import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ChangeDetectionStrategy, Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { NotificationBell, unreadLabel } from './notification-bell';
import { NOTIFICATIONS_POLL_MS, UnreadNotifications } from './unread-notifications';

@Component({ selector: 'pa-empty', template: '' })
class Empty {}

/** The header renders the tools twice (desktop, mobile menu): so does this host. */
@Component({
  selector: 'pa-bell-host',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NotificationBell],
  template: `<pa-notification-bell /><pa-notification-bell />`,
})
class TwoBells {}

@Component({ selector: 'pa-one-bell', imports: [NotificationBell], template: `<pa-notification-bell />` })
class OneBell {}

const SUMMARY = '/api/notifications/summary';

/** The link's text without what is aria-hidden: its accessible name. */
function accessibleName(element: HTMLElement): string {
  const clone = element.cloneNode(true) as HTMLElement;
  clone.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
  return (clone.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('NotificationBell', () => {
  let http: HttpTestingController;
  let visibility: DocumentVisibilityState;

  beforeEach(() => {
    visibility = 'visible';
    jest.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    TestBed.configureTestingModule({
      providers: [provideRouter([{ path: '**', component: Empty }]), provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
  });

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('asks for the count at the end of each navigation, once for both bells, and shows it as a DSFR badge with an accessible label', async () => {
    const fixture = TestBed.createComponent(TwoBells);
    await fixture.whenStable();
    // Nothing before the first page is shown.
    http.expectNone(SUMMARY);

    await TestBed.inject(Router).navigateByUrl('/accueil');
    http.expectOne(SUMMARY).flush({ unread: 3 });
    await fixture.whenStable();

    const links = Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('a'));
    expect(links).toHaveLength(2);
    for (const link of links) {
      expect(link.getAttribute('href')).toBe('/notifications');
      expect(link.classList).toContain('fr-icon-notification-3-line');
      const badge = link.querySelector('.fr-badge') as HTMLElement;
      expect(badge.textContent?.trim()).toBe('3');
      expect(badge.getAttribute('aria-hidden')).toBe('true');
      expect(link.querySelector('.fr-sr-only')?.textContent?.trim()).toBe('(3 notifications non lues)');
      // What a screen reader announces: the visible text, then the count (the badge itself is hidden from it).
      expect(accessibleName(link)).toBe('Notifications (3 notifications non lues)');
    }

    await TestBed.inject(Router).navigateByUrl('/orientations/recues');
    http.expectOne(SUMMARY).flush({ unread: 0 });
    await fixture.whenStable();
    // Nothing unread: no badge, the link is just "Notifications".
    expect((fixture.nativeElement as HTMLElement).querySelector('.fr-badge')).toBeNull();
    expect(accessibleName((fixture.nativeElement as HTMLElement).querySelector('a') as HTMLElement)).toBe('Notifications');
  });

  it('polls every minute while the page is visible, not while it is hidden, and again as soon as it is shown', () => {
    jest.useFakeTimers();
    const fixture = TestBed.createComponent(OneBell);
    fixture.detectChanges();
    http.expectNone(SUMMARY);

    jest.advanceTimersByTime(NOTIFICATIONS_POLL_MS);
    http.expectOne(SUMMARY).flush({ unread: 1 });
    fixture.detectChanges();
    expect(((fixture.nativeElement as HTMLElement).querySelector('.fr-sr-only')?.textContent ?? '').trim()).toBe('(1 notification non lue)');

    visibility = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    jest.advanceTimersByTime(3 * NOTIFICATIONS_POLL_MS);
    http.expectNone(SUMMARY);

    visibility = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    http.expectOne(SUMMARY).flush({ unread: 120 });
    fixture.detectChanges();
    expect((fixture.nativeElement as HTMLElement).querySelector('.fr-badge')?.textContent?.trim()).toBe('99+');
    expect(((fixture.nativeElement as HTMLElement).querySelector('.fr-sr-only')?.textContent ?? '').trim()).toBe('(120 notifications non lues)');

    // Gone (signed out): no more polling, and the count is forgotten.
    fixture.destroy();
    jest.advanceTimersByTime(2 * NOTIFICATIONS_POLL_MS);
    http.expectNone(SUMMARY);
    expect(TestBed.inject(UnreadNotifications).unread()).toBeNull();
  });

  it('keeps polling after an error, and follows the counts the notifications page sets', () => {
    jest.useFakeTimers();
    const fixture = TestBed.createComponent(OneBell);
    fixture.detectChanges();
    const unread = TestBed.inject(UnreadNotifications);

    unread.refresh();
    http.expectOne(SUMMARY).flush({ code: 'INTERNAL_ERROR' }, { status: 500, statusText: 'Server Error' });
    expect(unread.unread()).toBeNull();
    jest.advanceTimersByTime(NOTIFICATIONS_POLL_MS);
    http.expectOne(SUMMARY).flush({ unread: 2 });
    expect(unread.unread()).toBe(2);

    unread.decrement();
    fixture.detectChanges();
    expect((fixture.nativeElement as HTMLElement).querySelector('.fr-badge')?.textContent?.trim()).toBe('1');
    unread.set(0);
    fixture.detectChanges();
    expect((fixture.nativeElement as HTMLElement).querySelector('.fr-badge')).toBeNull();
  });
});

describe('unreadLabel', () => {
  it('says how many are unread, in French', () => {
    expect(unreadLabel(1)).toBe('1 notification non lue');
    expect(unreadLabel(3)).toBe('3 notifications non lues');
  });
});
