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
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  AccessOverride,
  ApiError,
  OVERRIDE_LEGAL_BASES,
  OVERRIDE_LEGAL_BASIS_LABELS,
  OverrideLegalBasis,
} from '@passerelle/contracts';
import { formKeyAction } from '../contacts/form-keys';
import { fieldErrorsOf, toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { SharingApi } from './sharing.api';

type OverrideField = 'legalBasis' | 'justification';

export const JUSTIFICATION_MIN = 10;
export const JUSTIFICATION_MAX = 1000;

/**
 * "Accès exceptionnel (motif légal)": opening a file without the person's consent, for a danger or a
 * legal obligation. Legal basis and justification are required; the access is limited in time, traced
 * and reviewed by the structure's admin, which the form says before anything is sent.
 */
@Component({
  selector: 'pa-access-override-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages],
  templateUrl: './access-override-form.html',
})
export class AccessOverrideForm {
  private readonly api = inject(SharingApi);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);

  readonly personId = input.required<string>();
  readonly personName = input('');
  readonly overridden = output<AccessOverride>();
  readonly cancelled = output<void>();

  protected readonly bases = OVERRIDE_LEGAL_BASES;
  protected readonly basisLabels = OVERRIDE_LEGAL_BASIS_LABELS;
  protected readonly max = JUSTIFICATION_MAX;
  protected readonly form = inject(FormBuilder).nonNullable.group({
    legalBasis: ['' as OverrideLegalBasis | '', Validators.required],
    justification: ['', [Validators.required, Validators.minLength(JUSTIFICATION_MIN), Validators.maxLength(JUSTIFICATION_MAX)]],
  });
  private readonly justification = toSignal(this.form.controls.justification.valueChanges, { initialValue: '' });
  protected readonly length = computed(() => this.justification().trim().length);
  protected readonly submitted = signal(false);
  protected readonly pending = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  private readonly serverErrors = computed(() => fieldErrorsOf(this.error()));
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  constructor() {
    afterNextRender({ write: () => this.focusField('legalBasis') });
  }

  protected idPrefix(): string {
    return `acces-${this.personId()}`;
  }

  protected errorsFor(field: OverrideField): string[] {
    const server = this.serverErrors()[field] ?? [];
    const client = this.clientErrors(field);
    return [...client, ...server.filter((message) => !client.includes(message))];
  }

  private clientErrors(field: OverrideField): string[] {
    const client: string[] = [];
    if (this.submitted()) {
      const value = this.form.getRawValue();
      if (field === 'legalBasis' && !value.legalBasis) client.push($localize`Choisissez le motif légal de l'accès.`);
      if (field === 'justification') {
        const length = value.justification.trim().length;
        if (length < JUSTIFICATION_MIN || length > JUSTIFICATION_MAX) {
          client.push($localize`Expliquez le motif en 10 à 1 000 caractères.`);
        }
      }
    }
    return client;
  }

  protected onKeydown(event: KeyboardEvent): void {
    switch (formKeyAction(event)) {
      case 'submit':
        event.preventDefault();
        this.submit();
        break;
      case 'cancel':
        event.preventDefault();
        this.cancelled.emit();
        break;
      case null:
        break;
    }
  }

  protected submit(): void {
    this.submitted.set(true);
    if (this.pending()) return;
    if (this.focusFirstInvalid((field) => this.clientErrors(field))) return;
    const { legalBasis, justification } = this.form.getRawValue();
    if (!legalBasis) return;
    this.pending.set(true);
    this.error.set(null);
    this.api
      .createOverride(this.personId(), { legalBasis, justification: justification.trim() })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (override) => {
          this.pending.set(false);
          this.overridden.emit(override);
        },
        error: (error: unknown) => {
          this.pending.set(false);
          this.error.set(toApiError(error));
          afterNextRender({ write: () => this.focusFirstInvalid((field) => this.errorsFor(field)) }, { injector: this.injector });
        },
      });
  }

  private focusFirstInvalid(errorsOf: (field: OverrideField) => string[]): boolean {
    const field = (['legalBasis', 'justification'] as const).find((name) => errorsOf(name).length > 0);
    if (!field) return false;
    this.focusField(field);
    return true;
  }

  private focusField(field: OverrideField): void {
    const selector = field === 'legalBasis' ? 'input[type="radio"]' : 'textarea';
    this.formElement().nativeElement.querySelector<HTMLElement>(selector)?.focus();
  }
}
