import { DatePipe } from '@angular/common';
import { afterNextRender, ChangeDetectionStrategy, Component, computed, DestroyRef, DOCUMENT, inject, Injector, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { Router, RouterLink } from '@angular/router';
import { ApiError, AppNotification } from '@passerelle/contracts';
import { catchError, EMPTY, switchMap, tap } from 'rxjs';
import { AuthService } from '../core/auth/auth.service';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { StatusMessage } from '../ui/status-message';
import { notificationLink, notificationText } from './notification-format';
import { NotificationsApi } from './notifications.api';
import { UnreadNotifications } from './unread-notifications';

/**
 * "Notifications" (`/notifications`): what arrived for me, newest first — an orientation received, an
 * answer to one I sent, a reminder, a handoff… — from which structure, when, with the link to open it.
 * Opening one marks it read; "Marquer comme lue" and "Tout marquer comme lu" too. A notification
 * addressed to me for another of my structures says so (the orientation opens with that membership).
 */
@Component({
  selector: 'pa-notifications-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, ApiErrorAlert, StatusMessage],
  templateUrl: './notifications-page.html',
  styles: `
    .pa-notification {
      padding: 1rem;
      margin-bottom: 0.75rem;
      border: 1px solid var(--border-default-grey);
    }
    .pa-notification--unread {
      border-left: 4px solid var(--border-plain-blue-france);
    }
    .pa-notification__title {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
    }
    .pa-notification__meta {
      color: var(--text-mention-grey);
    }
  `,
})
export class NotificationsPage {
  private readonly api = inject(NotificationsApi);
  private readonly unread = inject(UnreadNotifications);
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  private readonly document = inject(DOCUMENT);

  protected readonly unreadOnly = signal(false);
  protected readonly notifications = signal<AppNotification[] | null>(null);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly actionError = signal<ApiError | null>(null);
  protected readonly statusMessage = signal('');
  protected readonly busy = signal(false);
  protected readonly unreadCount = computed(() => (this.notifications() ?? []).filter((n) => !n.readAt).length);
  private readonly activeStructureId = computed(() => this.auth.currentUser()?.activeMembership.structure?.id ?? null);

  protected readonly text = notificationText;
  protected readonly link = notificationLink;

  constructor() {
    toObservable(this.unreadOnly)
      .pipe(
        tap(() => {
          this.notifications.set(null);
          this.loadError.set(null);
        }),
        switchMap((unreadOnly) =>
          this.api.list({ unreadOnly }).pipe(
            catchError((error: unknown) => {
              this.loadError.set(toApiError(error));
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((notifications) => this.notifications.set(notifications));
  }

  /** Addressed to me for a structure other than the one I act for now. */
  protected otherStructure(notification: AppNotification): string | null {
    const active = this.activeStructureId();
    return notification.toStructureId && active && notification.toStructureId !== active ? notification.toStructureName : null;
  }

  protected setUnreadOnly(event: Event): void {
    this.statusMessage.set('');
    this.unreadOnly.set((event.target as HTMLInputElement).checked);
  }

  /** Following the link reads the notification (the page it leads to loads meanwhile). */
  protected open(notification: AppNotification, event: MouseEvent): void {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return; // a new tab: leave it to the browser
    event.preventDefault();
    if (!notification.readAt) {
      // Not tied to this page: it is left at once, the request goes on.
      this.api.markRead(notification.id).subscribe({ next: () => this.unread.decrement(), error: () => undefined });
    }
    void this.router.navigate(notificationLink(notification));
  }

  protected markRead(notification: AppNotification): void {
    if (this.busy()) return;
    this.busy.set(true);
    this.actionError.set(null);
    this.statusMessage.set('');
    this.api
      .markRead(notification.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.busy.set(false);
          this.replace(updated);
          this.unread.decrement();
          this.statusMessage.set($localize`Notification marquée comme lue.`);
          // Its button is gone: the focus goes to its link (or to the title when it left the list).
          this.focusLater(this.unreadOnly() ? 'titre-notifications' : `notification-${updated.id}`);
        },
        error: (error: unknown) => {
          this.busy.set(false);
          this.actionError.set(toApiError(error));
        },
      });
  }

  protected markAllRead(): void {
    if (this.busy()) return;
    this.busy.set(true);
    this.actionError.set(null);
    this.statusMessage.set('');
    this.api
      .markAllRead()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (summary) => {
          this.busy.set(false);
          const now = new Date().toISOString();
          this.notifications.update((list) =>
            this.unreadOnly() ? [] : (list ?? []).map((n) => (n.readAt ? n : { ...n, readAt: now })),
          );
          this.unread.set(summary.unread);
          this.statusMessage.set($localize`Toutes vos notifications sont marquées comme lues.`);
          this.focusLater('titre-notifications');
        },
        error: (error: unknown) => {
          this.busy.set(false);
          this.actionError.set(toApiError(error));
        },
      });
  }

  private focusLater(id: string): void {
    afterNextRender({ write: () => this.document.getElementById(id)?.focus() }, { injector: this.injector });
  }

  private replace(updated: AppNotification): void {
    this.notifications.update((list) =>
      this.unreadOnly() ? (list ?? []).filter((n) => n.id !== updated.id) : (list ?? []).map((n) => (n.id === updated.id ? updated : n)),
    );
  }
}
