import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, inject, input, signal, viewChild } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import {
  ApiError,
  DATA_CATEGORIES,
  DATA_CATEGORY_LABELS,
  DataCategory,
  DOCUMENT_KIND_DEFAULT_CATEGORY,
  DOCUMENT_KIND_LABELS,
  DOCUMENT_KINDS,
  DOCUMENT_MAX_BYTES,
  DocumentKind,
  PersonDocument,
} from '@passerelle/contracts';
import { catchError, EMPTY, filter, merge, Subject, switchMap, tap } from 'rxjs';
import { fieldErrorsOf, toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { StatusMessage } from '../ui/status-message';
import { documentContentUrl, PersonDocumentsApi } from './person-documents.api';

/** "12,5 Ko", "1,2 Mo": sizes as French users read them. */
export function formatSize(bytes: number): string {
  const format = (value: number) => value.toLocaleString('fr-FR', { maximumFractionDigits: 1 });
  return bytes < 1024 * 1024 ? `${format(Math.max(bytes / 1024, 0.1))} Ko` : `${format(bytes / 1024 / 1024)} Mo`;
}

/**
 * The armoire numérique on a person's file: the documents the agent may see (the API filters them by
 * consent), each downloadable; structures that follow the person add documents, with the data category
 * that decides, through consent, which partners see each one.
 */
@Component({
  selector: 'pa-person-documents',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ReactiveFormsModule, ApiErrorAlert, StatusMessage],
  templateUrl: './person-documents.html',
})
export class PersonDocuments {
  private readonly api = inject(PersonDocumentsApi);
  private readonly destroyRef = inject(DestroyRef);
  private readonly fb = inject(NonNullableFormBuilder);

  readonly personId = input.required<string>();
  /** Only structures that follow the person may add documents. */
  readonly canUpload = input(false);

  protected readonly documents = signal<PersonDocument[] | null>(null);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly uploadError = signal<ApiError | null>(null);
  protected readonly fileError = signal('');
  protected readonly statusMessage = signal('');
  protected readonly uploading = signal(false);
  protected readonly file = signal<File | null>(null);

  protected readonly kinds = DOCUMENT_KINDS;
  protected readonly kindLabels = DOCUMENT_KIND_LABELS;
  protected readonly categories = DATA_CATEGORIES;
  protected readonly categoryLabels = DATA_CATEGORY_LABELS;
  protected readonly contentUrl = documentContentUrl;
  protected readonly formatSize = formatSize;

  protected readonly form = this.fb.group({
    kind: this.fb.control<DocumentKind>('identity', Validators.required),
    category: this.fb.control<DataCategory>(DOCUMENT_KIND_DEFAULT_CATEGORY.identity, Validators.required),
    title: this.fb.control('', [Validators.required, Validators.maxLength(200)]),
  });

  private readonly fileInput = viewChild<ElementRef<HTMLInputElement>>('fileInput');
  private readonly reloads = new Subject<string>();
  private categoryTouched = false;

  constructor() {
    merge(toObservable(this.personId), this.reloads)
      .pipe(
        filter((id) => id.length > 0),
        tap(() => this.documents.set(null)),
        switchMap((id) =>
          this.api.list(id).pipe(
            catchError((error: unknown) => {
              this.loadError.set(toApiError(error));
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((documents) => this.documents.set(documents));
    // Choosing a kind proposes its usual category, until the agent chose one themselves.
    this.form.controls.kind.valueChanges.pipe(takeUntilDestroyed()).subscribe((kind) => {
      if (!this.categoryTouched) this.form.controls.category.setValue(DOCUMENT_KIND_DEFAULT_CATEGORY[kind]);
    });
  }

  /** Lists the documents again (e.g. the file was just anonymised, which deletes them). */
  reload(): void {
    this.reloads.next(this.personId());
  }

  protected onCategoryChosen(): void {
    this.categoryTouched = true;
  }

  protected onFileChosen(event: Event): void {
    const file = (event.target as HTMLInputElement).files?.[0] ?? null;
    this.file.set(file);
    this.fileError.set(file && file.size > DOCUMENT_MAX_BYTES ? $localize`Ce fichier dépasse 10 Mo : réduisez-le ou numérisez-le en qualité moindre.` : '');
  }

  protected fieldError(field: string): string {
    return fieldErrorsOf(this.uploadError())[field]?.join(' ') ?? '';
  }

  protected submit(): void {
    this.statusMessage.set('');
    this.uploadError.set(null);
    const file = this.file();
    if (!file) this.fileError.set($localize`Choisissez un fichier (PDF, JPEG, PNG ou WebP).`);
    this.form.markAllAsTouched();
    if (!file || this.fileError() || this.form.invalid || this.uploading()) return;
    this.uploading.set(true);
    this.api
      .upload(this.personId(), this.form.getRawValue(), file)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (document) => {
          this.uploading.set(false);
          this.documents.update((documents) => [document, ...(documents ?? [])]);
          this.statusMessage.set($localize`Document ajouté : ${document.title}:title:.`);
          this.form.controls.title.reset('');
          this.file.set(null);
          const input = this.fileInput()?.nativeElement;
          if (input) {
            input.value = '';
            input.focus();
          }
        },
        error: (error: unknown) => {
          this.uploading.set(false);
          const apiError = toApiError(error);
          this.uploadError.set(apiError);
          if (apiError.code === 'UNSUPPORTED_MEDIA_TYPE' || apiError.code === 'PAYLOAD_TOO_LARGE') this.fileError.set(apiError.message);
        },
      });
  }
}
