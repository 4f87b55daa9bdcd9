import { AbstractControl, FormGroup } from '@angular/forms';
import { FieldErrors } from '../core/http/api-error';

/** French messages for the validators used in our forms. A form may pass more specific texts. */
export function validationMessages(control: AbstractControl, specific: Readonly<Record<string, string>> = {}): string[] {
  const errors = control.errors;
  if (!errors) return [];
  return Object.keys(errors).map((key) => {
    if (specific[key]) return specific[key];
    switch (key) {
      case 'required':
        return $localize`Ce champ est obligatoire.`;
      case 'email':
        return $localize`Saisissez une adresse électronique valide, par exemple nom@domaine.fr.`;
      case 'maxlength':
        return $localize`Ce texte est trop long (${(errors['maxlength'] as { requiredLength: number }).requiredLength}:max: caractères au maximum).`;
      case 'pattern':
        return $localize`Le format saisi n'est pas valide.`;
      default:
        return $localize`La valeur saisie n'est pas valide.`;
    }
  });
}

/**
 * Messages to show under one field of a form: client-side problems once the user left the field or
 * tried to submit, and the API's validation details for that field.
 */
export function fieldErrors(
  form: FormGroup,
  name: string,
  submitted: boolean,
  serverErrors: FieldErrors,
  specific: Readonly<Record<string, string>> = {},
): string[] {
  const control = form.get(name);
  if (!control) return [...(serverErrors[name] ?? [])];
  const client = control.invalid && (control.touched || submitted) ? validationMessages(control, specific) : [];
  return [...client, ...(serverErrors[name] ?? [])];
}

/** After a refused submit, focus goes to the first invalid field so the user can fix it. */
export function focusFirstInvalidField(formElement: HTMLElement): void {
  const invalid = formElement.querySelector<HTMLElement>('[formControlName].ng-invalid');
  if (!invalid) return;
  // Custom controls (the commune picker) carry the state on their host: focus the field inside.
  const field = invalid.matches('input, select, textarea')
    ? invalid
    : invalid.querySelector<HTMLElement>('input, select, textarea');
  field?.focus();
}
