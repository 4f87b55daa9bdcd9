import { NgTemplateOutlet } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  Injector,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { Router, RouterLink, RouterLinkActive } from '@angular/router';
import { ApiError, MembershipSummary, NOTIFICATION_ROLES, ROLE_LABELS } from '@passerelle/contracts';
import { AuthService } from '../core/auth/auth.service';
import { roleHomeUrl } from '../core/auth/role-home';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { NotificationBell } from '../notifications/notification-bell';
import { navigationFor } from './main-navigation';

/** What a membership is called in the switcher and under the user's name. */
export function membershipLabel(membership: MembershipSummary): string {
  const structure = membership.structure?.name ?? $localize`Plateforme`;
  return `${ROLE_LABELS[membership.role]} – ${structure}`;
}

/**
 * DSFR header: brand, the signed-in user with their structure and role, the membership switcher,
 * logout and the main navigation of the role. On small screens the tools and the navigation live in
 * the menu panel opened by "Menu" (rendered twice, as the DSFR does, but with Angular bindings).
 */
@Component({
  selector: 'pa-header',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NgTemplateOutlet, ReactiveFormsModule, RouterLink, RouterLinkActive, ApiErrorAlert, NotificationBell],
  templateUrl: './header.html',
  host: { '(document:keydown.escape)': 'closeMenu()' },
})
export class Header {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  protected readonly user = this.auth.currentUser;
  protected readonly navigation = computed(() => {
    const role = this.auth.activeRole();
    return role ? navigationFor(role) : [];
  });
  protected readonly activeMembershipLabel = computed(() => {
    const user = this.user();
    return user ? membershipLabel(user.activeMembership) : '';
  });
  protected readonly canSwitch = computed(() => (this.user()?.memberships.length ?? 0) > 1);
  /** The notifications button, for the roles that act for a structure. */
  protected readonly hasNotifications = computed(() => {
    const role = this.auth.activeRole();
    return role !== null && NOTIFICATION_ROLES.includes(role);
  });
  protected readonly membershipLabel = membershipLabel;

  protected readonly menuOpen = signal(false);
  protected readonly switcherOpen = signal(false);
  protected readonly switchError = signal<ApiError | null>(null);
  protected readonly membershipControl = new FormControl('', { nonNullable: true });

  private readonly menuButton = viewChild<ElementRef<HTMLButtonElement>>('menuButton');
  private readonly closeButton = viewChild<ElementRef<HTMLButtonElement>>('closeButton');
  private readonly switcherLegend = viewChild<ElementRef<HTMLElement>>('switcherLegend');

  protected openMenu(): void {
    this.menuOpen.set(true);
    afterNextRender({ write: () => this.closeButton()?.nativeElement.focus() }, { injector: this.injector });
  }

  protected closeMenu(restoreFocus = true): void {
    if (!this.menuOpen()) return;
    this.menuOpen.set(false);
    if (restoreFocus) {
      afterNextRender({ write: () => this.menuButton()?.nativeElement.focus() }, { injector: this.injector });
    }
  }

  protected toggleSwitcher(): void {
    if (this.switcherOpen()) {
      this.switcherOpen.set(false);
      return;
    }
    this.membershipControl.setValue(this.user()?.activeMembership.id ?? '');
    this.switchError.set(null);
    this.switcherOpen.set(true);
    this.closeMenu(false);
    afterNextRender({ write: () => this.switcherLegend()?.nativeElement.focus() }, { injector: this.injector });
  }

  protected switchMembership(): void {
    const membershipId = this.membershipControl.value;
    if (!membershipId || membershipId === this.user()?.activeMembership.id) {
      this.switcherOpen.set(false);
      return;
    }
    this.auth
      .switchMembership({ membershipId })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (user) => {
          this.switcherOpen.set(false);
          void this.router.navigateByUrl(roleHomeUrl(user.activeMembership.role));
        },
        error: (error: unknown) => this.switchError.set(toApiError(error)),
      });
  }

  protected logout(): void {
    this.closeMenu(false);
    this.switcherOpen.set(false);
    this.auth
      .logout()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(() => void this.router.navigateByUrl('/connexion'));
  }
}
