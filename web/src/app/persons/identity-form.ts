import {
  ChangeDetectionStrategy,
  Component,
  computed,
  ElementRef,
  inject,
  input,
  OnInit,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { AbstractControl, FormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import {
  ApiError,
  CONTACT_PREFERENCE_LABELS,
  CONTACT_PREFERENCES,
  ContactPreference,
  HOUSEHOLD_SITUATION_LABELS,
  HOUSEHOLD_SITUATIONS,
  HouseholdSituation,
  NATIONALITY_GROUP_LABELS,
  NATIONALITY_GROUPS,
  NationalityGroup,
  PersonIdentity,
} from '@passerelle/contracts';
import { formKeyAction } from '../contacts/form-keys';
import { fieldErrorsOf } from '../core/http/api-error';
import { CommuneChoice, CommunePicker } from '../territory/commune-picker';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { validationMessages } from '../ui/form-errors';
import { formatBirth, parseBirth } from './person-format';

/** What the form starts from: a person's identity (edit) or what the desk could guess (new person). */
export type IdentityFormInitial = Partial<PersonIdentity> & { communeName?: string | null };

/** What the form emits: the identity for the API, and the commune's name for display. */
export interface IdentitySubmission {
  identity: Partial<PersonIdentity>;
  communeName: string | null;
}

type IdentityField =
  | 'usageLastName'
  | 'birthLastName'
  | 'firstNames'
  | 'birth'
  | 'commune'
  | 'domiciliation'
  | 'phone'
  | 'email'
  | 'languages'
  | 'dependentChildren';

function birthValidator(control: AbstractControl<string>): ValidationErrors | null {
  return parseBirth(control.value) === 'invalid' ? { birth: true } : null;
}

/** A French number, as the API accepts it: "06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56 78". */
function phoneValidator(control: AbstractControl<string>): ValidationErrors | null {
  const value = control.value.replace(/[\s.\-()/]/g, '');
  if (!value) return null;
  const national = value.replace(/^(\+|00)(33|262|269|590|594|596)(\(0\)|0)?/, '0');
  return /^0[1-9][0-9]{8}$/.test(national) ? null : { phone: true };
}

/** Letters first, then letters, spaces, hyphens, apostrophes or dots ("N'Diaye", "Saint-Just"), as the API. */
const PERSON_NAME = /^[\p{L}\p{M}][\p{L}\p{M}'’.\- ]*$/u;

/** A person needs at least one name (nom d'usage, nom de naissance or prénom). */
function nameValidator(group: AbstractControl): ValidationErrors | null {
  const value = group.value as { usageLastName?: string; birthLastName?: string; firstNames?: string };
  const names = [value.usageLastName, value.birthLastName, value.firstNames];
  return names.some((name) => name?.trim()) ? null : { nameRequired: true };
}

const blankToNull = (text: string): string | null => text.trim() || null;

/**
 * A person's identity, kept lean (CNIL): `compact` at the desk (names, birth, commune, phone, e-mail,
 * "sans domicile stable"), complete on the person page. Emits the identity to create or update.
 * Birth takes a date, a month or a year in one field. Enter submits, Escape cancels.
 */
@Component({
  selector: 'pa-identity-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages, CommunePicker],
  templateUrl: './identity-form.html',
})
export class IdentityForm implements OnInit {
  private readonly fb = inject(FormBuilder).nonNullable;

  /** Prefix of the fields' ids (two forms may share a page). */
  readonly idPrefix = input('identite');
  readonly compact = input(false);
  readonly initial = input<IdentityFormInitial>({});
  readonly submitLabel = input($localize`Enregistrer`);
  readonly pending = input(false);
  readonly error = input<ApiError | null>(null);
  readonly submitted = output<IdentitySubmission>();
  readonly cancelled = output<void>();

  protected readonly preferences = CONTACT_PREFERENCES;
  protected readonly preferenceLabels = CONTACT_PREFERENCE_LABELS;
  protected readonly households = HOUSEHOLD_SITUATIONS;
  protected readonly householdLabels = HOUSEHOLD_SITUATION_LABELS;
  protected readonly nationalities = NATIONALITY_GROUPS;
  protected readonly nationalityLabels = NATIONALITY_GROUP_LABELS;

  protected readonly form = this.fb.group(
    {
      usageLastName: ['', [Validators.maxLength(100), Validators.pattern(PERSON_NAME)]],
      birthLastName: ['', [Validators.maxLength(100), Validators.pattern(PERSON_NAME)]],
      firstNames: ['', [Validators.maxLength(150), Validators.pattern(PERSON_NAME)]],
      birth: ['', birthValidator],
      commune: this.fb.control<CommuneChoice | null>(null),
      noStableHome: [false],
      domiciliation: ['', Validators.maxLength(300)],
      phone: ['', [phoneValidator, Validators.maxLength(30)]],
      email: ['', [Validators.email, Validators.maxLength(254)]],
      languages: ['', Validators.maxLength(300)],
      needsInterpreter: [false],
      contactPreference: this.fb.control<ContactPreference | ''>(''),
      household: this.fb.control<HouseholdSituation | ''>(''),
      dependentChildren: ['', Validators.pattern(/^\s*([0-9]|[12][0-9]|30)\s*$/)],
      nationalityGroup: this.fb.control<NationalityGroup | ''>(''),
    },
    { validators: nameValidator },
  );
  protected readonly noStableHome = toSignal(this.form.controls.noStableHome.valueChanges, { initialValue: false });
  protected readonly submittedOnce = signal(false);
  /** A commune typed in the picker but not chosen from its list. */
  protected readonly communeNotChosen = signal(false);
  private readonly serverErrors = computed(() => fieldErrorsOf(this.error()));
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  ngOnInit(): void {
    const initial = this.initial();
    this.form.reset({
      usageLastName: initial.usageLastName ?? '',
      birthLastName: initial.birthLastName ?? '',
      firstNames: initial.firstNames ?? '',
      birth: formatBirth(initial.birthDate ?? null, initial.birthDatePrecision ?? null),
      commune:
        initial.communeInsee && initial.communeName ? { inseeCode: initial.communeInsee, name: initial.communeName } : null,
      noStableHome: initial.noStableHome ?? false,
      domiciliation: initial.domiciliation ?? '',
      phone: initial.phone ?? '',
      email: initial.email ?? '',
      languages: (initial.languages ?? []).join(', '),
      needsInterpreter: initial.needsInterpreter ?? false,
      contactPreference: initial.contactPreference ?? '',
      household: initial.household ?? '',
      dependentChildren: initial.dependentChildren?.toString() ?? '',
      nationalityGroup: initial.nationalityGroup ?? '',
    });
  }

  protected id(name: string): string {
    return `${this.idPrefix()}-${name}`;
  }

  /** Focus on the first field, or with `emptyOnly` on the first one still empty (the desk prefilled the others). */
  focus(emptyOnly = false): void {
    const fields = Array.from(
      this.formElement().nativeElement.querySelectorAll<HTMLInputElement>('input[type="text"], input[type="tel"], input[type="email"]'),
    );
    const target = (emptyOnly ? fields.find((field) => !field.value.trim()) : undefined) ?? fields[0];
    target?.focus();
  }

  protected errorsFor(name: IdentityField): string[] {
    const server = this.serverErrors();
    const apiNames: Partial<Record<IdentityField, string[]>> = {
      birth: ['birthDate', 'birthDatePrecision'],
      commune: ['communeInsee'],
    };
    const serverMessages = (apiNames[name] ?? [name]).flatMap((field) => server[field] ?? []);
    const shown = this.submittedOnce();
    const client: string[] = [];
    if (name === 'usageLastName' && this.form.hasError('nameRequired') && shown) {
      client.push($localize`Saisissez au moins un nom ou un prénom.`);
    }
    if (name === 'commune' && this.communeNotChosen()) {
      client.push($localize`Choisissez la commune dans la liste proposée, ou videz le champ.`);
    }
    if (name !== 'commune') {
      const control = this.form.controls[name];
      if (control.invalid && (control.touched || shown)) {
        client.push(
          ...validationMessages(control, {
            birth: $localize`Saisissez une date passée (14/07/1984), un mois (07/1984) ou une année (1984).`,
            phone: $localize`Saisissez un numéro de téléphone à 10 chiffres, par exemple 06 12 34 56 78.`,
            pattern:
              name === 'dependentChildren'
                ? $localize`Saisissez un nombre de 0 à 30.`
                : $localize`Utilisez des lettres, espaces, traits d'union ou apostrophes.`,
          }),
        );
      }
    }
    return [...client, ...serverMessages];
  }

  protected onKeydown(event: KeyboardEvent): void {
    switch (formKeyAction(event)) {
      case 'submit':
        event.preventDefault();
        this.submit();
        break;
      case 'cancel':
        event.preventDefault();
        this.cancelled.emit();
        break;
      case null:
        break;
    }
  }

  protected submit(): void {
    this.submittedOnce.set(true);
    if (this.pending()) return;
    const communeText = this.formElement().nativeElement.querySelector<HTMLInputElement>(`#${this.id('commune')}`);
    this.communeNotChosen.set(!this.form.controls.commune.value && !!communeText?.value.trim());
    if (this.form.invalid || this.communeNotChosen()) {
      this.form.markAllAsTouched();
      const element = this.formElement().nativeElement;
      const first = this.form.hasError('nameRequired')
        ? element.querySelector<HTMLElement>(`#${this.id('nom')}`)
        : this.communeNotChosen() && !element.querySelector('input.ng-invalid')
          ? communeText
          : element.querySelector<HTMLElement>('input.ng-invalid, select.ng-invalid');
      first?.focus();
      return;
    }
    this.submitted.emit({ identity: this.identity(), communeName: this.form.controls.commune.value?.name ?? null });
  }

  private identity(): Partial<PersonIdentity> {
    const value = this.form.getRawValue();
    const birth = parseBirth(value.birth);
    const parsedBirth = birth === 'invalid' ? null : birth;
    const identity: Partial<PersonIdentity> = {
      usageLastName: blankToNull(value.usageLastName),
      firstNames: blankToNull(value.firstNames),
      birthDate: parsedBirth?.birthDate ?? null,
      birthDatePrecision: parsedBirth?.birthDatePrecision ?? null,
      communeInsee: value.commune?.inseeCode ?? null,
      noStableHome: value.noStableHome,
      domiciliation: value.noStableHome ? blankToNull(value.domiciliation) : null,
      phone: blankToNull(value.phone.replace(/[\s.\-()/]/g, '')),
      email: blankToNull(value.email),
    };
    if (this.compact()) return identity;
    const children = value.dependentChildren.trim();
    return {
      ...identity,
      birthLastName: blankToNull(value.birthLastName),
      languages: value.languages
        .split(/[,;]/)
        .map((language) => language.trim())
        .filter(Boolean),
      needsInterpreter: value.needsInterpreter,
      contactPreference: value.contactPreference || null,
      household: value.household || null,
      dependentChildren: children ? Number(children) : null,
      nationalityGroup: value.nationalityGroup || null,
    };
  }
}
