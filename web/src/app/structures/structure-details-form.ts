import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  ApiError,
  CreateStructureRequest,
  Structure,
  STRUCTURE_TYPE_LABELS,
  STRUCTURE_TYPES,
  StructureType,
} from '@passerelle/contracts';
import { fieldErrorsOf, FieldErrors, toApiError } from '../core/http/api-error';
import { CommuneChoice, CommunePicker } from '../territory/commune-picker';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { fieldErrors, focusFirstInvalidField } from '../ui/form-errors';
import { StructuresApi } from './structures.api';

type StructureField = 'name' | 'type' | 'siret' | 'email' | 'phone' | 'commune';

/** API field names that differ from the form's. */
const API_FIELD: Partial<Record<StructureField, string>> = { commune: 'communeInsee' };

/**
 * Identity and contact details of a structure. Creates a structure when `structure` is not given,
 * updates it otherwise; emits the structure returned by the API.
 */
@Component({
  selector: 'pa-structure-details-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages, CommunePicker],
  templateUrl: './structure-details-form.html',
})
export class StructureDetailsForm {
  private readonly api = inject(StructuresApi);
  private readonly destroyRef = inject(DestroyRef);

  readonly structure = input<Structure | null>(null);
  /** Prefix of the field ids, so that two forms never share an id. */
  readonly idPrefix = input('structure');
  readonly saved = output<Structure>();
  readonly cancelled = output<void>();
  /** Shows a "Annuler" button (creation panel). */
  readonly cancellable = input(false);

  protected readonly types = STRUCTURE_TYPES;
  protected readonly typeLabels = STRUCTURE_TYPE_LABELS;
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', [Validators.required, Validators.maxLength(200)]],
    type: ['' as StructureType | '', Validators.required],
    siret: ['', Validators.pattern(/^\s*(\d\s*){14}$/)],
    email: ['', [Validators.email, Validators.maxLength(254)]],
    phone: ['', Validators.pattern(/^[0-9 +()./-]{6,25}$/)],
    commune: [null as CommuneChoice | null],
  });
  protected readonly submitted = signal(false);
  protected readonly pending = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly success = signal('');
  private readonly serverErrors = signal<FieldErrors>({});
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  constructor() {
    effect(() => {
      const structure = this.structure();
      untracked(() => this.fill(structure));
    });
  }

  protected id(field: string): string {
    return `${this.idPrefix()}-${field}`;
  }

  protected errorsFor(name: StructureField): string[] {
    const server = this.serverErrors();
    const apiName = API_FIELD[name];
    const merged = apiName ? { ...server, [name]: [...(server[name] ?? []), ...(server[apiName] ?? [])] } : server;
    return fieldErrors(this.form, name, this.submitted(), merged, {
      required:
        name === 'name' ? $localize`Saisissez le nom de la structure.` : $localize`Choisissez le type de structure.`,
      pattern:
        name === 'siret'
          ? $localize`Le SIRET comporte 14 chiffres.`
          : $localize`Saisissez un numéro de téléphone valide, par exemple 04 92 00 00 00.`,
    });
  }

  protected submit(): void {
    this.submitted.set(true);
    this.success.set('');
    if (this.pending()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      focusFirstInvalidField(this.formElement().nativeElement);
      return;
    }
    const value = this.form.getRawValue();
    if (!value.type) return;
    const request: CreateStructureRequest = {
      name: value.name.trim(),
      type: value.type,
      siret: value.siret.replace(/\s/g, '') || null,
      email: value.email.trim() || null,
      phone: value.phone.trim() || null,
      communeInsee: value.commune?.inseeCode ?? null,
    };
    const existing = this.structure();
    this.pending.set(true);
    this.error.set(null);
    this.serverErrors.set({});
    (existing ? this.api.update(existing.id, request) : this.api.create(request))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (structure) => {
          this.pending.set(false);
          this.submitted.set(false);
          if (existing) this.success.set($localize`Les informations de la structure sont enregistrées.`);
          this.saved.emit(structure);
        },
        error: (error: unknown) => {
          this.pending.set(false);
          const apiError = toApiError(error);
          this.error.set(apiError);
          this.serverErrors.set(fieldErrorsOf(apiError));
        },
      });
  }

  private fill(structure: Structure | null): void {
    this.form.reset({
      name: structure?.name ?? '',
      type: structure?.type ?? '',
      siret: structure?.siret ?? '',
      email: structure?.email ?? '',
      phone: structure?.phone ?? '',
      commune:
        structure?.communeInsee && structure.communeName
          ? { inseeCode: structure.communeInsee, name: structure.communeName }
          : null,
    });
  }
}
