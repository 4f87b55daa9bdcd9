import { DatePipe } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  Injector,
  input,
  OnInit,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import { ApiError, NEED_BOUQUETS, NeedBouquetCode, Referral } from '@passerelle/contracts';
import { catchError, EMPTY, filter, map, switchMap, tap } from 'rxjs';
import { toApiError } from '../core/http/api-error';
import { KEEP_FOCUS } from '../core/navigation/focus-on-navigation';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { NO_ORIENTATION_PARAMS, ORIENTATION_PARAMS, OrientationPrefill, orientationPrefillFrom } from './orientation-prefill';
import { referralBadgeClass, referralNeedLabel, referralStatusLabel } from './referral-format';
import { ReferralForm } from './referral-form';
import { ReferralsApi } from './referrals.api';

/** One opening of the orientation form: a new key renders a new form (new need, new idempotency key). */
interface OrientationSession {
  key: number;
  prefill: OrientationPrefill | null;
}

/**
 * "Orientations" on a person's file: the person's orientations, newest first, with where each stands
 * (status badge, outcome once closed) and a link to follow it; for the structures that follow the
 * person, "Orienter vers un partenaire" opens the orientation form in place. After sending, a success
 * message links to the new orientation.
 *
 * The form also opens prefilled, from a contact or a request: from the URL
 * (`?orienter=<bouquet>&passage=<contactId>&demande=<requestId>`, "Orienter maintenant" at the desk) or
 * through `orient()` (a request's "Orienter" on the same page). The focus then goes to the form's
 * heading, which says what the orientation comes from; the URL parameters are cleared once the
 * orientation is sent or cancelled.
 */
@Component({
  selector: 'pa-person-referrals',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, ApiErrorAlert, ReferralForm],
  host: { class: 'pa-block' },
  templateUrl: './person-referrals.html',
})
export class PersonReferrals implements OnInit {
  private readonly api = inject(ReferralsApi);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  readonly personId = input.required<string>();
  /** INSEE code of the person's commune (services near them first). */
  readonly communeInsee = input<string | null>(null);
  /** The agent's structure follows the person: it may orient them. */
  readonly canOrient = input(false);
  readonly defaultBouquet = input<NeedBouquetCode | null>(null);

  protected readonly referrals = signal<Referral[] | null>(null);
  protected readonly loadError = signal<ApiError | null>(null);
  private readonly session = signal<OrientationSession | null>(null);
  /** Zero or one session: `@for … track key` renders a fresh form for each. */
  protected readonly sessions = computed(() => {
    const session = this.session();
    return session ? [session] : [];
  });
  protected readonly orienting = computed(() => this.session() !== null);
  /** The orientation just sent: the success message links to it. */
  protected readonly justSent = signal<Referral | null>(null);

  protected readonly needLabel = referralNeedLabel;
  protected readonly statusLabel = referralStatusLabel;
  protected readonly badgeClass = referralBadgeClass;

  private readonly orientButton = viewChild<ElementRef<HTMLButtonElement>>('orientButton');
  private readonly sentLink = viewChild<ElementRef<HTMLAnchorElement>>('sentLink');
  private readonly formHeading = viewChild<ElementRef<HTMLElement>>('formHeading');
  private sessionKey = 0;

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

  ngOnInit(): void {
    // Read once the inputs are set (canOrient); again if the URL asks again (history navigation).
    this.route.queryParamMap
      .pipe(map(orientationPrefillFrom), takeUntilDestroyed(this.destroyRef))
      .subscribe((prefill) => {
        if (prefill && this.canOrient()) this.orient(prefill);
      });
  }

  /**
   * Opens the orientation form prefilled (need, contact, request) and moves the focus to its heading.
   * An orientation form already open is replaced.
   */
  orient(prefill: Partial<OrientationPrefill>): void {
    if (!this.canOrient()) return;
    this.open({ bouquet: prefill.bouquet ?? null, fromContactId: prefill.fromContactId ?? null, requestId: prefill.requestId ?? null });
    afterNextRender({ write: () => this.formHeading()?.nativeElement.focus() }, { injector: this.injector });
  }

  /** What the heading says the orientation comes from. */
  protected origin(prefill: OrientationPrefill): string {
    const need = NEED_BOUQUETS.find((bouquet) => bouquet.code === prefill.bouquet)?.label;
    if (prefill.requestId && prefill.fromContactId && need) {
      return $localize`Orientation liée au passage enregistré à l'accueil et à la demande « ${need}:need: ».`;
    }
    if (prefill.requestId) {
      return need ? $localize`Orientation liée à la demande « ${need}:need: ».` : $localize`Orientation liée à une demande de la personne.`;
    }
    if (prefill.fromContactId) {
      return need
        ? $localize`Orientation liée au passage enregistré à l'accueil (besoin : ${need}:need:).`
        : $localize`Orientation liée au passage enregistré à l'accueil.`;
    }
    return '';
  }

  protected startOrienting(): void {
    this.open(null);
  }

  protected stopOrienting(): void {
    this.close();
    afterNextRender({ write: () => this.orientButton()?.nativeElement.focus() }, { injector: this.injector });
  }

  protected onSent(referral: Referral): void {
    this.close();
    this.referrals.update((referrals) => [referral, ...(referrals ?? []).filter((r) => r.id !== referral.id)]);
    this.justSent.set(referral);
    afterNextRender({ write: () => this.sentLink()?.nativeElement.focus() }, { injector: this.injector });
  }

  private open(prefill: OrientationPrefill | null): void {
    this.justSent.set(null);
    this.session.set({ key: ++this.sessionKey, prefill });
  }

  /** The form is closed (sent or cancelled): the URL no longer asks to orient (a reload would reopen it). */
  private close(): void {
    this.session.set(null);
    if (!this.route.snapshot.queryParamMap.has(ORIENTATION_PARAMS.bouquet)) return;
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: NO_ORIENTATION_PARAMS,
      queryParamsHandling: 'merge',
      replaceUrl: true,
      state: KEEP_FOCUS,
    });
  }
}
