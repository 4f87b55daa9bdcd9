import { DatePipe } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  Injector,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import {
  ApiError,
  Contact,
  CONTACT_ANSWER_LABELS,
  CONTACT_CHANNEL_LABELS,
  PersonSearchHit,
  TodaySummary,
} from '@passerelle/contracts';
import { ContactsApi } from '../contacts/contacts.api';
import { needLabel } from '../contacts/need-search';
import { toApiError } from '../core/http/api-error';
import { personName } from '../persons/person-format';
import { PersonSearch } from '../persons/person-search';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { StatusMessage } from '../ui/status-message';

type TodayContact = TodaySummary['contacts'][number];

/**
 * "Aujourd'hui" (`/accueil/aujourdhui`): the contacts of my structure today, counted by channel and by
 * need, the anonymous ones, and the list with links to the person files. An anonymous contact can be
 * attached to the person when they come back.
 */
@Component({
  selector: 'pa-today-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, ApiErrorAlert, PersonSearch, StatusMessage],
  templateUrl: './today-page.html',
})
export class TodayPage {
  private readonly api = inject(ContactsApi);
  private readonly destroyRef = inject(DestroyRef);
  private readonly injector = inject(Injector);
  private readonly attachSearch = viewChild(PersonSearch);

  protected readonly summary = signal<TodaySummary | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly attachError = signal<ApiError | null>(null);
  protected readonly attachingId = signal<string | null>(null);
  protected readonly statusMessage = signal('');
  protected readonly channelLabels = CONTACT_CHANNEL_LABELS;
  protected readonly answerLabels = CONTACT_ANSWER_LABELS;
  protected readonly needLabel = needLabel;
  protected readonly contacts = computed(() =>
    [...(this.summary()?.contacts ?? [])].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt)),
  );
  protected readonly byChannel = computed(() =>
    [...(this.summary()?.byChannel ?? [])].filter((row) => row.count > 0).sort((a, b) => b.count - a.count),
  );
  protected readonly byNeed = computed(() =>
    [...(this.summary()?.byNeed ?? [])].filter((row) => row.count > 0).sort((a, b) => b.count - a.count),
  );

  constructor() {
    this.load();
  }

  protected load(): void {
    this.loading.set(true);
    this.error.set(null);
    this.api
      .today()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (summary) => {
          this.summary.set(summary);
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.error.set(toApiError(error));
          this.loading.set(false);
        },
      });
  }

  protected needsOf(contact: Contact): string {
    return contact.needs.map((need) => needLabel(need.bouquet)).join(', ');
  }

  protected startAttach(contact: TodayContact): void {
    this.attachError.set(null);
    this.statusMessage.set('');
    this.attachingId.set(contact.id);
    afterNextRender({ write: () => this.attachSearch()?.focus() }, { injector: this.injector });
  }

  protected attach(contact: TodayContact, hit: PersonSearchHit): void {
    this.attachError.set(null);
    this.api
      .attach(contact.id, { personId: hit.id })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.attachingId.set(null);
          this.statusMessage.set($localize`Le passage est rattaché au dossier de ${personName(hit)}:name:.`);
          this.load();
        },
        error: (error: unknown) => this.attachError.set(toApiError(error)),
      });
  }
}
