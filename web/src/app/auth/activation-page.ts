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
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router } from '@angular/router';
import { ApiError, passwordProblems } from '@passerelle/contracts';
import { map } from 'rxjs';
import { AuthService } from '../core/auth/auth.service';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { focusFirstInvalidField } from '../ui/form-errors';
import { passwordPolicyValidator, samePasswordValidator } from './password-policy.validator';

/** `/activation?jeton=…`: the invited agent chooses a password, checked live against the CNIL rule. */
@Component({
  selector: 'pa-activation-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages],
  templateUrl: './activation-page.html',
})
export class ActivationPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);

  /** Single-use token from the activation link (query param, bound by the router). */
  readonly jeton = input<string>();

  protected readonly form = inject(FormBuilder).nonNullable.group(
    {
      password: ['', [Validators.required, passwordPolicyValidator]],
      confirmation: ['', Validators.required],
    },
    { validators: samePasswordValidator('password', 'confirmation') },
  );
  /** Problems of the password being typed, recomputed on each keystroke (empty when it is accepted). */
  protected readonly problems = toSignal(
    this.form.controls.password.valueChanges.pipe(map((password) => passwordProblems(password))),
    { initialValue: passwordProblems('') },
  );
  protected readonly typed = toSignal(this.form.controls.password.valueChanges.pipe(map((v) => v.length > 0)), {
    initialValue: false,
  });
  protected readonly submitted = signal(false);
  protected readonly pending = signal(false);
  protected readonly showPasswords = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  private readonly formElement = viewChild<ElementRef<HTMLFormElement>>('formElement');

  protected confirmationErrors(): string[] {
    const control = this.form.controls.confirmation;
    if (!control.touched && !this.submitted()) return [];
    if (control.hasError('required')) return [$localize`Saisissez à nouveau le mot de passe.`];
    if (this.form.hasError('passwordMismatch')) return [$localize`Les deux mots de passe ne sont pas identiques.`];
    return [];
  }

  protected submit(): void {
    this.submitted.set(true);
    const token = this.jeton();
    if (this.pending() || !token) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      const formElement = this.formElement();
      if (formElement) focusFirstInvalidField(formElement.nativeElement);
      return;
    }
    this.pending.set(true);
    this.error.set(null);
    this.auth
      .activate({ token, password: this.form.controls.password.value })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => void this.router.navigate(['/connexion'], { queryParams: { activation: 'ok' } }),
        error: (error: unknown) => {
          this.pending.set(false);
          this.error.set(toApiError(error));
        },
      });
  }
}
