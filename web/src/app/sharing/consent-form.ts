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
  output,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { AbstractControl, FormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import {
  ApiError,
  Consent,
  CONSENT_COLLECTION_METHOD_LABELS,
  CONSENT_COLLECTION_METHODS,
  CONSENT_NOTICE_VERSION,
  CONSENT_PURPOSE_LABELS,
  CONSENT_PURPOSES,
  ConsentCollectionMethod,
  ConsentPurpose,
  ConsentRecipientKind,
  CreateConsentRequest,
  DATA_CATEGORIES,
  DATA_CATEGORY_LABELS,
  DataCategory,
  Structure,
} from '@passerelle/contracts';
import { newClientRequestId } from '../contacts/client-request-id';
import { AuthService } from '../core/auth/auth.service';
import { fieldErrorsOf, toApiError } from '../core/http/api-error';
import { StructuresApi } from '../structures/structures.api';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { consentNoticeUrl, SharingApi } from './sharing.api';

type ConsentField = 'purpose' | 'recipientKind' | 'recipientStructureId' | 'categories' | 'collectionMethod' | 'validUntil' | 'noticeVersion';

/** Today as YYYY-MM-DD in the agent's time zone (the date field's format). */
function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

function futureDateValidator(control: AbstractControl<string>): ValidationErrors | null {
  const value = control.value.trim();
  if (!value) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(new Date(`${value}T23:59:59`).getTime())) return { date: true };
  return value < today() ? { past: true } : null;
}

/**
 * "Recueillir un consentement", with the person: purpose, recipient (a named partner structure, the
 * structures of the person's parcours, or — for network visibility only — the whole network), the
 * categories of information, how it was collected, an optional end date; the notice version shown is
 * recorded with it. Nothing is pre-selected: the person chooses. One idempotency key per form, sent
 * again on every retry.
 */
@Component({
  selector: 'pa-consent-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages],
  templateUrl: './consent-form.html',
})
export class ConsentForm {
  private readonly api = inject(SharingApi);
  private readonly auth = inject(AuthService);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  private readonly fb = inject(FormBuilder).nonNullable;

  readonly personId = input.required<string>();
  readonly recorded = output<Consent>();
  readonly cancelled = output<void>();

  protected readonly purposes = CONSENT_PURPOSES;
  protected readonly purposeLabels = CONSENT_PURPOSE_LABELS;
  protected readonly categories = DATA_CATEGORIES;
  protected readonly categoryLabels = DATA_CATEGORY_LABELS;
  protected readonly methods = CONSENT_COLLECTION_METHODS;
  protected readonly methodLabels = CONSENT_COLLECTION_METHOD_LABELS;
  protected readonly noticeVersion = CONSENT_NOTICE_VERSION;
  protected readonly minDate = today();
  protected readonly noticeUrl = computed(() => consentNoticeUrl(this.personId()));

  protected readonly form = this.fb.group({
    purpose: this.fb.control<ConsentPurpose | ''>('', Validators.required),
    recipientKind: this.fb.control<ConsentRecipientKind | ''>('', Validators.required),
    recipientStructureId: [''],
    categories: this.fb.group(
      Object.fromEntries(DATA_CATEGORIES.map((category) => [category, false])) as Record<DataCategory, boolean>,
    ),
    collectionMethod: this.fb.control<ConsentCollectionMethod | ''>('', Validators.required),
    validUntil: ['', futureDateValidator],
  });
  protected readonly purpose = toSignal(this.form.controls.purpose.valueChanges, { initialValue: '' as ConsentPurpose | '' });
  protected readonly recipientKind = toSignal(this.form.controls.recipientKind.valueChanges, {
    initialValue: '' as ConsentRecipientKind | '',
  });
  protected readonly network = computed(() => this.purpose() === 'network_visibility');

  /** The tenant's other structures, active ones: the possible named recipients. */
  protected readonly structures = signal<Structure[]>([]);
  protected readonly structuresError = signal<ApiError | null>(null);
  protected readonly submitted = signal(false);
  protected readonly pending = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  private readonly serverErrors = computed(() => fieldErrorsOf(this.error()));
  /** Same key on every retry: a double submit or a lost answer never records two consents. */
  private readonly clientRequestId = newClientRequestId();
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  constructor() {
    const own = this.auth.currentUser()?.activeMembership.structure?.id ?? null;
    inject(StructuresApi)
      .list()
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (structures) => this.structures.set(structures.filter((s) => s.active && s.id !== own)),
        error: (error: unknown) => this.structuresError.set(toApiError(error)),
      });
    // Network visibility goes to the whole network, and only it does.
    this.form.controls.purpose.valueChanges.pipe(takeUntilDestroyed()).subscribe((purpose) => {
      const kind = this.form.controls.recipientKind;
      if (purpose === 'network_visibility') kind.setValue('network');
      else if (kind.value === 'network') kind.setValue('');
    });
    afterNextRender({ write: () => this.focus() });
  }

  /** Focus on the first field (the form just opened). */
  focus(): void {
    this.formElement().nativeElement.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
  }

  protected selectedCategories(): DataCategory[] {
    const value = this.form.controls.categories.getRawValue();
    return DATA_CATEGORIES.filter((category) => value[category]);
  }

  /** What to show under a field: the form's own checks once submitted, then the API's messages. */
  protected errorsFor(field: ConsentField): string[] {
    const server = this.serverErrors()[field] ?? [];
    const client = this.clientErrors(field);
    return [...client, ...server.filter((message) => !client.includes(message))];
  }

  private clientErrors(field: ConsentField): string[] {
    if (!this.submitted()) return [];
    const client: string[] = [];
    const value = this.form.getRawValue();
    switch (field) {
      case 'purpose':
        if (!value.purpose) client.push($localize`Choisissez la finalité du partage.`);
        break;
      case 'recipientKind':
        if (!value.recipientKind) client.push($localize`Choisissez à qui les informations sont partagées.`);
        break;
      case 'recipientStructureId':
        if (value.recipientKind === 'structure' && !value.recipientStructureId) {
          client.push($localize`Choisissez la structure destinataire.`);
        }
        break;
      case 'categories': {
        if (this.network()) break;
        const chosen = this.selectedCategories();
        if (chosen.length === 0) client.push($localize`Cochez au moins une catégorie d'informations à partager.`);
        if (chosen.includes('interview_summaries') && !chosen.includes('needs_requests')) {
          client.push($localize`Les synthèses d'entretien se partagent avec les passages : cochez aussi « Besoins et demandes ».`);
        }
        break;
      }
      case 'collectionMethod':
        if (!value.collectionMethod) client.push($localize`Indiquez comment le consentement a été recueilli.`);
        break;
      case 'validUntil': {
        const errors = this.form.controls.validUntil.errors;
        if (errors?.['past']) client.push($localize`La fin de validité doit être aujourd'hui ou plus tard.`);
        if (errors?.['date']) client.push($localize`Saisissez une date, par exemple 31/12/2027.`);
        break;
      }
      case 'noticeVersion':
        break;
    }
    return client;
  }

  protected submit(): void {
    this.submitted.set(true);
    if (this.pending()) return;
    // The API's messages stay shown until its next answer, but do not block sending again.
    if (this.focusFirstInvalid((field) => this.clientErrors(field))) return;
    const request = this.request();
    if (!request) return;
    this.pending.set(true);
    this.error.set(null);
    this.api
      .createConsent(this.personId(), request)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (consent) => {
          this.pending.set(false);
          this.recorded.emit(consent);
        },
        error: (error: unknown) => {
          this.pending.set(false);
          // The alert is announced; the focus goes to the first field the API refused, if any.
          this.error.set(toApiError(error));
          afterNextRender({ write: () => this.focusFirstInvalid((field) => this.errorsFor(field)) }, { injector: this.injector });
        },
      });
  }

  /** Focuses the first field with a problem; false when there is none. */
  private focusFirstInvalid(errorsOf: (field: ConsentField) => string[]): boolean {
    const order: [ConsentField, string][] = [
      ['purpose', 'input[name="purpose"]'],
      ['recipientKind', 'input[name="recipientKind"]:not([disabled])'],
      ['recipientStructureId', '#consentement-structure'],
      ['categories', '#consentement-categories input'],
      ['collectionMethod', 'input[name="collectionMethod"]'],
      ['validUntil', '#consentement-fin'],
      ['noticeVersion', '#consentement-notice'],
    ];
    const first = order.find(([field]) => errorsOf(field).length > 0);
    if (!first) return false;
    this.formElement().nativeElement.querySelector<HTMLElement>(first[1])?.focus();
    return true;
  }

  private request(): CreateConsentRequest | null {
    const value = this.form.getRawValue();
    if (!value.purpose || !value.recipientKind || !value.collectionMethod) return null;
    const validUntil = value.validUntil.trim();
    return {
      clientRequestId: this.clientRequestId,
      purpose: value.purpose,
      recipientKind: value.recipientKind,
      ...(value.recipientKind === 'structure' ? { recipientStructureId: value.recipientStructureId } : {}),
      categories: value.recipientKind === 'network' ? [] : this.selectedCategories(),
      collectionMethod: value.collectionMethod,
      noticeVersion: CONSENT_NOTICE_VERSION,
      // Valid until the end of the chosen day, in the agent's time zone.
      ...(validUntil ? { validUntil: new Date(`${validUntil}T23:59:59`).toISOString() } : {}),
    };
  }
}
