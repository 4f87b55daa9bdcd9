import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  ApiError,
  CreateServiceRequest,
  DATA_INCLUSION_THEMATIQUES,
  DirectoryService,
  MOBILIZATION_MODE_LABELS,
  MOBILIZATION_MODES,
  MobilizationMode,
  NEED_BOUQUETS,
  NeedBouquetCode,
  RECEPTION_MODE_LABELS,
  RECEPTION_MODES,
  ReceptionMode,
  SERVICE_COST_LABELS,
  SERVICE_COSTS,
  SERVICE_PUBLICS,
  ServiceCost,
  ServiceZoneKind,
  Site,
  SITE_KIND_LABELS,
} from '@passerelle/contracts';
import { fieldErrorsOf, FieldErrors, toApiError } from '../core/http/api-error';
import { StructuresApi } from '../structures/structures.api';
import { CommuneChoice, CommunePicker } from '../territory/commune-picker';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { fieldErrors, focusFirstInvalidField } from '../ui/form-errors';
import { DirectoryApi } from './directory.api';
import { publicLabel, thematiqueLabel } from './directory-format';

type ServiceField =
  | 'name'
  | 'description'
  | 'bouquets'
  | 'thematiques'
  | 'publics'
  | 'accessConditions'
  | 'cost'
  | 'costDetails'
  | 'receptionModes'
  | 'mobilizationModes'
  | 'mobilizationUrl'
  | 'documentsToBring'
  | 'openingHours'
  | 'zoneKind'
  | 'zoneCommunes'
  | 'siteIds'
  | 'contactPhone'
  | 'contactEmail'
  | 'website';

const URL_PATTERN = /^https?:\/\/\S+$/i;
const PHONE_PATTERN = /^(\+33\s?|0)[1-9]([\s.-]?\d{2}){4}$/;

/**
 * Creates a service of a structure, or edits `service` when given: every field of the directory
 * (needs, publics, conditions, cost, reception and mobilisation, documents, hours, sites, zone,
 * contact). Emits the service returned by the API; saving verifies it.
 */
@Component({
  selector: 'pa-service-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, CommunePicker, FieldMessages],
  templateUrl: './service-form.html',
})
export class ServiceForm {
  private readonly api = inject(DirectoryApi);
  private readonly structuresApi = inject(StructuresApi);
  private readonly destroyRef = inject(DestroyRef);

  readonly structureId = input.required<string>();
  readonly service = input<DirectoryService | null>(null);
  readonly saved = output<DirectoryService>();
  readonly cancelled = output<void>();

  protected readonly bouquets = NEED_BOUQUETS;
  protected readonly costs = SERVICE_COSTS;
  protected readonly costLabels = SERVICE_COST_LABELS;
  protected readonly receptionModes = RECEPTION_MODES;
  protected readonly receptionLabels = RECEPTION_MODE_LABELS;
  protected readonly mobilizationModes = MOBILIZATION_MODES;
  protected readonly mobilizationLabels = MOBILIZATION_MODE_LABELS;
  protected readonly kindLabels = SITE_KIND_LABELS;
  protected readonly publicLabel = publicLabel;
  protected readonly thematiqueLabel = thematiqueLabel;

  protected readonly form = inject(FormBuilder).nonNullable.group({
    name: ['', [Validators.required, Validators.maxLength(150)]],
    description: ['', Validators.maxLength(4000)],
    bouquets: [[] as NeedBouquetCode[], Validators.required],
    thematiques: [[] as string[]],
    publics: [[] as string[]],
    accessConditions: ['', Validators.maxLength(2000)],
    cost: ['' as ServiceCost | ''],
    costDetails: ['', Validators.maxLength(500)],
    receptionModes: [[] as ReceptionMode[]],
    mobilizationModes: [[] as MobilizationMode[]],
    mobilizationUrl: ['', [Validators.maxLength(500), Validators.pattern(URL_PATTERN)]],
    documentsToBring: [''],
    openingHours: ['', Validators.maxLength(500)],
    siteIds: [[] as string[]],
    zoneKind: ['departement' as ServiceZoneKind],
    zoneCommunes: [[] as CommuneChoice[]],
    contactPhone: ['', Validators.pattern(PHONE_PATTERN)],
    contactEmail: ['', [Validators.email, Validators.maxLength(254)]],
    website: ['', [Validators.maxLength(500), Validators.pattern(URL_PATTERN)]],
  });
  /** The commune picker of the zone: a chosen commune is added to the list, and the field emptied. */
  protected readonly communeToAdd = new FormControl<CommuneChoice | null>(null);
  protected readonly zoneKind = toSignal(this.form.controls.zoneKind.valueChanges, { initialValue: this.form.controls.zoneKind.value });
  protected readonly sites = signal<Site[]>([]);
  /** The first-level thématiques, and any other code the service already has (an import's). */
  protected readonly thematiqueChoices = signal<string[]>([]);
  protected readonly publicChoices = signal<string[]>([]);
  protected readonly submitted = signal(false);
  protected readonly pending = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly status = signal('');
  private readonly serverErrors = signal<FieldErrors>({});
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');
  private readonly nameInput = viewChild.required<ElementRef<HTMLInputElement>>('nameInput');

  constructor() {
    effect(() => {
      const service = this.service();
      untracked(() => this.fill(service));
    });
    effect(() => {
      const structureId = this.structureId();
      untracked(() =>
        this.structuresApi
          .listSites(structureId)
          .pipe(takeUntilDestroyed(this.destroyRef))
          .subscribe({ next: (sites) => this.sites.set(sites.filter((site) => site.active)), error: () => this.sites.set([]) }),
      );
    });
    this.form.controls.zoneKind.valueChanges.pipe(takeUntilDestroyed()).subscribe((kind) => this.applyZoneKind(kind));
    this.communeToAdd.valueChanges.pipe(takeUntilDestroyed()).subscribe((commune) => {
      if (!commune) return;
      const control = this.form.controls.zoneCommunes;
      if (!control.value.some((c) => c.inseeCode === commune.inseeCode)) control.setValue([...control.value, commune]);
      this.status.set($localize`Commune ajoutée à la zone : ${commune.name}:name:.`);
      this.communeToAdd.setValue(null);
    });
    afterNextRender({ write: () => this.nameInput().nativeElement.focus() }, { injector: inject(Injector) });
  }

  protected errorsFor(name: ServiceField): string[] {
    return fieldErrors(this.form, name, this.submitted(), this.serverErrors(), {
      required:
        name === 'bouquets'
          ? $localize`Cochez au moins un besoin couvert.`
          : name === 'zoneCommunes'
            ? $localize`Ajoutez au moins une commune, ou choisissez tout le département.`
            : $localize`Saisissez le nom du service.`,
      pattern:
        name === 'contactPhone'
          ? $localize`Saisissez un numéro à 10 chiffres, par exemple 04 92 00 00 00.`
          : $localize`Saisissez une adresse web complète, par exemple https://www.exemple.fr.`,
    });
  }

  protected has<T>(control: FormControl<T[]>, value: T): boolean {
    return control.value.includes(value);
  }

  protected toggle<T>(control: FormControl<T[]>, value: T, event: Event): void {
    const checked = (event.target as HTMLInputElement).checked;
    const others = control.value.filter((v) => v !== value);
    control.setValue(checked ? [...others, value] : others);
    control.markAsTouched();
  }

  protected removeCommune(commune: CommuneChoice): void {
    const control = this.form.controls.zoneCommunes;
    control.setValue(control.value.filter((c) => c.inseeCode !== commune.inseeCode));
    control.markAsTouched();
    this.status.set($localize`Commune retirée de la zone : ${commune.name}:name:.`);
  }

  protected submit(): void {
    this.submitted.set(true);
    if (this.pending()) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      this.focusFirstInvalid();
      return;
    }
    const v = this.form.getRawValue();
    const text = (value: string) => value.trim() || null;
    const request: CreateServiceRequest = {
      name: v.name.trim(),
      description: text(v.description),
      bouquets: [...v.bouquets].sort((a, b) => a - b),
      thematiques: v.thematiques,
      publics: v.publics,
      accessConditions: text(v.accessConditions),
      cost: v.cost || null,
      costDetails: text(v.costDetails),
      receptionModes: v.receptionModes,
      mobilizationModes: v.mobilizationModes,
      mobilizationUrl: text(v.mobilizationUrl),
      documentsToBring: v.documentsToBring
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
      openingHours: text(v.openingHours),
      zoneKind: v.zoneKind,
      zoneCommunes: v.zoneKind === 'communes' ? v.zoneCommunes.map((c) => c.inseeCode) : [],
      siteIds: v.siteIds,
      contactPhone: text(v.contactPhone),
      contactEmail: text(v.contactEmail),
      website: text(v.website),
    };
    const existing = this.service();
    this.pending.set(true);
    this.error.set(null);
    this.serverErrors.set({});
    (existing ? this.api.update(existing.id, request) : this.api.create(this.structureId(), request))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (service) => {
          this.pending.set(false);
          this.saved.emit(service);
        },
        error: (error: unknown) => {
          this.pending.set(false);
          const apiError = toApiError(error);
          this.error.set(apiError);
          this.serverErrors.set(fieldErrorsOf(apiError));
        },
      });
  }

  /** The checkbox groups and the zone's communes are not form fields of their own: focus their first input. */
  private focusFirstInvalid(): void {
    const element = this.formElement().nativeElement;
    const { name, bouquets } = this.form.controls;
    if (name.valid && bouquets.invalid) element.querySelector<HTMLInputElement>('#service-besoins input')?.focus();
    else if (element.querySelector('[formControlName].ng-invalid')) focusFirstInvalidField(element);
    else element.querySelector<HTMLInputElement>('#service-zone-commune')?.focus();
  }

  private applyZoneKind(kind: ServiceZoneKind): void {
    const control = this.form.controls.zoneCommunes;
    control.setValidators(kind === 'communes' ? Validators.required : null);
    control.updateValueAndValidity({ emitEvent: false });
  }

  private fill(service: DirectoryService | null): void {
    this.form.reset({
      name: service?.name ?? '',
      description: service?.description ?? '',
      bouquets: service?.bouquets ?? [],
      thematiques: service?.thematiques ?? [],
      publics: service?.publics ?? [],
      accessConditions: service?.accessConditions ?? '',
      cost: service?.cost ?? '',
      costDetails: service?.costDetails ?? '',
      receptionModes: service?.receptionModes ?? [],
      mobilizationModes: service?.mobilizationModes ?? [],
      mobilizationUrl: service?.mobilizationUrl ?? '',
      documentsToBring: (service?.documentsToBring ?? []).join('\n'),
      openingHours: service?.openingHours ?? '',
      siteIds: service?.sites.map((site) => site.id) ?? [],
      zoneKind: service?.zone.kind ?? 'departement',
      zoneCommunes: service?.zone.communes.map((c) => ({ inseeCode: c.insee, name: c.name })) ?? [],
      contactPhone: service?.contactPhone ?? '',
      contactEmail: service?.contactEmail ?? '',
      website: service?.website ?? '',
    });
    const roots: string[] = DATA_INCLUSION_THEMATIQUES.map((t) => t.code);
    this.thematiqueChoices.set([...roots, ...(service?.thematiques ?? []).filter((code) => !roots.includes(code))]);
    const publics: string[] = [...SERVICE_PUBLICS];
    this.publicChoices.set([...publics, ...(service?.publics ?? []).filter((code) => !publics.includes(code))]);
    this.applyZoneKind(this.form.controls.zoneKind.value);
  }
}
