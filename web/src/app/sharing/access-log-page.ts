import { DatePipe, DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { Title } from '@angular/platform-browser';
import { RouterLink } from '@angular/router';
import { AccessLogEntry, ApiError, Person } from '@passerelle/contracts';
import { catchError, EMPTY, filter, forkJoin, switchMap, tap } from 'rxjs';
import { toApiError } from '../core/http/api-error';
import { NotFoundPage } from '../errors/not-found-page';
import { personName } from '../persons/person-format';
import { PersonsApi } from '../persons/persons.api';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { accessLogReasonLabel } from './sharing-format';
import { accessLogPdfUrl, subjectAccessExportUrl, subjectAccessPdfUrl, SharingApi } from './sharing.api';

/**
 * `/personnes/:id/journal-des-acces` (structure admins of a structure that follows the person): who
 * opened the file, when, from which structure and why, exceptional accesses marked; printable (the
 * header, navigation and footer are not printed) to hand to the person who asks for it.
 */
@Component({
  selector: 'pa-access-log-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, ApiErrorAlert, NotFoundPage],
  templateUrl: './access-log-page.html',
})
export class AccessLogPage {
  private readonly persons = inject(PersonsApi);
  private readonly sharing = inject(SharingApi);
  private readonly document = inject(DOCUMENT);
  private readonly title = inject(Title);

  /** Route parameter `:id`. */
  readonly id = input.required<string>();

  protected readonly person = signal<Person | null>(null);
  protected readonly entries = signal<AccessLogEntry[] | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly notFound = computed(() => this.error()?.statusCode === 404);
  protected readonly name = computed(() => {
    const person = this.person();
    return person ? personName(person) : '';
  });
  protected readonly printedAt = signal(new Date().toISOString());
  protected readonly reasonLabel = accessLogReasonLabel;
  protected readonly pdfUrl = computed(() => accessLogPdfUrl(this.id()));
  protected readonly exportPdfUrl = computed(() => subjectAccessPdfUrl(this.id()));
  protected readonly exportUrl = computed(() => subjectAccessExportUrl(this.id()));

  constructor() {
    toObservable(this.id)
      .pipe(
        filter((id) => id.length > 0),
        tap(() => {
          this.error.set(null);
          this.entries.set(null);
        }),
        switchMap((id) =>
          forkJoin({ person: this.persons.get(id), entries: this.sharing.accessLog(id) }).pipe(
            catchError((error: unknown) => {
              const apiError = toApiError(error);
              this.error.set(apiError);
              if (apiError.statusCode === 404) this.title.setTitle($localize`Page non trouvée – Passerelle`);
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe(({ person, entries }) => {
        this.person.set(person);
        this.entries.set(entries);
        this.printedAt.set(new Date().toISOString());
      });
  }

  protected outcomeLabel(entry: AccessLogEntry): string {
    switch (entry.outcome) {
      case 'success':
        return '';
      case 'failure':
        return $localize`échec`;
      case 'denied':
        return $localize`refusé`;
    }
  }

  protected print(): void {
    this.document.defaultView?.print();
  }
}
