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
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { ApiError, Person, PersonSearchHit } from '@passerelle/contracts';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { formatBirth, personName } from './person-format';
import { PersonHitSummary } from './person-hit-summary';
import { PersonSearch } from './person-search';
import { PersonsApi } from './persons.api';

/**
 * "Fusionner avec un autre dossier" (structure admins): find the duplicate, see both files side by
 * side, confirm explicitly that the merge is irreversible. The file of this page is kept; the other
 * one's contacts, requests and follows are re-attached to it and it disappears.
 */
@Component({
  selector: 'pa-merge-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages, PersonHitSummary, PersonSearch],
  templateUrl: './merge-panel.html',
})
export class MergePanel {
  private readonly api = inject(PersonsApi);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  readonly target = input.required<Person>();
  /** The merged source, and the kept file as it is now (empty fields completed from the source). */
  readonly merged = output<{ source: PersonSearchHit; person: Person }>();
  readonly cancelled = output<void>();

  protected readonly source = signal<PersonSearchHit | null>(null);
  protected readonly confirmation = new FormControl(false, { nonNullable: true });
  protected readonly confirmMissing = signal(false);
  protected readonly pending = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly targetName = computed(() => personName(this.target()));
  protected readonly targetBirth = computed(() => formatBirth(this.target().birthDate, this.target().birthDatePrecision));
  protected readonly personName = personName;

  private readonly search = viewChild(PersonSearch);
  private readonly comparisonTitle = viewChild<ElementRef<HTMLElement>>('comparisonTitle');

  constructor() {
    afterNextRender({ write: () => this.search()?.focus() });
  }

  protected choose(hit: PersonSearchHit): void {
    this.source.set(hit);
    this.confirmation.setValue(false);
    this.confirmMissing.set(false);
    this.error.set(null);
    afterNextRender({ write: () => this.comparisonTitle()?.nativeElement.focus() }, { injector: this.injector });
  }

  protected chooseAnother(): void {
    this.source.set(null);
    afterNextRender({ write: () => this.search()?.focus() }, { injector: this.injector });
  }

  protected confirmErrors(): string[] {
    return this.confirmMissing()
      ? [$localize`Cochez la case pour confirmer que vous avez vérifié les deux dossiers.`]
      : [];
  }

  protected merge(): void {
    const source = this.source();
    if (!source || this.pending()) return;
    if (!this.confirmation.value) {
      this.confirmMissing.set(true);
      return;
    }
    this.pending.set(true);
    this.error.set(null);
    this.api
      .merge(this.target().id, { sourcePersonId: source.id, confirm: true })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (person) => {
          this.pending.set(false);
          this.merged.emit({ source, person });
        },
        error: (error: unknown) => {
          this.pending.set(false);
          this.error.set(toApiError(error));
        },
      });
  }
}
