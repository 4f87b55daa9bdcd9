import { DOCUMENT } from '@angular/common';
import { inject, Injectable, signal } from '@angular/core';
import { NavigationEnd, Router } from '@angular/router';
import { catchError, defer, EMPTY, filter, finalize, fromEvent, interval, merge, Observable, of, share, Subject, switchMap, tap } from 'rxjs';
import { NotificationsApi } from './notifications.api';

/** How often the unread count is asked for while the page is visible. */
export const NOTIFICATIONS_POLL_MS = 60_000;

/**
 * The unread count shown in the header. While someone watches it (the header's bell — rendered twice,
 * desktop and mobile menu, but polling once: the stream is shared), it asks the API on every
 * navigation, every minute while the page is visible, and when the page becomes visible again. The
 * notifications page updates it at once when it marks notifications read.
 */
@Injectable({ providedIn: 'root' })
export class UnreadNotifications {
  private readonly api = inject(NotificationsApi);
  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);
  private readonly count = signal<number | null>(null);
  private readonly refreshes = new Subject<void>();

  /** Null until the first answer (and again once nobody watches). */
  readonly unread = this.count.asReadonly();

  private readonly polling: Observable<unknown> = defer(() =>
    merge(
      // Already navigated (the bell appeared after the first page): ask now; otherwise the navigation's end will.
      this.router.navigated ? of(null) : EMPTY,
      this.router.events.pipe(filter((event) => event instanceof NavigationEnd)),
      interval(NOTIFICATIONS_POLL_MS).pipe(filter(() => this.visible())),
      fromEvent(this.document, 'visibilitychange').pipe(filter(() => this.visible())),
      this.refreshes,
    ),
  ).pipe(
    switchMap(() => this.api.summary().pipe(catchError(() => EMPTY))),
    tap((summary) => this.count.set(summary.unread)),
    finalize(() => this.count.set(null)),
    share(),
  );

  /** Keeps the count fresh while subscribed; unsubscribe (takeUntilDestroyed) to stop. */
  watch(): Observable<unknown> {
    return this.polling;
  }

  /** Asks again now (only while watched). */
  refresh(): void {
    this.refreshes.next();
  }

  /** The count the API just answered (e.g. after "mark all read"). */
  set(unread: number): void {
    if (this.count() !== null) this.count.set(unread);
  }

  /** One unread notification was just read. */
  decrement(): void {
    const count = this.count();
    if (count !== null) this.count.set(Math.max(0, count - 1));
  }

  private visible(): boolean {
    return this.document.visibilityState !== 'hidden';
  }
}
