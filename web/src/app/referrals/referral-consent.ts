import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  ApiError,
  Consent,
  CONSENT_COLLECTION_METHOD_LABELS,
  CONSENT_COLLECTION_METHODS,
  CONSENT_NOTICE_VERSION,
  ConsentCollectionMethod,
  DataCategory,
} from '@passerelle/contracts';
import { newClientRequestId } from '../contacts/client-request-id';
import { toApiError } from '../core/http/api-error';
import { consentNoticeUrl, SharingApi } from '../sharing/sharing.api';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { sharedCategoryLabels } from './referral-format';

/**
 * The consent an orientation needs, recorded with the person in the flow of the orientation: purpose
 * "orientation", recipient the receiving structure, the categories the orientation shares and the
 * person had not agreed to share with it. Only how it was collected is asked (with the notice shown);
 * the rest is the orientation's. The general consent form (person file) stays the place for other
 * consents. One idempotency key per step.
 */
@Component({
  selector: 'pa-referral-consent',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages],
  host: { class: 'pa-block' },
  template: `
    <form #formElement [formGroup]="form" (ngSubmit)="submit()" novalidate aria-labelledby="orientation-consentement-titre">
      <p id="orientation-consentement-titre" class="fr-h6" tabindex="-1" i18n>Recueillir le consentement de la personne</p>
      <pa-api-error-alert [error]="error()" />
      <p class="fr-text--sm" i18n>
        Lisez ou remettez d'abord la notice d'information à la personne. Si elle est d'accord, elle consent à partager
        avec {{ structureName() }}, pour cette orientation :
      </p>
      <ul class="fr-text--sm">
        @for (label of categoryLabels(); track label) {
          <li>{{ label }}</li>
        }
      </ul>
      <p class="fr-text--sm">
        <a class="fr-link fr-icon-download-line fr-link--icon-left" [href]="noticeUrl()" download i18n
          >Notice d’information et formulaire de consentement (PDF)</a
        >
        <br />
        <span i18n>Version de la notice présentée : {{ noticeVersion }}</span>
      </p>
      <fieldset
        class="fr-fieldset"
        [class.fr-fieldset--error]="methodErrors().length"
        aria-labelledby="orientation-consentement-mode-legende orientation-consentement-mode-messages"
      >
        <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="orientation-consentement-mode-legende" i18n>
          Mode de recueil *
        </legend>
        @for (method of methods; track method) {
          <div class="fr-fieldset__element">
            <div class="fr-radio-group">
              <input
                type="radio"
                [id]="'orientation-consentement-mode-' + method"
                name="collectionMethod"
                [value]="method"
                formControlName="collectionMethod"
              />
              <label class="fr-label" [for]="'orientation-consentement-mode-' + method">{{ methodLabels[method] }}</label>
            </div>
          </div>
        }
        <pa-field-messages id="orientation-consentement-mode-messages" [errors]="methodErrors()" />
      </fieldset>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <button type="submit" class="fr-btn" [attr.aria-disabled]="pending() ? true : null" i18n>
            Enregistrer le consentement et envoyer
          </button>
        </li>
        <li>
          <button type="button" class="fr-btn fr-btn--secondary" (click)="cancelled.emit()" i18n>Annuler</button>
        </li>
      </ul>
    </form>
  `,
})
export class ReferralConsent {
  private readonly api = inject(SharingApi);
  private readonly destroyRef = inject(DestroyRef);

  readonly personId = input.required<string>();
  readonly structureId = input.required<string>();
  readonly structureName = input.required<string>();
  readonly categories = input.required<readonly DataCategory[]>();
  readonly recorded = output<Consent>();
  readonly cancelled = output<void>();

  protected readonly methods = CONSENT_COLLECTION_METHODS;
  protected readonly methodLabels = CONSENT_COLLECTION_METHOD_LABELS;
  protected readonly noticeVersion = CONSENT_NOTICE_VERSION;
  protected readonly noticeUrl = computed(() => consentNoticeUrl(this.personId()));
  protected readonly categoryLabels = computed(() => sharedCategoryLabels(this.categories()));
  protected readonly form = new FormGroup({
    collectionMethod: new FormControl<ConsentCollectionMethod | ''>('', { nonNullable: true, validators: Validators.required }),
  });
  protected readonly submitted = signal(false);
  protected readonly pending = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  private readonly clientRequestId = newClientRequestId();
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  constructor() {
    afterNextRender({ write: () => this.formElement().nativeElement.querySelector<HTMLElement>('#orientation-consentement-titre')?.focus() });
  }

  protected methodErrors(): string[] {
    return this.submitted() && !this.form.controls.collectionMethod.value ? [$localize`Indiquez comment le consentement a été recueilli.`] : [];
  }

  protected submit(): void {
    this.submitted.set(true);
    if (this.pending()) return;
    const method = this.form.controls.collectionMethod.value;
    if (!method) {
      this.formElement().nativeElement.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
      return;
    }
    this.pending.set(true);
    this.error.set(null);
    this.api
      .createConsent(this.personId(), {
        clientRequestId: this.clientRequestId,
        purpose: 'orientation',
        recipientKind: 'structure',
        recipientStructureId: this.structureId(),
        categories: [...this.categories()],
        collectionMethod: method,
        noticeVersion: CONSENT_NOTICE_VERSION,
      })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (consent) => {
          this.pending.set(false);
          this.recorded.emit(consent);
        },
        error: (error: unknown) => {
          this.pending.set(false);
          this.error.set(toApiError(error));
        },
      });
  }
}
