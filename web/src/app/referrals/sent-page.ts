import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { ApiError, Referral, REFUSAL_REASON_LABELS } from '@passerelle/contracts';
import { catchError, EMPTY, switchMap, tap } from 'rxjs';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { ReferralFilters, ReferralFilterParams, listQueryOf } from './referral-filters';
import {
  ageInDays,
  inChargeLabel,
  isStale,
  referralBadgeClass,
  referralNeedLabel,
  referralPersonLabel,
  referralStatusLabel,
  STALE_REFERRAL_DAYS,
} from './referral-format';
import { ReferralsApi } from './referrals.api';

/**
 * "Orientations envoyées" (`/orientations/envoyees`): the sender's follow-up of the orientations its
 * structure sent, filtered by status, need and age (in the URL). Each row shows the closed loop —
 * received, answered, taken in charge, closed with its outcome — so that an orientation without an
 * answer is seen (highlighted beyond 10 days). Cancelling is done on the orientation's page.
 */
@Component({
  selector: 'pa-sent-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, ApiErrorAlert, ReferralFilters],
  templateUrl: './sent-page.html',
})
export class SentPage {
  private readonly api = inject(ReferralsApi);

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

  protected readonly personLabel = referralPersonLabel;
  protected readonly needLabel = referralNeedLabel;
  protected readonly statusLabel = referralStatusLabel;
  protected readonly badgeClass = referralBadgeClass;
  protected readonly inChargeLabel = inChargeLabel;
  protected readonly refusalLabels = REFUSAL_REASON_LABELS;
  protected readonly ageInDays = ageInDays;
  protected readonly isStale = isStale;
  protected readonly staleDays = STALE_REFERRAL_DAYS;

  constructor() {
    toObservable(this.params)
      .pipe(
        tap(() => {
          this.referrals.set(null);
          this.loadError.set(null);
        }),
        switchMap((params) =>
          this.api.sent(listQueryOf(params)).pipe(
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
}
