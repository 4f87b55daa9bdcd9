import { DatePipe } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  inject,
  Injector,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { ApiError, NeedBouquetCode, Referral } from '@passerelle/contracts';
import { catchError, EMPTY, filter, switchMap, tap } from 'rxjs';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { referralBadgeClass, referralNeedLabel, referralStatusLabel } from './referral-format';
import { ReferralForm } from './referral-form';
import { ReferralsApi } from './referrals.api';

/**
 * "Orientations" on a person's file: the person's orientations, newest first, with where each stands
 * (status badge, outcome once closed) and a link to follow it; for the structures that follow the
 * person, "Orienter vers un partenaire" opens the orientation form in place. After sending, a success
 * message links to the new orientation.
 */
@Component({
  selector: 'pa-person-referrals',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, ApiErrorAlert, ReferralForm],
  host: { class: 'pa-block' },
  templateUrl: './person-referrals.html',
})
export class PersonReferrals {
  private readonly api = inject(ReferralsApi);
  private readonly injector = inject(Injector);

  readonly personId = input.required<string>();
  /** INSEE code of the person's commune (services near them first). */
  readonly communeInsee = input<string | null>(null);
  /** The agent's structure follows the person: it may orient them. */
  readonly canOrient = input(false);
  readonly defaultBouquet = input<NeedBouquetCode | null>(null);

  protected readonly referrals = signal<Referral[] | null>(null);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly orienting = signal(false);
  /** The orientation just sent: the success message links to it. */
  protected readonly justSent = signal<Referral | null>(null);

  protected readonly needLabel = referralNeedLabel;
  protected readonly statusLabel = referralStatusLabel;
  protected readonly badgeClass = referralBadgeClass;

  private readonly orientButton = viewChild<ElementRef<HTMLButtonElement>>('orientButton');
  private readonly sentLink = viewChild<ElementRef<HTMLAnchorElement>>('sentLink');

  constructor() {
    toObservable(this.personId)
      .pipe(
        filter((id) => id.length > 0),
        tap(() => {
          this.referrals.set(null);
          this.loadError.set(null);
        }),
        switchMap((id) =>
          this.api.forPerson(id).pipe(
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

  protected startOrienting(): void {
    this.justSent.set(null);
    this.orienting.set(true);
  }

  protected stopOrienting(): void {
    this.orienting.set(false);
    afterNextRender({ write: () => this.orientButton()?.nativeElement.focus() }, { injector: this.injector });
  }

  protected onSent(referral: Referral): void {
    this.orienting.set(false);
    this.referrals.update((referrals) => [referral, ...(referrals ?? []).filter((r) => r.id !== referral.id)]);
    this.justSent.set(referral);
    afterNextRender({ write: () => this.sentLink()?.nativeElement.focus() }, { injector: this.injector });
  }
}
