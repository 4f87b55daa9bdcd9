import { DatePipe } from '@angular/common';
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
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  ApiError,
  PersonRequest,
  REQUEST_STATUS_LABELS,
  REQUEST_TRANSITIONS,
  RequestStatus,
} from '@passerelle/contracts';
import { needLabel } from '../contacts/need-search';
import { toApiError } from '../core/http/api-error';
import { RequestsApi } from '../requests/requests.api';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { validationMessages } from '../ui/form-errors';

/** Label of the button moving a request to `status`. */
function actionLabel(status: RequestStatus): string {
  switch (status) {
    case 'in_progress':
      return $localize`Prendre en charge`;
    case 'resolved':
      return $localize`Résolue`;
    case 'no_follow_up':
      return $localize`Sans suite`;
    case 'open':
      return $localize`Rouvrir`;
  }
}

/**
 * A person's requests (demandes): those still open with their status buttons (Prendre en charge,
 * Résolue, Sans suite — with a reason), then the closed ones. Only the transitions of the contracts
 * are offered, and only on the requests of the agent's structure; the API refuses the others (409, 403)
 * and its message is shown. For the structures that may orient the person, each of their open requests
 * also offers "Orienter", to orient the person for that need (the orientation is linked to the request).
 */
@Component({
  selector: 'pa-person-requests',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ReactiveFormsModule, ApiErrorAlert, FieldMessages],
  templateUrl: './person-requests.html',
})
export class PersonRequests {
  private readonly api = inject(RequestsApi);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  readonly requests = input.required<readonly PersonRequest[]>();
  /** The agent's structure: only the structure that opened a request changes its status. */
  readonly ownStructureId = input<string | null>(null);
  /** The agent's structure may orient the person (it follows them): its open requests offer "Orienter". */
  readonly canOrient = input(false);
  /** Emits the request after a status change. */
  readonly changed = output<PersonRequest>();
  /** "Orienter": orient the person for this request (the host opens the orientation form). */
  readonly orient = output<PersonRequest>();

  protected readonly open = computed(() =>
    this.requests().filter((request) => request.status === 'open' || request.status === 'in_progress'),
  );
  protected readonly closed = computed(() =>
    this.requests().filter((request) => request.status === 'resolved' || request.status === 'no_follow_up'),
  );
  protected readonly statusLabels = REQUEST_STATUS_LABELS;
  protected readonly needLabel = needLabel;
  protected readonly actionLabel = actionLabel;
  protected readonly busyId = signal<string | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly statusMessage = signal('');
  /** The request whose "Sans suite" reason is being typed. */
  protected readonly askingReasonFor = signal<string | null>(null);
  protected readonly reason = new FormControl('', {
    nonNullable: true,
    validators: [Validators.required, Validators.maxLength(500), Validators.pattern(/\S/)],
  });
  protected readonly reasonSubmitted = signal(false);
  private readonly reasonField = viewChild<ElementRef<HTMLTextAreaElement>>('reasonField');

  protected transitions(request: PersonRequest): readonly RequestStatus[] {
    return this.isOwn(request) ? REQUEST_TRANSITIONS[request.status] : [];
  }

  /** Opened by the agent's structure (another structure's request is shown, shared by consent, not changed). */
  protected isOwn(request: PersonRequest): boolean {
    return request.structureId === this.ownStructureId();
  }

  protected title(request: PersonRequest): string {
    return request.subNeed ? `${needLabel(request.bouquet)} – ${request.subNeed}` : needLabel(request.bouquet);
  }

  protected reasonErrors(): string[] {
    if (!this.reasonSubmitted() || this.reason.valid) return [];
    return validationMessages(this.reason, {
      required: $localize`Indiquez pourquoi la demande est classée sans suite.`,
      pattern: $localize`Indiquez pourquoi la demande est classée sans suite.`,
    });
  }

  protected act(request: PersonRequest, status: RequestStatus): void {
    if (status === 'no_follow_up') {
      this.askingReasonFor.set(request.id);
      this.reason.reset('');
      this.reasonSubmitted.set(false);
      afterNextRender({ write: () => this.reasonField()?.nativeElement.focus() }, { injector: this.injector });
      return;
    }
    this.change(request, status, null);
  }

  protected confirmNoFollowUp(request: PersonRequest): void {
    this.reasonSubmitted.set(true);
    if (this.reason.invalid) {
      this.reasonField()?.nativeElement.focus();
      return;
    }
    this.change(request, 'no_follow_up', this.reason.value.trim());
  }

  protected cancelReason(): void {
    this.askingReasonFor.set(null);
  }

  private change(request: PersonRequest, status: RequestStatus, reason: string | null): void {
    if (this.busyId()) return;
    this.busyId.set(request.id);
    this.error.set(null);
    this.statusMessage.set('');
    this.api
      .changeStatus(request.id, reason ? { status, reason } : { status })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.busyId.set(null);
          this.askingReasonFor.set(null);
          this.statusMessage.set(
            $localize`Demande « ${this.title(updated)}:title: » : ${REQUEST_STATUS_LABELS[updated.status]}:status:.`,
          );
          this.changed.emit(updated);
        },
        error: (error: unknown) => {
          this.busyId.set(null);
          this.error.set(toApiError(error));
        },
      });
  }
}
