import { DatePipe, formatDate } from '@angular/common';
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
  LOCALE_ID,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { Title } from '@angular/platform-browser';
import { RouterLink } from '@angular/router';
import {
  ApiError,
  CONTACT_PREFERENCE_LABELS,
  DATA_CATEGORIES,
  DATA_CATEGORY_LABELS,
  DataCategory,
  ERASURE_BASIS_LABELS,
  ErasureReport,
  HOUSEHOLD_SITUATION_LABELS,
  NATIONALITY_GROUP_LABELS,
  Person,
  PERSON_ACCESS_REASON_LABELS,
  PersonRequest,
  PersonSearchHit,
  TimelineEntry,
} from '@passerelle/contracts';
import { catchError, EMPTY, filter, of, Subject, switchMap, tap } from 'rxjs';
import { AuthService } from '../core/auth/auth.service';
import { DESK_ROLES } from '../core/auth/role-home';
import { toApiError } from '../core/http/api-error';
import { NotFoundPage } from '../errors/not-found-page';
import { ConsentsPanel } from '../sharing/consents-panel';
import { PersonReferent } from '../referents/person-referent';
import { PersonReferrals } from '../referrals/person-referrals';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { StatusMessage } from '../ui/status-message';
import { IdentityForm, IdentitySubmission } from './identity-form';
import { MergePanel } from './merge-panel';
import { describeErasure, PersonErasure } from './person-erasure';
import { formatBirth, personName } from './person-format';
import { PersonRequests } from './person-requests';
import { PersonDocuments } from './person-documents';
import { PersonTimeline } from './person-timeline';
import { PersonsApi } from './persons.api';

/**
 * A person's file (`/personnes/:id`): why the agent may see it (their structure follows the person, a
 * consent shares part of the file, or an exceptional access), identity (editable by the structures that
 * follow the person; a partner sees only the categories shared with it, the others are said to be "not
 * shared"), open requests with their status buttons, the timeline, "Nouveau passage", the consents
 * and, for structure admins, the access log, the merge of a duplicate file and the erasure of the
 * person's data at their request (RGPD art. 17). An anonymised file (retention, erasure) says so and
 * can no longer be changed. `?orienter=<bouquet>&passage=<contactId>&demande=<requestId>` opens the
 * orientation form prefilled (PersonReferrals), and a request's "Orienter" opens it for that request.
 * A file the agent may not see is answered 404 by the API, like one that does not exist: the
 * not-found page is shown.
 */
@Component({
  selector: 'pa-person-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    RouterLink,
    ApiErrorAlert,
    ConsentsPanel,
    IdentityForm,
    MergePanel,
    NotFoundPage,
    PersonDocuments,
    PersonErasure,
    PersonReferent,
    PersonReferrals,
    PersonRequests,
    PersonTimeline,
    StatusMessage,
  ],
  templateUrl: './person-page.html',
})
export class PersonPage {
  private readonly api = inject(PersonsApi);
  private readonly auth = inject(AuthService);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly title = inject(Title);
  private readonly locale = inject(LOCALE_ID);

  /** Route parameter `:id`. */
  readonly id = input.required<string>();

  protected readonly person = signal<Person | null>(null);
  protected readonly requests = signal<PersonRequest[]>([]);
  protected readonly timeline = signal<TimelineEntry[] | null>(null);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly sideError = signal<ApiError | null>(null);
  protected readonly editing = signal(false);
  protected readonly saving = signal(false);
  protected readonly saveError = signal<ApiError | null>(null);
  protected readonly statusMessage = signal('');
  protected readonly merging = signal(false);
  protected readonly erasing = signal(false);

  /** The API answers 404 for a file the agent may not see (not followed, no consent) as for a missing one. */
  protected readonly notFound = computed(() => this.loadError()?.statusCode === 404);
  protected readonly name = computed(() => {
    const person = this.person();
    if (!person) return '';
    return person.categories.includes('identity_contact') ? personName(person) : $localize`Identité non partagée`;
  });
  /** The agent's structure follows the person: it may edit, merge, and manage consents. */
  protected readonly followed = computed(() => this.person()?.access === 'followed_by_my_structure');
  /** Anonymised (retention, or erasure at the person's request): nothing left to edit, merge or erase. */
  protected readonly anonymized = computed(() => Boolean(this.person()?.anonymizedAt));
  protected readonly canEdit = computed(() => this.followed() && !this.anonymized());
  protected readonly sharedCategories = computed(() => {
    const shared = this.person()?.categories ?? [];
    return DATA_CATEGORIES.filter((category) => shared.includes(category)).map((category) => DATA_CATEGORY_LABELS[category]);
  });
  protected readonly ownStructureId = computed(() => this.auth.currentUser()?.activeMembership.structure?.id ?? null);
  protected readonly birth = computed(() => {
    const person = this.person();
    return person ? formatBirth(person.birthDate, person.birthDatePrecision) : '';
  });
  protected readonly canRecordContact = computed(() => {
    const role = this.auth.activeRole();
    return role !== null && DESK_ROLES.includes(role) && !this.anonymized();
  });
  protected readonly isStructureAdmin = computed(() => this.auth.activeRole() === 'structure_admin');
  protected readonly canMerge = computed(() => this.isStructureAdmin() && this.canEdit());
  /** The right to erasure is exercised by the admin of a structure that follows the person. */
  protected readonly canErase = computed(() => this.isStructureAdmin() && this.canEdit());
  protected readonly accessLabels = PERSON_ACCESS_REASON_LABELS;
  protected readonly preferenceLabels = CONTACT_PREFERENCE_LABELS;
  protected readonly householdLabels = HOUSEHOLD_SITUATION_LABELS;
  protected readonly nationalityLabels = NATIONALITY_GROUP_LABELS;

  private readonly editButton = viewChild<ElementRef<HTMLButtonElement>>('editButton');
  private readonly mergeButton = viewChild<ElementRef<HTMLButtonElement>>('mergeButton');
  private readonly eraseButton = viewChild<ElementRef<HTMLButtonElement>>('eraseButton');
  private readonly anonymizedBanner = viewChild<ElementRef<HTMLElement>>('anonymizedBanner');
  private readonly identityForm = viewChild(IdentityForm);
  private readonly documents = viewChild(PersonDocuments);
  private readonly referrals = viewChild(PersonReferrals);
  private readonly refreshes = new Subject<string>();

  constructor() {
    toObservable(this.id)
      .pipe(
        filter((id) => id.length > 0),
        tap(() => {
          this.loading.set(true);
          this.loadError.set(null);
          this.person.set(null);
          this.editing.set(false);
          this.merging.set(false);
          this.erasing.set(false);
        }),
        switchMap((id) =>
          this.api.get(id).pipe(
            catchError((error: unknown) => {
              const apiError = toApiError(error);
              this.loadError.set(apiError);
              this.loading.set(false);
              if (apiError.statusCode === 404) this.title.setTitle($localize`Page non trouvée – Passerelle`);
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((person) => {
        this.person.set(person);
        this.loading.set(false);
        this.refreshes.next(person.id);
      });

    // Requests and timeline, loaded with the person and again after a change.
    this.refreshes
      .pipe(
        switchMap((id) =>
          this.api.requests(id).pipe(
            catchError((error: unknown) => {
              this.sideError.set(toApiError(error));
              return of(null);
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((requests) => requests && this.requests.set(requests));
    this.refreshes
      .pipe(
        switchMap((id) =>
          this.api.timeline(id).pipe(
            catchError((error: unknown) => {
              this.sideError.set(toApiError(error));
              return of(null);
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((timeline) => timeline && this.timeline.set(timeline));
  }

  /** Whether the fields of this category are in the file the API sent (shared with the agent's structure). */
  protected shares(category: DataCategory): boolean {
    return this.person()?.categories.includes(category) ?? false;
  }

  protected startEditing(): void {
    this.saveError.set(null);
    this.statusMessage.set('');
    this.editing.set(true);
    afterNextRender({ write: () => this.identityForm()?.focus() }, { injector: this.injector });
  }

  protected stopEditing(): void {
    this.editing.set(false);
    afterNextRender({ write: () => this.editButton()?.nativeElement.focus() }, { injector: this.injector });
  }

  protected saveIdentity(submission: IdentitySubmission): void {
    const person = this.person();
    if (!person || this.saving()) return;
    this.saving.set(true);
    this.saveError.set(null);
    this.api
      .update(person.id, submission.identity)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.saving.set(false);
          this.person.set(updated);
          this.statusMessage.set($localize`L'identité est enregistrée.`);
          this.stopEditing();
        },
        error: (error: unknown) => {
          this.saving.set(false);
          this.saveError.set(toApiError(error));
        },
      });
  }

  protected onRequestChanged(updated: PersonRequest): void {
    this.requests.update((requests) => requests.map((request) => (request.id === updated.id ? updated : request)));
    this.refreshes.next(updated.personId);
  }

  /** A request's "Orienter": the orientation form opens, for that need, linked to the request. */
  protected orientForRequest(request: PersonRequest): void {
    this.referrals()?.orient({ bouquet: request.bouquet, requestId: request.id });
  }

  protected startMerge(): void {
    this.statusMessage.set('');
    this.merging.set(true);
  }

  protected stopMerge(): void {
    this.merging.set(false);
    afterNextRender({ write: () => this.mergeButton()?.nativeElement.focus() }, { injector: this.injector });
  }

  protected startErasure(): void {
    this.statusMessage.set('');
    this.erasing.set(true);
  }

  protected stopErasure(): void {
    this.erasing.set(false);
    afterNextRender({ write: () => this.eraseButton()?.nativeElement.focus() }, { injector: this.injector });
  }

  /** The file was anonymised: say what was erased, then show it as it is now (anonymised). */
  protected onErased(report: ErasureReport): void {
    this.erasing.set(false);
    const at = formatDate(report.anonymizedAt, "dd/MM/yyyy 'à' HH:mm", this.locale);
    this.statusMessage.set(
      $localize`Les données de ${this.name()}:name: ont été effacées le ${at}:date: (${ERASURE_BASIS_LABELS[report.basis]}:basis:) — ${describeErasure(report)}:counts:.`,
    );
    this.api
      .get(report.personId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (person) => {
          this.person.set(person);
          this.refreshes.next(person.id);
          this.documents()?.reload(); // deleted with the file's content
          afterNextRender({ write: () => this.anonymizedBanner()?.nativeElement.focus() }, { injector: this.injector });
        },
        error: (error: unknown) => this.sideError.set(toApiError(error)),
      });
  }

  protected onMerged({ source, person }: { source: PersonSearchHit; person: Person }): void {
    this.merging.set(false);
    // The identity may have been completed from the merged file; requests and timeline grew.
    this.person.set(person);
    this.refreshes.next(person.id);
    this.statusMessage.set($localize`Le dossier de ${personName(source)}:name: a été fusionné dans celui-ci.`);
    afterNextRender({ write: () => this.mergeButton()?.nativeElement.focus() }, { injector: this.injector });
  }
}
