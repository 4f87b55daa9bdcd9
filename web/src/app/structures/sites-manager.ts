import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  inject,
  Injector,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { ApiError, SITE_KIND_LABELS, Site } from '@passerelle/contracts';
import { catchError, EMPTY, filter, switchMap, tap } from 'rxjs';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { ConfirmAction } from '../ui/confirm-action';
import { StatusMessage } from '../ui/status-message';
import { SiteForm } from './site-form';
import { StructuresApi } from './structures.api';

/** Sites of a structure: table, add, edit, deactivate and reactivate. */
@Component({
  selector: 'pa-sites-manager',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorAlert, ConfirmAction, SiteForm, StatusMessage],
  templateUrl: './sites-manager.html',
})
export class SitesManager {
  private readonly api = inject(StructuresApi);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  readonly structureId = input.required<string>();

  protected readonly sites = signal<Site[]>([]);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly actionError = signal<ApiError | null>(null);
  protected readonly busySiteId = signal<string | null>(null);
  /** null: no form; 'new': adding a site; a site: editing it. */
  protected readonly editing = signal<Site | 'new' | null>(null);
  protected readonly statusMessage = signal('');
  protected readonly kindLabels = SITE_KIND_LABELS;

  private readonly addButton = viewChild<ElementRef<HTMLButtonElement>>('addButton');

  constructor() {
    toObservable(this.structureId)
      .pipe(
        filter((id) => id.length > 0),
        tap(() => {
          this.loading.set(true);
          this.loadError.set(null);
          this.editing.set(null);
        }),
        switchMap((id) =>
          this.api.listSites(id).pipe(
            catchError((error: unknown) => {
              this.loadError.set(toApiError(error));
              this.loading.set(false);
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((sites) => {
        this.sites.set(sites);
        this.loading.set(false);
      });
  }

  protected editedSite(): Site | null {
    const editing = this.editing();
    return editing === 'new' ? null : editing;
  }

  protected add(): void {
    this.statusMessage.set('');
    this.editing.set('new');
  }

  protected edit(site: Site): void {
    this.statusMessage.set('');
    this.editing.set(site);
  }

  protected closeForm(): void {
    this.editing.set(null);
    afterNextRender({ write: () => this.addButton()?.nativeElement.focus() }, { injector: this.injector });
  }

  protected onSaved(saved: Site): void {
    const existed = this.sites().some((site) => site.id === saved.id);
    this.sites.update((sites) => (existed ? sites.map((s) => (s.id === saved.id ? saved : s)) : [...sites, saved]));
    this.statusMessage.set(
      existed ? $localize`Le site ${saved.name}:name: est enregistré.` : $localize`Le site ${saved.name}:name: est ajouté.`,
    );
    this.closeForm();
  }

  protected setActive(site: Site, active: boolean): void {
    this.busySiteId.set(site.id);
    this.actionError.set(null);
    this.statusMessage.set('');
    this.api
      .updateSite(site.id, { active })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (updated) => {
          this.busySiteId.set(null);
          this.sites.update((sites) => sites.map((s) => (s.id === updated.id ? updated : s)));
          this.statusMessage.set(
            active
              ? $localize`Le site ${updated.name}:name: est réactivé.`
              : $localize`Le site ${updated.name}:name: est désactivé.`,
          );
        },
        error: (error: unknown) => {
          this.busySiteId.set(null);
          this.actionError.set(toApiError(error));
        },
      });
  }

  protected deactivationQuestion(site: Site): string {
    return $localize`Désactiver le site ${site.name}:name: ? Il ne sera plus proposé aux agents.`;
  }
}
