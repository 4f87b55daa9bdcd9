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
import { FormArray, FormBuilder, FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  ApiError,
  CONTACT_ANSWER_LABELS,
  CONTACT_ANSWERS,
  CONTACT_CHANNEL_LABELS,
  CONTACT_CHANNELS,
  ContactAnswer,
  ContactChannel,
  CreateContactRequest,
  NeedBouquetCode,
  PersonRequest,
  REQUEST_STATUS_LABELS,
  Site,
} from '@passerelle/contracts';
import { fieldErrorsOf } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';
import { validationMessages } from '../ui/form-errors';
import { newClientRequestId } from './client-request-id';
import { formKeyAction } from './form-keys';
import { needLabel } from './need-search';
import { NeedsPicker } from './needs-picker';

type NeedGroup = FormGroup<{
  bouquet: FormControl<NeedBouquetCode>;
  subNeed: FormControl<string>;
  detail: FormControl<string>;
  openRequest: FormControl<boolean>;
}>;

/** The contact form's raw value, turned into the API request by `buildContactRequest`. */
export interface ContactFormValue {
  needs: { bouquet: NeedBouquetCode; subNeed: string; detail: string; openRequest: boolean }[];
  answer: ContactAnswer;
  channel: ContactChannel;
  siteId: string;
  duration: string;
  summary: string;
  privateNote: string;
  requestIds: string[];
}

const blankToNull = (text: string): string | null => text.trim() || null;

/** The `CreateContactRequest` for a filled form (the person, if any, is added by the desk). */
export function buildContactRequest(value: ContactFormValue, clientRequestId: string): CreateContactRequest {
  const openRequestsForNeeds = value.needs.flatMap((need, index) => (need.openRequest ? [index] : []));
  const duration = value.duration.trim();
  return {
    clientRequestId,
    channel: value.channel,
    siteId: value.siteId || null,
    durationMinutes: duration ? Number(duration) : null,
    needs: value.needs.map((need) => ({
      bouquet: need.bouquet,
      subNeed: blankToNull(need.subNeed),
      detail: blankToNull(need.detail),
    })),
    answer: value.answer,
    summary: blankToNull(value.summary),
    privateNote: blankToNull(value.privateNote),
    ...(openRequestsForNeeds.length ? { openRequestsForNeeds } : {}),
    ...(value.requestIds.length ? { requestIds: value.requestIds } : {}),
  };
}

/**
 * A contact (passage): the needs expressed first (the one thing always typed), then the answer,
 * channel, site (hidden when the structure has one), duration, shared summary and private note.
 * Enter submits from any single-line field, Ctrl+Enter from a text area, Escape cancels.
 * One `clientRequestId` per form: a retry after an error sends the same one.
 */
@Component({
  selector: 'pa-contact-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, ApiErrorAlert, FieldMessages, NeedsPicker],
  templateUrl: './contact-form.html',
})
export class ContactForm implements OnInit {
  private readonly fb = inject(FormBuilder).nonNullable;

  readonly sites = input<readonly Site[]>([]);
  readonly defaultChannel = input<ContactChannel>('in_person');
  readonly defaultSiteId = input<string | null>(null);
  /** The person's open requests, which this contact may touch. */
  readonly openRequests = input<readonly PersonRequest[]>([]);
  /** Anonymous contacts open no request (there is nobody to follow). */
  readonly canOpenRequests = input(true);
  readonly pending = input(false);
  readonly error = input<ApiError | null>(null);

  readonly submitted = output<CreateContactRequest>();
  readonly cancelled = output<void>();

  /** Generated once per form; the same on every retry of this form. */
  readonly clientRequestId = newClientRequestId();

  protected readonly channels = CONTACT_CHANNELS;
  protected readonly channelLabels = CONTACT_CHANNEL_LABELS;
  protected readonly answers = CONTACT_ANSWERS;
  protected readonly answerLabels = CONTACT_ANSWER_LABELS;
  protected readonly statusLabels = REQUEST_STATUS_LABELS;
  protected readonly needLabel = needLabel;

  protected readonly form = this.fb.group({
    needs: new FormArray<NeedGroup>([]),
    answer: this.fb.control<ContactAnswer>('information'),
    channel: this.fb.control<ContactChannel>('in_person'),
    siteId: this.fb.control(''),
    duration: this.fb.control('', Validators.pattern(/^\s*([0-9]|[1-9][0-9]|[1-5][0-9]{2}|600)\s*$/)),
    summary: this.fb.control('', Validators.maxLength(2000)),
    privateNote: this.fb.control('', Validators.maxLength(4000)),
    requestIds: this.fb.control<string[]>([]),
  });
  protected readonly needs = this.form.controls.needs;
  private readonly needsValue = toSignal(this.needs.valueChanges, { initialValue: this.needs.value });
  protected readonly chosenCodes = computed(() =>
    this.needsValue().flatMap((need) => (need.bouquet === undefined ? [] : [need.bouquet])),
  );
  protected readonly submittedOnce = signal(false);
  protected readonly needsMissing = signal(false);
  protected readonly serverErrors = computed(() => fieldErrorsOf(this.error()));
  protected readonly showSite = computed(() => this.sites().length > 1);

  private readonly picker = viewChild.required(NeedsPicker);
  private readonly formElement = viewChild.required<ElementRef<HTMLFormElement>>('formElement');

  /** Defaults are read once, when the form opens. */
  ngOnInit(): void {
    this.form.controls.channel.setValue(this.defaultChannel());
    const sites = this.sites();
    const siteId = sites.find((site) => site.id === this.defaultSiteId())?.id ?? sites[0]?.id ?? '';
    this.form.controls.siteId.setValue(siteId);
  }

  /** The first field: the needs picker. */
  focus(): void {
    this.picker().focus();
  }

  protected addNeed(bouquet: NeedBouquetCode): void {
    if (this.chosenCodes().includes(bouquet)) return;
    this.needs.push(
      this.fb.group({
        bouquet: this.fb.control<NeedBouquetCode>(bouquet),
        subNeed: this.fb.control('', Validators.maxLength(100)),
        detail: this.fb.control('', Validators.maxLength(500)),
        openRequest: this.fb.control(false),
      }),
    );
    this.needsMissing.set(false);
  }

  protected removeNeed(index: number): void {
    this.needs.removeAt(index);
    this.focus();
  }

  protected toggleRequest(requestId: string, checked: boolean): void {
    const current = this.form.controls.requestIds.value;
    this.form.controls.requestIds.setValue(
      checked ? [...new Set([...current, requestId])] : current.filter((id) => id !== requestId),
    );
  }

  protected needErrors(): string[] {
    const server = this.serverErrors()['needs'] ?? [];
    return this.needsMissing() ? [$localize`Ajoutez au moins un besoin exprimé.`, ...server] : [...server];
  }

  protected errorsFor(name: 'duration' | 'summary' | 'privateNote' | 'answer' | 'channel' | 'siteId'): string[] {
    const control = this.form.controls[name];
    const apiField = name === 'duration' ? 'durationMinutes' : name;
    const client =
      control.invalid && (control.touched || this.submittedOnce())
        ? validationMessages(control, { pattern: $localize`Saisissez une durée en minutes, de 0 à 600.` })
        : [];
    return [...client, ...(this.serverErrors()[apiField] ?? [])];
  }

  protected needFieldErrors(index: number, name: 'subNeed' | 'detail'): string[] {
    const control = this.needs.at(index).controls[name];
    const client = control.invalid && (control.touched || this.submittedOnce()) ? validationMessages(control) : [];
    return [...client, ...(this.serverErrors()[`needs.${index}.${name}`] ?? [])];
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
    if (this.needs.length === 0) {
      this.needsMissing.set(true);
      this.focus();
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      this.formElement().nativeElement.querySelector<HTMLElement>('.ng-invalid:is(input, select, textarea)')?.focus();
      return;
    }
    this.submitted.emit(buildContactRequest(this.form.getRawValue(), this.clientRequestId));
  }
}
