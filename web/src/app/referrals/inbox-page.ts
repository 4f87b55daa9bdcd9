import { DatePipe, DOCUMENT } from '@angular/common';
import { afterNextRender, ChangeDetectionStrategy, Component, computed, DestroyRef, inject, Injector, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { ApiError, ChangeReferralStatusRequest, Referral, REFERRAL_STATUS_LABELS } from '@passerelle/contracts';
import { catchError, EMPTY, switchMap, tap } from 'rxjs';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { StatusMessage } from '../ui/status-message';
import { RefusalForm } from './refusal-form';
import { ReferralFilters, ReferralFilterParams, listQueryOf } from './referral-filters';
import {
  ageInDays,
  isStale,
  referralBadgeClass,
  referralNeedLabel,
  referralPersonLabel,
  referralStatusLabel,
  STALE_REFERRAL_DAYS,
} from './referral-format';
import { ReferralsApi } from './referrals.api';

/**
 * "Orientations reçues" (`/orientations/recues`): the orientations sent to my structure, newest first,
 * filtered by status, need and age (in the URL). Each row says who, from where, for which need and
 * service, since when (highlighted beyond 10 days while still open) and where it stands; "Accepter"
 * answers at once, "Refuser" opens the reason, the broken link and a comment in the row.
 */
@Component({
  selector: 'pa-inbox-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, ApiErrorAlert, RefusalForm, ReferralFilters, StatusMessage],
  templateUrl: './inbox-page.html',
})
export class InboxPage {
  private readonly api = inject(ReferralsApi);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly document = inject(DOCUMENT);

  /** Query parameters `?statut=&besoin=&anciennete=`. */
  readonly statut = input<string>();
  readonly besoin = input<string>();
  readonly anciennete = input<string>();

  protected readonly params = computed<ReferralFilterParams>(() => ({
    statut: this.statut(),
    besoin: this.besoin(),
    anciennete: this.anciennete(),
  }));
  protected readonly filtered = computed(() => Object.keys(listQueryOf(this.params())).length > 0);
  protected readonly referrals = signal<Referral[] | null>(null);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly actionError = signal<ApiError | null>(null);
  protected readonly refusalError = signal<ApiError | null>(null);
  protected readonly statusMessage = signal('');
  protected readonly busyId = signal<string | null>(null);
  /** The orientation whose refusal form is open. */
  protected readonly refusingId = signal<string | null>(null);

  protected readonly personLabel = referralPersonLabel;
  protected readonly needLabel = referralNeedLabel;
  protected readonly statusLabel = referralStatusLabel;
  protected readonly badgeClass = referralBadgeClass;
  protected readonly ageInDays = ageInDays;
  protected readonly isStale = isStale;
  protected readonly staleDays = STALE_REFERRAL_DAYS;

  constructor() {
    toObservable(this.params)
      .pipe(
        tap(() => {
          this.referrals.set(null);
          this.loadError.set(null);
          this.refusingId.set(null);
        }),
        switchMap((params) =>
          this.api.inbox(listQueryOf(params)).pipe(
            catchError((error: unknown) => {
              this.loadError.set(toApiError(error));
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((referrals) => this.referrals.set(referrals));
  }

  protected can(referral: Referral, status: 'accepted' | 'refused'): boolean {
    return referral.allowedTransitions.includes(status);
  }

  /** "Jean-Pierre N'Diaye – Hébergement / logement": names the row for screen readers. */
  protected rowContext(referral: Referral): string {
    return `${referralPersonLabel(referral)} – ${referralNeedLabel(referral)}`;
  }

  protected linkId(referral: Referral): string {
    return `orientation-${referral.id}-lien`;
  }

  protected accept(referral: Referral): void {
    this.change(referral, { status: 'accepted' });
  }

  protected startRefusal(referral: Referral): void {
    this.statusMessage.set('');
    this.actionError.set(null);
    this.refusalError.set(null);
    this.refusingId.set(referral.id);
  }

  protected cancelRefusal(referral: Referral): void {
    this.refusingId.set(null);
    this.focusLater(`orientation-${referral.id}-refuser`);
  }

  protected refuse(referral: Referral, request: ChangeReferralStatusRequest): void {
    this.change(referral, request);
  }

  private change(referral: Referral, request: ChangeReferralStatusRequest): void {
    if (this.busyId()) return;
    this.busyId.set(referral.id);
    this.actionError.set(null);
    this.refusalError.set(null);
    this.statusMessage.set('');
    this.api
      .changeStatus(referral.id, request)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.busyId.set(null);
          this.refusingId.set(null);
          this.referrals.update((referrals) => (referrals ?? []).map((r) => (r.id === updated.id ? updated : r)));
          this.statusMessage.set(
            $localize`Orientation de ${referralPersonLabel(updated)}:person: (${referralNeedLabel(updated)}:need:) : ${REFERRAL_STATUS_LABELS[updated.status]}:status:.`,
          );
          // The buttons of the row are gone: the focus goes to the row's link.
          this.focusLater(this.linkId(updated));
        },
        error: (error: unknown) => {
          this.busyId.set(null);
          if (request.status === 'refused') this.refusalError.set(toApiError(error));
          else this.actionError.set(toApiError(error));
        },
      });
  }

  private focusLater(id: string): void {
    afterNextRender({ write: () => this.document.getElementById(id)?.focus() }, { injector: this.injector });
  }
}
