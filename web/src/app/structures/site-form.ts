import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ApiError, CreateSiteRequest, Site, SITE_KIND_LABELS, SITE_KINDS, SiteKind } from '@passerelle/contracts';
import { fieldErrorsOf, FieldErrors, toApiError } from '../core/http/api-error';
import { CommuneChoice, CommunePicker } from '../territory/commune-picker';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { fieldErrors, focusFirstInvalidField } from '../ui/form-errors';
import { StructuresApi } from './structures.api';

type SiteField = 'name' | 'kind' | 'address' | 'commune' | 'openingHours' | 'recurrence' | 'recurrenceLabel';

/** An iCalendar RRULE, checked loosely here (the API parses it for real). */
const RRULE_PATTERN = /^(RRULE:)?FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[^;\s]+)*$/i;

/** Creates a site of a structure, or edits `site` when given; emits the site returned by the API. */
@Component({
  selector: 'pa-site-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages, CommunePicker],
  templateUrl: './site-form.html',
})
export class SiteForm {
  private readonly api = inject(StructuresApi);
  private readonly destroyRef = inject(DestroyRef);

  readonly structureId = input.required<string>();
  readonly site = input<Site | null>(null);
  readonly saved = output<Site>();
  readonly cancelled = output<void>();

  protected readonly kinds = SITE_KINDS;
  protected readonly kindLabels = SITE_KIND_LABELS;
  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', [Validators.required, Validators.maxLength(200)]],
    kind: ['fixed' as SiteKind, Validators.required],
    address: ['', Validators.maxLength(300)],
    commune: [null as CommuneChoice | null, Validators.required],
    openingHours: ['', Validators.maxLength(255)],
    recurrence: ['', Validators.pattern(RRULE_PATTERN)],
    recurrenceLabel: ['', Validators.maxLength(255)],
  });
  protected readonly kind = toSignal(this.form.controls.kind.valueChanges, { initialValue: this.form.controls.kind.value });
  protected readonly submitted = signal(false);
  protected readonly pending = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  private readonly serverErrors = signal<FieldErrors>({});
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');
  private readonly nameInput = viewChild.required<ElementRef<HTMLInputElement>>('nameInput');

  constructor() {
    effect(() => {
      const site = this.site();
      untracked(() => this.fill(site));
    });
    // Itinerant permanences need their recurrence; fixed sites have none.
    this.form.controls.kind.valueChanges.pipe(takeUntilDestroyed()).subscribe((kind) => this.applyKind(kind));
    afterNextRender({ write: () => this.nameInput().nativeElement.focus() }, { injector: inject(Injector) });
  }

  protected errorsFor(name: SiteField): string[] {
    const server = this.serverErrors();
    const merged = name === 'commune' ? { ...server, commune: [...(server['communeInsee'] ?? [])] } : server;
    const required: Partial<Record<SiteField, string>> = {
      name: $localize`Saisissez le nom du site.`,
      commune: $localize`Choisissez la commune dans la liste proposée.`,
      recurrence: $localize`Saisissez la récurrence de la permanence.`,
      recurrenceLabel: $localize`Décrivez la récurrence de la permanence.`,
    };
    return fieldErrors(this.form, name, this.submitted(), merged, {
      required: required[name] ?? $localize`Ce champ est obligatoire.`,
      pattern: $localize`Saisissez une règle au format iCalendar, par exemple FREQ=WEEKLY;BYDAY=TU.`,
    });
  }

  protected submit(): void {
    this.submitted.set(true);
    if (this.pending()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      focusFirstInvalidField(this.formElement().nativeElement);
      return;
    }
    const value = this.form.getRawValue();
    if (!value.commune) return;
    const itinerant = value.kind === 'itinerant';
    const request: CreateSiteRequest = {
      name: value.name.trim(),
      kind: value.kind,
      address: value.address.trim() || null,
      communeInsee: value.commune.inseeCode,
      openingHours: value.openingHours.trim() || null,
      recurrence: itinerant ? value.recurrence.trim().replace(/^RRULE:/i, '') || null : null,
      recurrenceLabel: itinerant ? value.recurrenceLabel.trim() || null : null,
    };
    const existing = this.site();
    this.pending.set(true);
    this.error.set(null);
    this.serverErrors.set({});
    (existing ? this.api.updateSite(existing.id, request) : this.api.createSite(this.structureId(), request))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (site) => {
          this.pending.set(false);
          this.saved.emit(site);
        },
        error: (error: unknown) => {
          this.pending.set(false);
          const apiError = toApiError(error);
          this.error.set(apiError);
          this.serverErrors.set(fieldErrorsOf(apiError));
        },
      });
  }

  private applyKind(kind: SiteKind): void {
    const { recurrence, recurrenceLabel } = this.form.controls;
    if (kind === 'itinerant') {
      recurrence.setValidators([Validators.required, Validators.pattern(RRULE_PATTERN)]);
      recurrenceLabel.setValidators([Validators.required, Validators.maxLength(255)]);
    } else {
      recurrence.setValidators(Validators.pattern(RRULE_PATTERN));
      recurrenceLabel.setValidators(Validators.maxLength(255));
    }
    recurrence.updateValueAndValidity({ emitEvent: false });
    recurrenceLabel.updateValueAndValidity({ emitEvent: false });
  }

  private fill(site: Site | null): void {
    this.form.reset({
      name: site?.name ?? '',
      kind: site?.kind ?? 'fixed',
      address: site?.address ?? '',
      commune: site ? { inseeCode: site.communeInsee, name: site.communeName } : null,
      openingHours: site?.openingHours ?? '',
      recurrence: site?.recurrence ?? '',
      recurrenceLabel: site?.recurrenceLabel ?? '',
    });
    this.applyKind(this.form.controls.kind.value);
  }
}
