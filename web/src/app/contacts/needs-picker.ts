import {
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { NeedBouquetCode } from '@passerelle/contracts';
import { FieldMessages } from '../ui/field-messages';
import { NeedBouquet, searchNeeds } from './need-search';

/**
 * "Besoin exprimé": a combobox over the 18 bouquets, searched by word (label and keywords). Enter adds
 * the highlighted bouquet, or the first match, and empties the field for the next need. With the field
 * empty, Enter and Escape are left to the form (submit, cancel).
 */
@Component({
  selector: 'pa-needs-picker',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FieldMessages],
  templateUrl: './needs-picker.html',
})
export class NeedsPicker {
  readonly inputId = input.required<string>();
  /** Bouquets already chosen: not proposed again. */
  readonly chosen = input<readonly NeedBouquetCode[]>([]);
  readonly errors = input<readonly string[]>([]);
  readonly added = output<NeedBouquetCode>();

  protected readonly text = signal('');
  protected readonly open = signal(false);
  protected readonly activeIndex = signal(-1);
  protected readonly status = signal('');
  protected readonly matches = computed(() => searchNeeds(this.text(), this.chosen()));

  private readonly field = viewChild.required<ElementRef<HTMLInputElement>>('field');

  focus(): void {
    this.field().nativeElement.focus();
  }

  protected optionId(index: number): string {
    return `${this.inputId()}-option-${index}`;
  }

  protected describedBy(): string {
    return `${this.inputId()}-hint ${this.inputId()}-messages`;
  }

  protected onInput(value: string): void {
    this.text.set(value);
    this.activeIndex.set(-1);
    const hasText = value.trim().length > 0;
    this.open.set(hasText && this.matches().length > 0);
    if (!hasText) this.status.set('');
    else if (!this.matches().length) this.status.set($localize`Aucun besoin ne correspond à ce mot.`);
    else
      this.status.set(
        this.matches().length === 1
          ? $localize`1 besoin correspond : ${this.matches()[0].label}:label:. Entrée pour l'ajouter.`
          : $localize`${this.matches().length}:count: besoins correspondent, le premier est ${this.matches()[0].label}:label:. Entrée pour l'ajouter, flèches pour choisir.`,
      );
  }

  protected onKeydown(event: KeyboardEvent): void {
    const count = this.matches().length;
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
      case 'Enter': {
        const typed = this.text().trim().length > 0;
        const browsing = this.open() && this.activeIndex() >= 0;
        // Empty field, nothing highlighted: Enter belongs to the form (submit).
        if (!typed && !browsing) return;
        event.preventDefault();
        const bouquet = browsing ? this.matches()[this.activeIndex()] : this.matches()[0];
        if (bouquet) this.add(bouquet);
        else this.status.set($localize`Aucun besoin ne correspond à ce mot.`);
        break;
      }
      case 'Escape':
        if (this.text() || this.open()) {
          event.preventDefault();
          this.reset();
        }
        break;
    }
  }

  protected onBlur(): void {
    this.open.set(false);
    this.activeIndex.set(-1);
  }

  protected add(bouquet: NeedBouquet): void {
    this.reset();
    this.status.set($localize`Besoin ajouté : ${bouquet.label}:label:.`);
    this.added.emit(bouquet.code);
  }

  private reset(): void {
    this.text.set('');
    this.field().nativeElement.value = '';
    this.open.set(false);
    this.activeIndex.set(-1);
  }
}
