import { HttpEventType } from '@angular/common/http';
import { DOCUMENT } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  Injector,
  input,
  signal,
} from '@angular/core';
import { ApiError, ExportFormat, IndicatorFilters, IndicatorSection } from '@passerelle/contracts';
import { Subscription } from 'rxjs';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { apiErrorOfBlobRequest, filenameFromContentDisposition, saveBlob } from './file-download';
import { IndicatorsApi } from './indicators.api';

let nextId = 0;

const FORMAT_LABELS: Record<ExportFormat, string> = { csv: 'CSV', xlsx: 'XLSX' };

interface Download {
  format: ExportFormat;
  loaded: number;
  /** Bytes expected (Content-Length); null while unknown: the bar is then indeterminate. */
  total: number | null;
}

/** The name the file gets when the API sends no Content-Disposition. */
export function fallbackFilename(section: IndicatorSection | null, format: ExportFormat, filters: IndicatorFilters): string {
  return `indicateurs-${section ?? 'tout'}-${filters.from}-${filters.to}.${format}`;
}

/**
 * The export buttons of a section (CSV, XLSX) or of every section ("Tout exporter (XLSX)"). The file
 * is downloaded with its progress shown (a labelled bar with the percentage when the size is known,
 * indeterminate otherwise) in a status region, can be cancelled, and is saved under the name the API
 * gives it.
 */
@Component({
  selector: 'pa-indicator-export',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorAlert],
  host: { class: 'pa-block' },
  template: `
    <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-btns-group--icon-left">
      @for (format of formats(); track format) {
        <li>
          <button
            type="button"
            class="fr-btn fr-btn--secondary fr-icon-download-line"
            [id]="id + '-' + format"
            [attr.aria-disabled]="download() ? true : null"
            (click)="start(format)"
          >
            {{ buttonLabel(format) }}
            @if (context()) {
              <span class="fr-sr-only"> : {{ context() }}</span>
            }
          </button>
        </li>
      }
      @if (download()) {
        <li>
          <button type="button" class="fr-btn fr-btn--tertiary fr-icon-close-line" [id]="id + '-annuler'" (click)="cancel()">
            <ng-container i18n>Annuler l'export</ng-container>
            @if (context()) {
              <span class="fr-sr-only"> : {{ context() }}</span>
            }
          </button>
        </li>
      }
    </ul>
    <div role="status" class="pa-block">
      @if (download(); as download) {
        <p class="fr-text--sm fr-mb-1w">
          <label [for]="id + '-progression'">{{ progressLabel() }}</label>
        </p>
        <p class="fr-text--sm">
          @if (percent() !== null) {
            <progress [id]="id + '-progression'" max="100" [value]="percent()">{{ percent() }} %</progress>
            <span aria-hidden="true"> {{ percent() }} %</span>
          } @else {
            <progress [id]="id + '-progression'" i18n>En cours</progress>
          }
        </p>
      } @else if (message()) {
        <p class="fr-text--sm">{{ message() }}</p>
      }
    </div>
    <pa-api-error-alert [error]="error()" />
  `,
})
export class IndicatorExport {
  private readonly api = inject(IndicatorsApi);
  private readonly document = inject(DOCUMENT);
  private readonly injector = inject(Injector);

  /** The section exported; null: every section in one XLSX workbook. */
  readonly section = input<IndicatorSection | null>(null);
  readonly formats = input<readonly ExportFormat[]>(['csv', 'xlsx']);
  readonly filters = input.required<IndicatorFilters>();
  /** Said after the buttons' labels to screen readers, e.g. the section's name. */
  readonly context = input('');

  protected readonly id = `pa-export-${nextId++}`;
  protected readonly download = signal<Download | null>(null);
  protected readonly message = signal('');
  protected readonly error = signal<ApiError | null>(null);
  protected readonly percent = computed(() => {
    const download = this.download();
    if (!download?.total) return null;
    return Math.min(100, Math.round((download.loaded / download.total) * 100));
  });
  protected readonly progressLabel = computed(() => {
    const format = this.download()?.format;
    return format ? $localize`Export ${FORMAT_LABELS[format]}:format: en cours de téléchargement` : '';
  });
  private subscription: Subscription | null = null;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.subscription?.unsubscribe());
  }

  protected buttonLabel(format: ExportFormat): string {
    return this.section() === null ? $localize`Tout exporter (${FORMAT_LABELS[format]}:format:)` : $localize`Exporter (${FORMAT_LABELS[format]}:format:)`;
  }

  protected start(format: ExportFormat): void {
    if (this.download()) return;
    const section = this.section();
    const filters = this.filters();
    this.error.set(null);
    this.message.set('');
    this.download.set({ format, loaded: 0, total: null });
    this.subscription = this.api.download(section, format, filters).subscribe({
      next: (event) => {
        if (event.type === HttpEventType.DownloadProgress) {
          this.download.set({ format, loaded: event.loaded, total: event.total ?? null });
        } else if (event.type === HttpEventType.Response) {
          const filename =
            filenameFromContentDisposition(event.headers.get('Content-Disposition')) ?? fallbackFilename(section, format, filters);
          if (event.body) saveBlob(this.document, event.body, filename);
          this.finish(format, $localize`Fichier « ${filename}:filename: » téléchargé.`);
        }
      },
      error: (failure: unknown) => {
        this.finish(format, '');
        void apiErrorOfBlobRequest(failure).then((error) => this.error.set(error));
      },
    });
  }

  /** Stops the download (the request is aborted) and gives the focus back to the button that started it. */
  protected cancel(): void {
    const format = this.download()?.format;
    this.subscription?.unsubscribe();
    if (format) this.finish(format, $localize`Export annulé.`);
  }

  private finish(format: ExportFormat, message: string): void {
    this.subscription = null;
    this.download.set(null);
    this.message.set(message);
    const button = `${this.id}-${format}`;
    afterNextRender({ write: () => this.refocus(button) }, { injector: this.injector });
  }

  /** Only when the focus was on the cancel button, which is gone: a finished download leaves the focus alone. */
  private refocus(buttonId: string): void {
    const active = this.document.activeElement;
    if (!active || active === this.document.body || active.id === `${this.id}-annuler`) this.document.getElementById(buttonId)?.focus();
  }
}
