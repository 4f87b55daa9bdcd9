import { DatePipe, DOCUMENT } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  Injector,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { Title } from '@angular/platform-browser';
import { RouterLink } from '@angular/router';
import {
  ApiError,
  ChangeReferralStatusRequest,
  Referral,
  REFERRAL_OUTCOME_LABELS,
  ReferralStatus,
  REFUSAL_REASON_LABELS,
} from '@passerelle/contracts';
import { catchError, EMPTY, filter, switchMap, tap } from 'rxjs';
import { toApiError } from '../core/http/api-error';
import { NotFoundPage } from '../errors/not-found-page';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { ConfirmAction } from '../ui/confirm-action';
import { StatusMessage } from '../ui/status-message';
import { CloseForm } from './close-form';
import { InChargeForm } from './in-charge-form';
import { RedirectForm } from './redirect-form';
import { RefusalForm } from './refusal-form';
import {
  ageInDays,
  brokenLinkLabel,
  eventLabel,
  inChargeLabel,
  isStale,
  referralBadgeClass,
  referralNeedLabel,
  referralPersonLabel,
  referralStatusLabel,
  sharedCategoryLabels,
  transitionLabel,
} from './referral-format';
import { ReferralsApi } from './referrals.api';

/** The actions offered on the page, in this order; 'received' is recorded by opening the page. */
const ACTION_ORDER: readonly ReferralStatus[] = ['accepted', 'in_charge', 'closed', 'refused', 'redirected', 'cancelled'];
/** Actions that need a few answers first (a form opens in place). */
type FormAction = 'refused' | 'redirected' | 'in_charge' | 'closed';

/**
 * One orientation (`/orientations/:id`): everything about it, its steps ("Envoyée le … par …, Reçue
 * le …"), and the actions the caller's structure may take now, as the API lists them in
 * `allowedTransitions`: accept, refuse (reason, broken link, comment), redirect to another partner,
 * record the prise en charge, close with an outcome, or — for the sender — cancel (confirmed in place).
 * Opening an orientation sent to my structure marks it received. One the caller may not see is a 404.
 */
@Component({
  selector: 'pa-referral-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    RouterLink,
    ApiErrorAlert,
    CloseForm,
    ConfirmAction,
    InChargeForm,
    NotFoundPage,
    RedirectForm,
    RefusalForm,
    StatusMessage,
  ],
  templateUrl: './referral-page.html',
})
export class ReferralPage {
  private readonly api = inject(ReferralsApi);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly document = inject(DOCUMENT);
  private readonly title = inject(Title);

  /** Route parameter `:id`. */
  readonly id = input.required<string>();

  protected readonly referral = signal<Referral | null>(null);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly notFound = computed(() => this.loadError()?.statusCode === 404);
  protected readonly actionError = signal<ApiError | null>(null);
  protected readonly formError = signal<ApiError | null>(null);
  protected readonly statusMessage = signal('');
  protected readonly pending = signal(false);
  /** The action whose form is open. */
  protected readonly acting = signal<FormAction | null>(null);

  protected readonly actions = computed(() => {
    const allowed = this.referral()?.allowedTransitions ?? [];
    return ACTION_ORDER.filter((status) => allowed.includes(status));
  });
  protected readonly events = computed(() => [...(this.referral()?.events ?? [])].sort((a, b) => a.at.localeCompare(b.at)));
  protected readonly categories = computed(() => sharedCategoryLabels(this.referral()?.categories ?? []));
  protected readonly excludeFromRedirect = computed(() => {
    const referral = this.referral();
    return referral ? [referral.to.id, referral.from.id] : [];
  });

  protected readonly personLabel = referralPersonLabel;
  protected readonly needLabel = referralNeedLabel;
  protected readonly statusLabel = referralStatusLabel;
  protected readonly badgeClass = referralBadgeClass;
  protected readonly eventLabel = eventLabel;
  protected readonly inChargeLabel = inChargeLabel;
  protected readonly brokenLinkLabel = brokenLinkLabel;
  protected readonly transitionLabel = transitionLabel;
  protected readonly ageInDays = ageInDays;
  protected readonly isStale = isStale;
  protected readonly refusalLabels = REFUSAL_REASON_LABELS;
  protected readonly outcomeLabels = REFERRAL_OUTCOME_LABELS;

  constructor() {
    toObservable(this.id)
      .pipe(
        filter((id) => id.length > 0),
        tap(() => {
          this.loading.set(true);
          this.loadError.set(null);
          this.referral.set(null);
          this.acting.set(null);
          this.statusMessage.set('');
        }),
        switchMap((id) =>
          this.api.get(id).pipe(
            catchError((error: unknown) => {
              const apiError = toApiError(error);
              this.loadError.set(apiError);
              this.loading.set(false);
              if (apiError.statusCode === 404) this.title.setTitle($localize`Page non trouvée – Passerelle`);
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((referral) => {
        this.referral.set(referral);
        this.loading.set(false);
      });
  }

  protected isFormAction(status: ReferralStatus): status is FormAction {
    return status === 'refused' || status === 'redirected' || status === 'in_charge' || status === 'closed';
  }

  protected open(action: FormAction): void {
    this.statusMessage.set('');
    this.actionError.set(null);
    this.formError.set(null);
    this.acting.set(action);
  }

  protected closeForm(): void {
    const action = this.acting();
    this.acting.set(null);
    if (action) this.focusLater(`orientation-action-${action}`);
  }

  protected cancelQuestion(referral: Referral): string {
    return $localize`Annuler l'orientation vers ${referral.to.name}:structure: ? Le partenaire en est informé ; l'orientation reste dans l'historique.`;
  }

  protected act(request: ChangeReferralStatusRequest): void {
    const referral = this.referral();
    if (!referral || this.pending()) return;
    const fromForm = this.acting() !== null;
    this.pending.set(true);
    this.actionError.set(null);
    this.formError.set(null);
    this.statusMessage.set('');
    this.api
      .changeStatus(referral.id, request)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.pending.set(false);
          this.acting.set(null);
          this.referral.set(updated);
          this.statusMessage.set(this.doneMessage(updated));
          this.focusLater('orientation-statut');
        },
        error: (error: unknown) => {
          this.pending.set(false);
          if (fromForm) this.formError.set(toApiError(error));
          else this.actionError.set(toApiError(error));
        },
      });
  }

  private doneMessage(referral: Referral): string {
    if (referral.status === 'redirected' && referral.redirectedTo) {
      return $localize`Orientation réorientée vers ${referral.redirectedTo.name}:structure: : une nouvelle orientation lui est envoyée.`;
    }
    return $localize`Orientation : ${referralStatusLabel(referral)}:status:.`;
  }

  private focusLater(id: string): void {
    afterNextRender({ write: () => this.document.getElementById(id)?.focus() }, { injector: this.injector });
  }
}
