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
  output,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  ApiError,
  CreateReferralRequest,
  DATA_CATEGORIES,
  DATA_CATEGORY_LABELS,
  DataCategory,
  NEED_BOUQUETS,
  NeedBouquetCode,
  Referral,
} from '@passerelle/contracts';
import { newClientRequestId } from '../contacts/client-request-id';
import { fieldErrorsOf, toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { ReferralConsent } from './referral-consent';
import { sharedCategoryLabels } from './referral-format';
import { ReferralTarget, ReferralTargetPicker } from './referral-target';
import { ReferralsApi } from './referrals.api';

type ReferralField = 'bouquet' | 'toStructureId' | 'message' | 'categories';

/** What a 409 CONSENT_REQUIRED said: the person's consent does not cover these categories for this structure. */
interface MissingConsent {
  structureId: string;
  structureName: string;
  categories: DataCategory[];
}

/**
 * "Orienter vers un partenaire": the need, the partner (a service of the directory near the person, or a
 * structure), a message for the partner, and what is shared with it. By default only "Identité et
 * coordonnées" is shared: the partner cannot reach the person without it, and nothing more is necessary
 * to orient; the agent adds a category only when the orientation needs it. Each shared category must be
 * covered by the person's consent for that structure: when it is not (409 CONSENT_REQUIRED), the form
 * says which, and offers, in the same flow, to record the consent now with the person and send, or to
 * send without those categories — always with the same idempotency key, so a retry never sends twice.
 */
@Component({
  selector: 'pa-referral-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages, ReferralConsent, ReferralTargetPicker],
  host: { class: 'pa-block' },
  templateUrl: './referral-form.html',
})
export class ReferralForm implements OnInit {
  private readonly api = inject(ReferralsApi);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  private readonly fb = inject(FormBuilder).nonNullable;

  readonly personId = input.required<string>();
  /** INSEE code of the person's commune: services open to it come first. */
  readonly communeInsee = input<string | null>(null);
  readonly fromContactId = input<string | null>(null);
  readonly requestId = input<string | null>(null);
  readonly defaultBouquet = input<NeedBouquetCode | null>(null);
  /** Focus the first field when the form opens (off when the host moves the focus itself, e.g. to its heading). */
  readonly focusOnOpen = input(true);
  readonly sent = output<Referral>();
  readonly cancelled = output<void>();

  protected readonly bouquets = NEED_BOUQUETS;
  protected readonly categories = DATA_CATEGORIES;
  protected readonly categoryLabels = DATA_CATEGORY_LABELS;
  protected readonly form = this.fb.group({
    bouquet: this.fb.control<string>('', Validators.required),
    message: ['', Validators.maxLength(2000)],
    categories: this.fb.group(
      Object.fromEntries(DATA_CATEGORIES.map((category) => [category, category === 'identity_contact'])) as Record<DataCategory, boolean>,
    ),
  });
  private readonly bouquetValue = toSignal(this.form.controls.bouquet.valueChanges, { initialValue: '' });
  protected readonly bouquet = computed(() => (this.bouquetValue() ? (Number(this.bouquetValue()) as NeedBouquetCode) : null));
  protected readonly target = signal<ReferralTarget | null>(null);
  protected readonly submitted = signal(false);
  protected readonly pending = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly missing = signal<MissingConsent | null>(null);
  protected readonly missingLabels = computed(() => sharedCategoryLabels(this.missing()?.categories ?? []));
  protected readonly recordingConsent = signal(false);
  private readonly serverErrors = computed(() => fieldErrorsOf(this.error()));
  /** Same key on every retry (also after recording a consent, or without some categories). */
  private readonly clientRequestId = newClientRequestId();
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');
  private readonly missingTitle = viewChild<ElementRef<HTMLElement>>('missingTitle');

  ngOnInit(): void {
    const bouquet = this.defaultBouquet();
    if (bouquet) this.form.controls.bouquet.setValue(String(bouquet));
    if (this.focusOnOpen()) afterNextRender({ write: () => this.focus() }, { injector: this.injector });
  }

  /** Focus on the first field (the form just opened). */
  focus(): void {
    this.formElement().nativeElement.querySelector<HTMLElement>('select')?.focus();
  }

  protected onTarget(target: ReferralTarget | null): void {
    this.target.set(target);
    // The consent question was about the previous partner.
    if (this.missing() && this.missing()?.structureId !== target?.structureId) this.closeMissing();
  }

  protected selectedCategories(): DataCategory[] {
    const value = this.form.controls.categories.getRawValue();
    return DATA_CATEGORIES.filter((category) => value[category]);
  }

  protected errorsFor(field: ReferralField): string[] {
    const server = this.serverErrors()[field] ?? [];
    const client = this.clientErrors(field);
    return [...client, ...server.filter((message) => !client.includes(message))];
  }

  private clientErrors(field: ReferralField): string[] {
    if (!this.submitted()) return [];
    switch (field) {
      case 'bouquet':
        return this.form.controls.bouquet.value ? [] : [$localize`Choisissez le besoin pour lequel la personne est orientée.`];
      case 'toStructureId':
        return this.target() ? [] : [$localize`Choisissez le partenaire : un service de l'annuaire ou une structure.`];
      case 'message':
        return this.form.controls.message.value.length > 2000 ? [$localize`Ce texte est trop long (2000 caractères au maximum).`] : [];
      case 'categories':
        return [];
    }
  }

  protected submit(): void {
    this.submitted.set(true);
    if (this.pending()) return;
    const order: [ReferralField, string][] = [
      ['bouquet', 'select'],
      ['toStructureId', 'input[type="radio"]'],
      ['message', 'textarea'],
    ];
    const invalid = order.find(([field]) => this.clientErrors(field).length > 0);
    if (invalid) {
      this.formElement().nativeElement.querySelector<HTMLElement>(invalid[1])?.focus();
      return;
    }
    this.send(this.selectedCategories());
  }

  /** (b) Send without the categories the person has not agreed to share with that structure. */
  protected sendWithoutMissing(): void {
    const missing = this.missing()?.categories ?? [];
    const categories = this.selectedCategories().filter((category) => !missing.includes(category));
    // The form says what is sent: those boxes are unticked.
    for (const category of missing) this.form.controls.categories.controls[category].setValue(false);
    this.send(categories);
  }

  /** (a) Record the consent now, with the person. */
  protected startConsent(): void {
    this.recordingConsent.set(true);
  }

  protected cancelConsent(): void {
    this.recordingConsent.set(false);
    afterNextRender({ write: () => this.missingTitle()?.nativeElement.focus() }, { injector: this.injector });
  }

  /** The consent is recorded: the same orientation is sent again, now covered. */
  protected onConsentRecorded(): void {
    this.recordingConsent.set(false);
    this.send(this.selectedCategories());
  }

  private closeMissing(): void {
    this.missing.set(null);
    this.recordingConsent.set(false);
  }

  private send(categories: DataCategory[]): void {
    const target = this.target();
    const bouquet = this.bouquet();
    if (!target || !bouquet || this.pending()) return;
    const message = this.form.controls.message.value.trim();
    const request: CreateReferralRequest = {
      clientRequestId: this.clientRequestId,
      personId: this.personId(),
      toStructureId: target.structureId,
      ...(target.serviceId ? { toServiceId: target.serviceId } : {}),
      bouquet,
      ...(message ? { message } : {}),
      categories,
      ...(this.fromContactId() ? { fromContactId: this.fromContactId() } : {}),
      ...(this.requestId() ? { requestId: this.requestId() } : {}),
    };
    this.pending.set(true);
    this.error.set(null);
    this.api
      .create(request)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (referral) => {
          this.pending.set(false);
          this.closeMissing();
          this.sent.emit(referral);
        },
        error: (error: unknown) => {
          this.pending.set(false);
          const apiError = toApiError(error);
          const detail = apiError.code === 'CONSENT_REQUIRED' ? apiError.consentRequired : undefined;
          if (detail && detail.missingCategories.length) {
            this.missing.set({
              structureId: detail.structureId,
              structureName: detail.structureId === target.structureId ? target.structureName : $localize`la structure partenaire`,
              categories: DATA_CATEGORIES.filter((category) => detail.missingCategories.includes(category)),
            });
            this.recordingConsent.set(false);
            afterNextRender({ write: () => this.missingTitle()?.nativeElement.focus() }, { injector: this.injector });
            return;
          }
          this.error.set(apiError);
        },
      });
  }
}
