import { DOCUMENT } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { PersonSearchHit } from '@passerelle/contracts';
import { catchError, debounceTime, map, Observable, of, Subject, switchMap } from 'rxjs';
import { PersonHitSummary } from './person-hit-summary';
import { toSearchQuery } from './person-format';
import { PersonsApi } from './persons.api';

/** Time after the last keystroke before searching: short enough to feel instant. */
export const PERSON_SEARCH_DEBOUNCE_MS = 150;
const MIN_QUERY_LENGTH = 2;
const RESULT_LIMIT = 8;

export type PersonSearchOption = { kind: 'person'; hit: PersonSearchHit } | { kind: 'new' };

/** Results for one query text; `hits` null when the search failed. */
interface SearchAnswer {
  text: string;
  hits: PersonSearchHit[] | null;
}

/**
 * Person search as an ARIA 1.2 combobox with a listbox (WAI-ARIA APG "list autocomplete"): results as
 * you type (debounced, a new query cancels the one in flight), arrows move through the options
 * (aria-activedescendant, the focus stays in the field), Enter picks, Escape clears. With
 * `offerNewPerson`, the last option is "Nouvelle personne".
 */
@Component({
  selector: 'pa-person-search',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [PersonHitSummary],
  templateUrl: './person-search.html',
})
export class PersonSearch {
  private readonly api = inject(PersonsApi);
  private readonly document = inject(DOCUMENT);

  readonly inputId = input.required<string>();
  readonly label = input($localize`Rechercher une personne (nom, téléphone, courriel)`);
  readonly hint = input(
    $localize`Nom et prénom dans n'importe quel ordre, éventuellement suivis de l'année ou de la date de naissance ; ou numéro de téléphone, ou adresse électronique`,
  );
  /** Adds the "Nouvelle personne" option after the results. */
  readonly offerNewPerson = input(false);
  /** A person not to propose (the file being merged into). */
  readonly excludeId = input<string | null>(null);

  readonly picked = output<PersonSearchHit>();
  /** "Nouvelle personne" chosen; carries the text typed, to prefill the identity form. */
  readonly newPerson = output<string>();

  protected readonly text = signal('');
  /** What is in the field now (the desk's network search uses the same text). */
  readonly typed = this.text.asReadonly();
  private readonly answer = signal<SearchAnswer | null>(null);
  protected readonly open = signal(false);
  protected readonly activeIndex = signal(-1);
  protected readonly status = signal('');
  protected readonly hits = computed(() => {
    const excluded = this.excludeId();
    return (this.answer()?.hits ?? []).filter((hit) => hit.id !== excluded);
  });
  protected readonly options = computed<PersonSearchOption[]>(() => {
    const people = this.hits().map((hit): PersonSearchOption => ({ kind: 'person', hit }));
    const showNew = this.offerNewPerson() && this.answer() !== null;
    return showNew ? [...people, { kind: 'new' }] : people;
  });

  private readonly field = viewChild.required<ElementRef<HTMLInputElement>>('field');
  private readonly queries = new Subject<string>();

  constructor() {
    this.queries
      .pipe(
        debounceTime(PERSON_SEARCH_DEBOUNCE_MS),
        // switchMap: a newer text cancels the request still in flight, so stale results never land.
        switchMap((text): Observable<SearchAnswer | null> => {
          if (text.length < MIN_QUERY_LENGTH) return of(null);
          return this.api.search(toSearchQuery(text, RESULT_LIMIT)).pipe(
            map((hits) => ({ text, hits })),
            catchError(() => of({ text, hits: null })),
          );
        }),
        takeUntilDestroyed(),
      )
      .subscribe((answer) => this.show(answer));
  }

  /** Puts the focus in the field (desk: on load, after a save, after Escape in the contact form). */
  focus(): void {
    this.field().nativeElement.focus();
  }

  /** Empties the field and the results. */
  clear(): void {
    this.text.set('');
    this.field().nativeElement.value = '';
    this.answer.set(null);
    this.open.set(false);
    this.activeIndex.set(-1);
    this.status.set('');
    this.queries.next('');
  }

  /** What the agent typed (the desk prefills a new person with it). */
  currentText(): string {
    return this.text();
  }

  protected optionId(index: number): string {
    return `${this.inputId()}-option-${index}`;
  }

  protected onInput(value: string): void {
    this.text.set(value);
    this.activeIndex.set(-1);
    const text = value.trim();
    if (text.length < MIN_QUERY_LENGTH) {
      this.answer.set(null);
      this.open.set(false);
      this.status.set('');
    }
    this.queries.next(text);
  }

  protected onKeydown(event: KeyboardEvent): void {
    const count = this.options().length;
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
        // Nothing is picked without an explicit choice: a wrong file would get someone else's contact.
        event.preventDefault();
        if (this.open() && this.activeIndex() >= 0) this.choose(this.options()[this.activeIndex()]);
        break;
      case 'Escape':
        if (this.text()) {
          event.preventDefault();
          this.clear();
        }
        break;
    }
  }

  protected onFocus(): void {
    if (this.options().length) this.open.set(true);
  }

  protected onBlur(): void {
    // Options cancel mousedown, so clicking one does not blur the field: leaving it closes the list.
    this.open.set(false);
    this.activeIndex.set(-1);
  }

  protected choose(option: PersonSearchOption): void {
    this.open.set(false);
    this.activeIndex.set(-1);
    if (option.kind === 'person') this.picked.emit(option.hit);
    else this.newPerson.emit(this.text().trim());
  }

  private show(answer: SearchAnswer | null): void {
    // A late answer for a text that is no longer in the field is dropped.
    if (answer && answer.text !== this.text().trim()) return;
    this.answer.set(answer);
    this.activeIndex.set(-1);
    if (!answer) {
      this.open.set(false);
      return;
    }
    this.open.set(this.options().length > 0 && this.document.activeElement === this.field().nativeElement);
    const count = this.hits().length;
    if (answer.hits === null) {
      this.status.set($localize`La recherche n'a pas abouti. Réessayez.`);
    } else if (count === 0) {
      this.status.set(
        this.offerNewPerson()
          ? $localize`Aucune personne trouvée. Choisissez « Nouvelle personne » avec la flèche bas.`
          : $localize`Aucune personne trouvée.`,
      );
    } else {
      this.status.set(
        count === 1
          ? $localize`1 personne trouvée, utilisez les flèches pour la sélectionner.`
          : $localize`${count}:count: personnes trouvées, utilisez les flèches pour en sélectionner une.`,
      );
    }
  }
}
