import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  inject,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router } from '@angular/router';
import { ApiError } from '@passerelle/contracts';
import { AuthService } from '../core/auth/auth.service';
import { roleHomeUrl, safeReturnUrl } from '../core/auth/role-home';
import { fieldErrorsOf, FieldErrors, toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { fieldErrors, focusFirstInvalidField } from '../ui/form-errors';

/** `/connexion`: e-mail and password. Query params: `retour` (where to go next), `expiree`, `activation`. */
@Component({
  selector: 'pa-login-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages],
  templateUrl: './login-page.html',
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);

  /** Query params, bound by the router. */
  readonly retour = input<string>();
  readonly expiree = input<string>();
  readonly activation = input<string>();

  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });
  protected readonly submitted = signal(false);
  protected readonly pending = signal(false);
  protected readonly showPassword = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  private readonly serverErrors = signal<FieldErrors>({});
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  protected errorsFor(name: 'email' | 'password'): string[] {
    return fieldErrors(this.form, name, this.submitted(), this.serverErrors(), {
      required:
        name === 'email'
          ? $localize`Saisissez votre adresse électronique.`
          : $localize`Saisissez votre mot de passe.`,
    });
  }

  protected submit(): void {
    this.submitted.set(true);
    if (this.pending()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      focusFirstInvalidField(this.formElement().nativeElement);
      return;
    }
    this.pending.set(true);
    this.error.set(null);
    this.serverErrors.set({});
    this.auth
      .login(this.form.getRawValue())
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (user) => {
          this.pending.set(false);
          const next = safeReturnUrl(this.retour()) ?? roleHomeUrl(user.activeMembership.role);
          void this.router.navigateByUrl(next);
        },
        error: (error: unknown) => {
          this.pending.set(false);
          const apiError = toApiError(error);
          this.error.set(apiError);
          this.serverErrors.set(fieldErrorsOf(apiError));
          this.form.controls.password.reset();
        },
      });
  }
}
