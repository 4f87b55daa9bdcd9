import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink, RouterLinkActive } from '@angular/router';
import { UnreadNotifications } from './unread-notifications';

/** "3 notifications non lues" (the badge's accessible text). */
export function unreadLabel(count: number): string {
  return count === 1 ? $localize`1 notification non lue` : $localize`${count}:count: notifications non lues`;
}

/**
 * The header's "Notifications" button, with a DSFR badge counting the unread ones. The badge is
 * hidden from assistive technologies, which read the link's name instead: "Notifications (3
 * notifications non lues)" — the visible text first, as WCAG 2.5.3 asks.
 */
@Component({
  selector: 'pa-notification-bell',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, RouterLinkActive],
  // The header's DSFR styles address the button inside its <li>: the host element stays out of the layout.
  styles: `
    :host {
      display: contents;
    }
  `,
  template: `
    <a
      class="fr-btn fr-icon-notification-3-line pa-notification-bell"
      routerLink="/notifications"
      routerLinkActive
      ariaCurrentWhenActive="page"
    >
      <ng-container i18n>Notifications</ng-container>
      @if (count() > 0) {
        <span class="fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon fr-ml-1v" aria-hidden="true">{{ shown() }}</span>
        <span class="fr-sr-only"> ({{ label() }})</span>
      }
    </a>
  `,
})
export class NotificationBell {
  private readonly unread = inject(UnreadNotifications);

  protected readonly count = computed(() => this.unread.unread() ?? 0);
  /** Past 99, the badge says "99+" (the accessible label keeps the number). */
  protected readonly shown = computed(() => (this.count() > 99 ? '99+' : String(this.count())));
  protected readonly label = computed(() => unreadLabel(this.count()));

  constructor() {
    this.unread.watch().pipe(takeUntilDestroyed()).subscribe();
  }
}
