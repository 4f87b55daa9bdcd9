import { DOCUMENT } from '@angular/common';
import { afterNextRender, ChangeDetectionStrategy, Component, computed, DestroyRef, ElementRef, inject, Injector, signal, viewChild } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormBuilder, FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import {
  ApiError,
  CONTINUITY_ALERT_KIND_HELP,
  CONTINUITY_ALERT_KIND_LABELS,
  CONTINUITY_ALERT_KINDS,
  CONTINUITY_DEFAULT_THRESHOLDS,
  CONTINUITY_THRESHOLD_MAX_DAYS,
  CONTINUITY_THRESHOLD_MIN_DAYS,
  ContinuityAlertKind,
  ContinuityThresholds,
} from '@passerelle/contracts';
import { fieldErrorsOf, toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { StatusMessage } from '../ui/status-message';
import { ContinuityApi } from './continuity.api';

type ThresholdControls = Record<ContinuityAlertKind, FormControl<number | null>>;

/** Every kind's delay: the API's, or the default for a kind it does not list. */
function completeThresholds(thresholds: Partial<ContinuityThresholds>): ContinuityThresholds {
  return Object.fromEntries(
    CONTINUITY_ALERT_KINDS.map((kind) => [kind, thresholds[kind] ?? CONTINUITY_DEFAULT_THRESHOLDS[kind]]),
  ) as ContinuityThresholds;
}

/**
 * "Seuils d'alerte" (`/coordination/seuils`, coordinators): after how many days each kind of gap becomes
 * an alert for the whole territory, 1 to 730 days. Saved all at once.
 */
@Component({
  selector: 'pa-thresholds-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink, ApiErrorAlert, FieldMessages, StatusMessage],
  templateUrl: './thresholds-page.html',
})
export class ThresholdsPage {
  private readonly api = inject(ContinuityApi);
  private readonly fb = inject(FormBuilder).nonNullable;
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly document = inject(DOCUMENT);

  protected readonly kinds = CONTINUITY_ALERT_KINDS;
  protected readonly kindLabels = CONTINUITY_ALERT_KIND_LABELS;
  protected readonly kindHelp = CONTINUITY_ALERT_KIND_HELP;
  protected readonly defaults = CONTINUITY_DEFAULT_THRESHOLDS;
  protected readonly min = CONTINUITY_THRESHOLD_MIN_DAYS;
  protected readonly max = CONTINUITY_THRESHOLD_MAX_DAYS;

  protected readonly form = this.fb.group(
    Object.fromEntries(
      CONTINUITY_ALERT_KINDS.map((kind) => [
        kind,
        new FormControl<number | null>(null, [
          Validators.required,
          Validators.min(CONTINUITY_THRESHOLD_MIN_DAYS),
          Validators.max(CONTINUITY_THRESHOLD_MAX_DAYS),
          Validators.pattern(/^\d+$/),
        ]),
      ]),
    ) as ThresholdControls,
  );
  protected readonly loading = signal(true);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly saveError = signal<ApiError | null>(null);
  protected readonly statusMessage = signal('');
  protected readonly pending = signal(false);
  protected readonly submitted = signal(false);
  /** Bumped on each change so that the messages (computed from the form) are recomputed. */
  private readonly revision = signal(0);
  private readonly serverErrors = computed(() => fieldErrorsOf(this.saveError()));
  private readonly formElement = viewChild<ElementRef<HTMLFormElement>>('formElement');

  constructor() {
    this.form.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => this.revision.update((n) => n + 1));
    this.form.statusChanges.pipe(takeUntilDestroyed()).subscribe(() => this.revision.update((n) => n + 1));
    this.api
      .thresholds()
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (thresholds) => {
          this.form.setValue(completeThresholds(thresholds));
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.loadError.set(toApiError(error));
          this.loading.set(false);
        },
      });
  }

  protected fieldId(kind: ContinuityAlertKind): string {
    return `seuil-${kind}`;
  }

  protected errorsFor(kind: ContinuityAlertKind): string[] {
    this.revision();
    const control = this.form.controls[kind];
    const server = [...(this.serverErrors()[`thresholds.${kind}`] ?? []), ...(this.serverErrors()[kind] ?? [])];
    const client = control.invalid && (control.touched || this.submitted()) ? [this.rangeMessage()] : [];
    return [...client, ...server.filter((message) => !client.includes(message))];
  }

  private rangeMessage(): string {
    return $localize`Saisissez un nombre entier de jours entre ${CONTINUITY_THRESHOLD_MIN_DAYS}:min: et ${CONTINUITY_THRESHOLD_MAX_DAYS}:max:.`;
  }

  protected save(): void {
    this.submitted.set(true);
    this.statusMessage.set('');
    this.form.markAllAsTouched();
    this.revision.update((n) => n + 1);
    if (this.pending()) return;
    if (this.form.invalid) {
      const first = CONTINUITY_ALERT_KINDS.find((kind) => this.form.controls[kind].invalid);
      if (first) this.document.getElementById(this.fieldId(first))?.focus();
      return;
    }
    const value = this.form.getRawValue();
    const thresholds = Object.fromEntries(CONTINUITY_ALERT_KINDS.map((kind) => [kind, Number(value[kind])])) as ContinuityThresholds;
    this.pending.set(true);
    this.saveError.set(null);
    this.api
      .updateThresholds({ thresholds })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (saved) => {
          this.pending.set(false);
          this.submitted.set(false);
          // The API answers with the delays now in force (the same ones, unless it has its own rules).
          this.form.setValue(completeThresholds(saved && typeof saved === 'object' ? saved : thresholds));
          this.form.markAsPristine();
          this.form.markAsUntouched();
          this.statusMessage.set($localize`Seuils d'alerte enregistrés. Les alertes sont recalculées avec ces délais.`);
        },
        error: (error: unknown) => {
          this.pending.set(false);
          this.saveError.set(toApiError(error));
          afterNextRender({ write: () => this.formElement()?.nativeElement.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus() }, {
            injector: this.injector,
          });
        },
      });
  }
}
