import { ChangeDetectionStrategy, Component, computed, DestroyRef, forwardRef, inject, input, OnInit, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ControlValueAccessor, NG_VALUE_ACCESSOR } from '@angular/forms';
import { ApiError, Professional } from '@passerelle/contracts';
import { catchError, debounceTime, distinctUntilChanged, of, Subject, switchMap } from 'rxjs';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { professionalKey, professionalLabel } from './referent-format';
import { ReferentsApi } from './referents.api';

const SEARCH_DEBOUNCE_MS = 250;
const PICKER_LIMIT = 50;

/**
 * Chooses a professional of the territory (name, role, structure — nothing else is known of them): a
 * search field narrows the list below it, a native select holds the choice (keyboard and screen reader
 * friendly). The value is "userId|structureId" (professionalKey); '' when none. With `personId`, only
 * the professionals of the structures that follow the person are offered.
 */
@Component({
  selector: 'pa-professional-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorAlert, FieldMessages],
  providers: [{ provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => ProfessionalPicker), multi: true }],
  template: `
    <pa-api-error-alert [error]="loadError()" />
    <div class="fr-input-group fr-mb-1w">
      <label class="fr-label" [for]="inputId() + '-recherche'"
        ><ng-container i18n>Rechercher un professionnel</ng-container>
        <span class="fr-hint-text" i18n>Nom, prénom ou structure : la liste ci-dessous se restreint</span></label
      >
      <input class="fr-input" type="search" autocomplete="off" [id]="inputId() + '-recherche'" (input)="search($event)" />
    </div>
    <p class="fr-text--xs fr-mb-1w" role="status">{{ countMessage() }}</p>
    <div class="fr-select-group" [class.fr-select-group--error]="errors().length">
      <label class="fr-label" [for]="inputId()">{{ label() }}</label>
      <select
        class="fr-select"
        [class.fr-select--error]="errors().length"
        [id]="inputId()"
        [disabled]="disabled()"
        [attr.aria-describedby]="inputId() + '-messages'"
        [attr.aria-invalid]="errors().length ? true : null"
        (change)="choose($event)"
        (blur)="onTouched()"
      >
        <option value="" [selected]="value() === ''" disabled i18n>Choisir un professionnel</option>
        @for (professional of options(); track key(professional)) {
          <option [value]="key(professional)" [selected]="key(professional) === value()">{{ describe(professional) }}</option>
        }
      </select>
      <pa-field-messages [id]="inputId() + '-messages'" [errors]="errors()" />
    </div>
  `,
})
export class ProfessionalPicker implements ControlValueAccessor, OnInit {
  private readonly api = inject(ReferentsApi);
  private readonly destroyRef = inject(DestroyRef);

  readonly inputId = input.required<string>();
  /** Visible label of the select, e.g. "Professionnel désigné *". */
  readonly label = input.required<string>();
  /** Only the professionals of the structures that follow this person. */
  readonly personId = input<string | null>(null);
  /** Left out of the list (e.g. oneself, for a handoff). */
  readonly excludeUserId = input<string | null>(null);
  readonly errors = input<readonly string[]>([]);

  protected readonly value = signal('');
  protected readonly disabled = signal(false);
  private readonly found = signal<Professional[] | null>(null);
  /** The chosen professional stays in the list when a new search would leave them out. */
  private readonly chosen = signal<Professional | null>(null);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly options = computed(() => {
    const found = (this.found() ?? []).filter((p) => p.userId !== this.excludeUserId());
    const chosen = this.chosen();
    return chosen && !found.some((p) => professionalKey(p) === professionalKey(chosen)) ? [chosen, ...found] : found;
  });
  protected readonly countMessage = computed(() => {
    const found = this.found();
    if (found === null) return $localize`Chargement des professionnels…`;
    const n = found.filter((p) => p.userId !== this.excludeUserId()).length;
    return n === 0
      ? $localize`Aucun professionnel ne correspond.`
      : n === 1
        ? $localize`1 professionnel dans la liste.`
        : $localize`${n}:count: professionnels dans la liste.`;
  });
  protected readonly key = professionalKey;
  protected readonly describe = professionalLabel;

  private readonly queries = new Subject<string>();
  private onChange: (value: string) => void = () => undefined;
  protected onTouched: () => void = () => undefined;

  constructor() {
    this.queries
      .pipe(
        debounceTime(SEARCH_DEBOUNCE_MS),
        distinctUntilChanged(),
        switchMap((q) =>
          this.api.professionals({ q: q || undefined, personId: this.personId() ?? undefined, limit: PICKER_LIMIT }).pipe(
            catchError((error: unknown) => {
              this.loadError.set(toApiError(error));
              return of([] as Professional[]);
            }),
          ),
        ),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe((found) => this.found.set(found));
  }

  /** The first list, at once (no debounce), once the inputs are known. */
  ngOnInit(): void {
    this.api
      .professionals({ personId: this.personId() ?? undefined, limit: PICKER_LIMIT })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (found) => this.found.set(found),
        error: (error: unknown) => {
          this.loadError.set(toApiError(error));
          this.found.set([]);
        },
      });
  }

  protected search(event: Event): void {
    this.queries.next((event.target as HTMLInputElement).value.trim());
  }

  protected choose(event: Event): void {
    const key = (event.target as HTMLSelectElement).value;
    this.value.set(key);
    this.chosen.set(this.options().find((p) => professionalKey(p) === key) ?? null);
    this.onChange(key);
  }

  writeValue(value: string | null): void {
    this.value.set(value ?? '');
    if (!value) this.chosen.set(null);
  }

  registerOnChange(fn: (value: string) => void): void {
    this.onChange = fn;
  }

  registerOnTouched(fn: () => void): void {
    this.onTouched = fn;
  }

  setDisabledState(disabled: boolean): void {
    this.disabled.set(disabled);
  }
}
