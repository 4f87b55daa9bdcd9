import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  forwardRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ControlValueAccessor, NG_VALUE_ACCESSOR } from '@angular/forms';
import { Commune } from '@passerelle/contracts';
import { catchError, debounceTime, distinctUntilChanged, of, Subject, switchMap } from 'rxjs';
import { FieldMessages } from '../ui/field-messages';
import { TerritoryApi } from './territory.api';

/** The value of a commune field: INSEE code and the name shown to the user. */
export interface CommuneChoice {
  inseeCode: string;
  name: string;
}

/**
 * Commune field: an ARIA 1.2 combobox (WAI-ARIA APG "list autocomplete") searching the territory's
 * communes as the user types. Arrow keys move in the list, Enter or click chooses, Escape closes.
 * The form value is a `CommuneChoice`, or null until a commune of the list is chosen.
 */
@Component({
  selector: 'pa-commune-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FieldMessages],
  providers: [{ provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => CommunePicker), multi: true }],
  templateUrl: './commune-picker.html',
})
export class CommunePicker implements ControlValueAccessor {
  private readonly territory = inject(TerritoryApi);

  /** Id of the input; the list and messages derive theirs from it. */
  readonly inputId = input.required<string>();
  readonly label = input($localize`Commune`);
  readonly required = input(false);
  readonly errors = input<readonly string[]>([]);

  protected readonly text = signal('');
  protected readonly results = signal<Commune[]>([]);
  protected readonly open = signal(false);
  protected readonly activeIndex = signal(-1);
  protected readonly searching = signal(false);
  protected readonly status = signal('');
  protected readonly disabled = signal(false);

  private readonly queries = new Subject<string>();
  private onChange: (value: CommuneChoice | null) => void = () => undefined;
  private onTouched: () => void = () => undefined;

  constructor() {
    this.queries
      .pipe(
        debounceTime(250),
        distinctUntilChanged(),
        switchMap((q) => {
          this.searching.set(true);
          return this.territory.searchCommunes(q).pipe(catchError(() => of(null)));
        }),
        takeUntilDestroyed(inject(DestroyRef)),
      )
      .subscribe((communes) => {
        this.searching.set(false);
        if (communes === null) {
          this.results.set([]);
          this.open.set(false);
          this.status.set($localize`La recherche de communes n'a pas abouti. Réessayez.`);
          return;
        }
        this.results.set(communes);
        this.activeIndex.set(-1);
        this.open.set(communes.length > 0);
        this.status.set(
          communes.length === 0
            ? $localize`Aucune commune trouvée.`
            : communes.length === 1
              ? $localize`1 commune trouvée, utilisez les flèches pour la sélectionner.`
              : $localize`${communes.length}:count: communes trouvées, utilisez les flèches pour en sélectionner une.`,
        );
      });
  }

  protected optionId(index: number): string {
    return `${this.inputId()}-option-${index}`;
  }

  protected describedBy(): string {
    return `${this.inputId()}-hint ${this.inputId()}-messages`;
  }

  protected onInput(value: string): void {
    this.text.set(value);
    // Typing invalidates the previous choice until a commune of the list is chosen again.
    this.onChange(null);
    const q = value.trim();
    if (q.length < 2) {
      this.results.set([]);
      this.open.set(false);
      this.status.set('');
      this.queries.next('');
      return;
    }
    this.queries.next(q);
  }

  protected onKeydown(event: KeyboardEvent): void {
    const count = this.results().length;
    switch (event.key) {
      case 'ArrowDown':
        if (!count) return;
        event.preventDefault();
        this.open.set(true);
        this.activeIndex.set((this.activeIndex() + 1) % count);
        break;
      case 'ArrowUp':
        if (!count) return;
        event.preventDefault();
        this.open.set(true);
        this.activeIndex.set(this.activeIndex() <= 0 ? count - 1 : this.activeIndex() - 1);
        break;
      case 'Enter':
        if (this.open() && this.activeIndex() >= 0) {
          event.preventDefault();
          this.choose(this.results()[this.activeIndex()]);
        }
        break;
      case 'Escape':
        if (this.open()) {
          event.preventDefault();
          this.open.set(false);
          this.activeIndex.set(-1);
        }
        break;
    }
  }

  protected onBlur(): void {
    // Options cancel mousedown, so clicking one does not blur the field: leaving it closes the list.
    this.onTouched();
    this.open.set(false);
  }

  protected choose(commune: Commune): void {
    this.text.set(this.display(commune));
    this.open.set(false);
    this.activeIndex.set(-1);
    this.status.set($localize`Commune choisie : ${commune.name}:name:.`);
    this.onChange({ inseeCode: commune.inseeCode, name: commune.name });
  }

  protected display(commune: Commune): string {
    return commune.postalCodes.length ? `${commune.name} (${commune.postalCodes.join(', ')})` : commune.name;
  }

  writeValue(value: CommuneChoice | null): void {
    this.text.set(value?.name ?? '');
    this.results.set([]);
    this.open.set(false);
  }

  registerOnChange(fn: (value: CommuneChoice | null) => void): void {
    this.onChange = fn;
  }

  registerOnTouched(fn: () => void): void {
    this.onTouched = fn;
  }

  setDisabledState(isDisabled: boolean): void {
    this.disabled.set(isDisabled);
  }
}
