import { AbstractControl, ValidationErrors, ValidatorFn } from '@angular/forms';
import { passwordProblems } from '@passerelle/contracts';

/** The CNIL password rule, shared with the API through `passwordProblems()`. */
export const passwordPolicyValidator: ValidatorFn = (control: AbstractControl<string>): ValidationErrors | null => {
  const problems = passwordProblems(control.value ?? '');
  return problems.length ? { passwordPolicy: problems } : null;
};

/** Group validator: the confirmation must repeat the password. */
export function samePasswordValidator(passwordKey: string, confirmationKey: string): ValidatorFn {
  return (group: AbstractControl): ValidationErrors | null => {
    const password = group.get(passwordKey)?.value as string | undefined;
    const confirmation = group.get(confirmationKey)?.value as string | undefined;
    return confirmation && password !== confirmation ? { passwordMismatch: true } : null;
  };
}
