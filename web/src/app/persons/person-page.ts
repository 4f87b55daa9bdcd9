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
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import {
  ApiError,
  CONTACT_PREFERENCE_LABELS,
  HOUSEHOLD_SITUATION_LABELS,
  NATIONALITY_GROUP_LABELS,
  Person,
  PersonAccessReason,
  PersonRequest,
  PersonSearchHit,
  TimelineEntry,
} from '@passerelle/contracts';
import { catchError, EMPTY, filter, of, Subject, switchMap, tap } from 'rxjs';
import { AuthService } from '../core/auth/auth.service';
import { DESK_ROLES } from '../core/auth/role-home';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { StatusMessage } from '../ui/status-message';
import { IdentityForm, IdentitySubmission } from './identity-form';
import { MergePanel } from './merge-panel';
import { formatBirth, personName } from './person-format';
import { PersonRequests } from './person-requests';
import { PersonTimeline } from './person-timeline';
import { PersonsApi } from './persons.api';

/**
 * A person's file (`/personnes/:id`): why the agent may see it, identity (editable, the API audits
 * changes), open requests with their status buttons, the timeline, "Nouveau passage" and, for
 * structure admins, the merge of a duplicate file.
 */
@Component({
  selector: 'pa-person-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ApiErrorAlert, IdentityForm, MergePanel, PersonRequests, PersonTimeline, StatusMessage],
  templateUrl: './person-page.html',
})
export class PersonPage {
  private readonly api = inject(PersonsApi);
  private readonly auth = inject(AuthService);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

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

  protected readonly name = computed(() => {
    const person = this.person();
    return person ? personName(person) : '';
  });
  protected readonly birth = computed(() => {
    const person = this.person();
    return person ? formatBirth(person.birthDate, person.birthDatePrecision) : '';
  });
  protected readonly canRecordContact = computed(() => {
    const role = this.auth.activeRole();
    return role !== null && DESK_ROLES.includes(role);
  });
  protected readonly canMerge = computed(() => this.auth.activeRole() === 'structure_admin');
  protected readonly preferenceLabels = CONTACT_PREFERENCE_LABELS;
  protected readonly householdLabels = HOUSEHOLD_SITUATION_LABELS;
  protected readonly nationalityLabels = NATIONALITY_GROUP_LABELS;

  private readonly editButton = viewChild<ElementRef<HTMLButtonElement>>('editButton');
  private readonly mergeButton = viewChild<ElementRef<HTMLButtonElement>>('mergeButton');
  private readonly identityForm = viewChild(IdentityForm);
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
        }),
        switchMap((id) =>
          this.api.get(id).pipe(
            catchError((error: unknown) => {
              this.loadError.set(toApiError(error));
              this.loading.set(false);
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

  protected accessExplanation(reason: PersonAccessReason): string {
    switch (reason) {
      case 'followed_by_my_structure':
        return $localize`Vous voyez ce dossier parce que votre structure suit cette personne.`;
      case 'platform_admin':
        return $localize`Vous voyez ce dossier en tant qu'administrateur de la plateforme.`;
    }
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

  protected startMerge(): void {
    this.statusMessage.set('');
    this.merging.set(true);
  }

  protected stopMerge(): void {
    this.merging.set(false);
    afterNextRender({ write: () => this.mergeButton()?.nativeElement.focus() }, { injector: this.injector });
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
