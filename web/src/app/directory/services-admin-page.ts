import { DatePipe } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  Injector,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { ApiError, DirectoryService } from '@passerelle/contracts';
import { catchError, EMPTY, filter, switchMap, tap } from 'rxjs';
import { AuthService } from '../core/auth/auth.service';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { ConfirmAction } from '../ui/confirm-action';
import { StatusMessage } from '../ui/status-message';
import { bouquetLabels } from './directory-format';
import { DirectoryApi } from './directory.api';
import { ServiceForm } from './service-form';

/**
 * "Offre de services": the services a structure publishes in the directory. Add, edit, withdraw or
 * republish, and mark as verified — services not verified for six months are flagged "À vérifier".
 * `/administration/offre-de-services` (the admin's own structure).
 */
@Component({
  selector: 'pa-services-admin-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ApiErrorAlert, ConfirmAction, ServiceForm, StatusMessage],
  templateUrl: './services-admin-page.html',
})
export class ServicesAdminPage {
  private readonly api = inject(DirectoryApi);
  private readonly auth = inject(AuthService);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  /** Route param for platform admins; structure admins manage their own structure. */
  readonly structureId = input<string>();
  protected readonly targetId = computed(() => this.structureId() ?? this.auth.currentUser()?.activeMembership.structure?.id ?? '');
  protected readonly services = signal<DirectoryService[]>([]);
  protected readonly staleCount = computed(() => this.services().filter((s) => s.active && s.stale).length);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly actionError = signal<ApiError | null>(null);
  protected readonly busyId = signal<string | null>(null);
  /** null: no form; 'new': adding a service; a service: editing it. */
  protected readonly editing = signal<DirectoryService | 'new' | null>(null);
  protected readonly statusMessage = signal('');
  protected readonly bouquetLabels = bouquetLabels;

  private readonly addButton = viewChild<ElementRef<HTMLButtonElement>>('addButton');

  constructor() {
    toObservable(this.targetId)
      .pipe(
        filter((id) => id.length > 0),
        tap(() => {
          this.loading.set(true);
          this.loadError.set(null);
          this.editing.set(null);
        }),
        switchMap((id) =>
          this.api.listForStructure(id).pipe(
            catchError((error: unknown) => {
              this.loadError.set(toApiError(error));
              this.loading.set(false);
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((services) => {
        this.services.set(services);
        this.loading.set(false);
      });
  }

  protected editedService(): DirectoryService | null {
    const editing = this.editing();
    return editing === 'new' ? null : editing;
  }

  protected add(): void {
    this.statusMessage.set('');
    this.editing.set('new');
  }

  protected edit(service: DirectoryService): void {
    this.statusMessage.set('');
    this.editing.set(service);
  }

  protected closeForm(): void {
    this.editing.set(null);
    afterNextRender({ write: () => this.addButton()?.nativeElement.focus() }, { injector: this.injector });
  }

  protected onSaved(saved: DirectoryService): void {
    const existed = this.services().some((s) => s.id === saved.id);
    this.replace(saved);
    this.statusMessage.set(
      existed ? $localize`Le service ${saved.name}:name: est enregistré.` : $localize`Le service ${saved.name}:name: est ajouté à l'annuaire.`,
    );
    this.closeForm();
  }

  protected verify(service: DirectoryService): void {
    this.run(service, this.api.verify(service.id), (s) => $localize`Le service ${s.name}:name: est marqué comme vérifié.`);
  }

  protected setActive(service: DirectoryService, active: boolean): void {
    this.run(service, this.api.update(service.id, { active }), (s) =>
      active ? $localize`Le service ${s.name}:name: est de nouveau dans l'annuaire.` : $localize`Le service ${s.name}:name: est retiré de l'annuaire.`,
    );
  }

  protected withdrawalQuestion(service: DirectoryService): string {
    return $localize`Retirer ${service.name}:name: de l'annuaire ? Les agents ne le trouveront plus ; vous pourrez le republier.`;
  }

  private run(service: DirectoryService, call: ReturnType<DirectoryApi['verify']>, message: (s: DirectoryService) => string): void {
    this.busyId.set(service.id);
    this.actionError.set(null);
    this.statusMessage.set('');
    call.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (updated) => {
        this.busyId.set(null);
        this.replace(updated);
        this.statusMessage.set(message(updated));
      },
      error: (error: unknown) => {
        this.busyId.set(null);
        this.actionError.set(toApiError(error));
      },
    });
  }

  private replace(saved: DirectoryService): void {
    this.services.update((services) =>
      services.some((s) => s.id === saved.id) ? services.map((s) => (s.id === saved.id ? saved : s)) : [...services, saved],
    );
  }
}
