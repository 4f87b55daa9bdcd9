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
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  ApiError,
  ERASURE_BASES,
  ERASURE_BASIS_LABELS,
  ERASURE_CONFIRMATION,
  ErasureBasis,
  ErasureReport,
  Person,
} from '@passerelle/contracts';
import { fieldErrorsOf, toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { personName } from './person-format';
import { PersonsApi } from './persons.api';

type ErasureField = 'basis' | 'confirmation';

/** What each eraser's count is about, as the admin reads it in the result. */
export function erasedLabel(eraser: string): string {
  switch (eraser) {
    case 'contacts':
      return $localize`textes des passages et des besoins`;
    case 'requests':
      return $localize`textes des demandes`;
    case 'documents':
      return $localize`documents supprimés`;
    case 'access_overrides':
      return $localize`justifications d'accès exceptionnel`;
    default:
      return eraser;
  }
}

/** "Dossiers anonymisés : 2 ; textes des passages et des besoins : 7 ; …" */
export function describeErasure(report: ErasureReport): string {
  const counts = Object.entries(report.erased).map(([eraser, count]) => `${erasedLabel(eraser)} : ${count}`);
  return [$localize`dossiers anonymisés : ${report.personsAnonymized}:count:`, ...counts].join(' ; ');
}

/**
 * "Effacer les données de la personne" (structure admins of a structure that follows the person; RGPD
 * art. 17): the basis of the request, what is erased and what is kept, and the word EFFACER typed to
 * confirm — the erasure cannot be undone. The API refuses it while a request is open or in progress
 * (at any structure): its reasons are listed in the error alert.
 */
@Component({
  selector: 'pa-person-erasure',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages],
  templateUrl: './person-erasure.html',
})
export class PersonErasure {
  private readonly api = inject(PersonsApi);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  private readonly fb = inject(NonNullableFormBuilder);

  readonly person = input.required<Person>();
  readonly erased = output<ErasureReport>();
  readonly cancelled = output<void>();

  protected readonly bases = ERASURE_BASES;
  protected readonly basisLabels = ERASURE_BASIS_LABELS;
  protected readonly word = ERASURE_CONFIRMATION;
  protected readonly name = computed(() => personName(this.person()));

  protected readonly form = this.fb.group({
    basis: this.fb.control<ErasureBasis | ''>('', Validators.required),
    confirmation: this.fb.control('', Validators.required),
  });
  protected readonly submitted = signal(false);
  protected readonly pending = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  private readonly serverErrors = computed(() => fieldErrorsOf(this.error()));
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  constructor() {
    afterNextRender({ write: () => this.focus() });
  }

  /** Focus on the first choice (the form just opened). */
  focus(): void {
    this.formElement().nativeElement.querySelector<HTMLInputElement>('input[name="basis"]')?.focus();
  }

  /** The form's own checks once submitted, then the API's messages. */
  protected errorsFor(field: ErasureField): string[] {
    const server = this.serverErrors()[field] ?? [];
    const client = this.clientErrors(field);
    return [...client, ...server.filter((message) => !client.includes(message))];
  }

  private clientErrors(field: ErasureField): string[] {
    if (!this.submitted()) return [];
    const value = this.form.getRawValue();
    if (field === 'basis' && !value.basis) return [$localize`Choisissez le fondement de la demande d'effacement.`];
    if (field === 'confirmation' && value.confirmation.trim() !== ERASURE_CONFIRMATION) {
      return [$localize`Saisissez le mot ${ERASURE_CONFIRMATION}:word: en majuscules pour confirmer l'effacement.`];
    }
    return [];
  }

  protected submit(): void {
    this.submitted.set(true);
    if (this.pending()) return;
    if (this.focusFirstInvalid((field) => this.clientErrors(field))) return;
    const { basis, confirmation } = this.form.getRawValue();
    if (!basis) return;
    this.pending.set(true);
    this.error.set(null);
    this.api
      .erase(this.person().id, { basis, confirmation: confirmation.trim() })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (report) => {
          this.pending.set(false);
          this.erased.emit(report);
        },
        error: (error: unknown) => {
          this.pending.set(false);
          this.error.set(toApiError(error));
          afterNextRender({ write: () => this.focusFirstInvalid((field) => this.errorsFor(field)) }, { injector: this.injector });
        },
      });
  }

  /** Focuses the first field with a problem; false when there is none. */
  private focusFirstInvalid(errorsOf: (field: ErasureField) => string[]): boolean {
    const order: [ErasureField, string][] = [
      ['basis', 'input[name="basis"]'],
      ['confirmation', '#effacement-confirmation'],
    ];
    const first = order.find(([field]) => errorsOf(field).length > 0);
    if (!first) return false;
    this.formElement().nativeElement.querySelector<HTMLElement>(first[1])?.focus();
    return true;
  }
}
