import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
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
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  ApiError,
  InviteAgentResponse,
  Role,
  ROLE_LABELS,
  ROLES_GRANTABLE_BY_STRUCTURE_ADMIN,
} from '@passerelle/contracts';
import { fieldErrorsOf, FieldErrors, toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { fieldErrors, focusFirstInvalidField } from '../ui/form-errors';
import { AgentsApi } from './agents.api';

type InviteField = 'email' | 'firstName' | 'lastName' | 'role';

/** "Inviter un agent": e-mail, names and role; emits the API's answer with the activation link. */
@Component({
  selector: 'pa-invite-agent-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages],
  templateUrl: './invite-agent-form.html',
})
export class InviteAgentForm {
  private readonly api = inject(AgentsApi);
  private readonly destroyRef = inject(DestroyRef);

  /** Set by platform admins, who invite into any structure; structure admins invite into their own. */
  readonly structureId = input<string>();
  readonly invited = output<InviteAgentResponse>();
  readonly cancelled = output<void>();

  protected readonly roles = ROLES_GRANTABLE_BY_STRUCTURE_ADMIN;
  protected readonly roleLabels = ROLE_LABELS;
  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.required, Validators.email, Validators.maxLength(254)]],
    firstName: ['', [Validators.required, Validators.maxLength(100)]],
    lastName: ['', [Validators.required, Validators.maxLength(100)]],
    role: ['' as Role | '', Validators.required],
  });
  protected readonly submitted = signal(false);
  protected readonly pending = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  private readonly serverErrors = signal<FieldErrors>({});
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');
  private readonly emailInput = viewChild.required<ElementRef<HTMLInputElement>>('emailInput');

  constructor() {
    afterNextRender({ write: () => this.emailInput().nativeElement.focus() }, { injector: inject(Injector) });
  }

  protected errorsFor(name: InviteField): string[] {
    const required: Record<InviteField, string> = {
      email: $localize`Saisissez l'adresse électronique de l'agent.`,
      firstName: $localize`Saisissez le prénom de l'agent.`,
      lastName: $localize`Saisissez le nom de l'agent.`,
      role: $localize`Choisissez le rôle de l'agent.`,
    };
    return fieldErrors(this.form, name, this.submitted(), this.serverErrors(), { required: required[name] });
  }

  protected submit(): void {
    this.submitted.set(true);
    if (this.pending()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      focusFirstInvalidField(this.formElement().nativeElement);
      return;
    }
    const { email, firstName, lastName, role } = this.form.getRawValue();
    if (!role) return;
    const structureId = this.structureId();
    this.pending.set(true);
    this.error.set(null);
    this.serverErrors.set({});
    this.api
      .invite({
        email: email.trim(),
        firstName: firstName.trim(),
        lastName: lastName.trim(),
        role,
        ...(structureId ? { structureId } : {}),
      })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (response) => {
          this.pending.set(false);
          this.invited.emit(response);
        },
        error: (error: unknown) => {
          this.pending.set(false);
          const apiError = toApiError(error);
          this.error.set(apiError);
          this.serverErrors.set(fieldErrorsOf(apiError));
        },
      });
  }
}
