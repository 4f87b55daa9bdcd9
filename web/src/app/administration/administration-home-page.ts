import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Agent, ApiError, Structure } from '@passerelle/contracts';
import { catchError, forkJoin, of } from 'rxjs';
import { AgentsApi } from '../agents/agents.api';
import { AuthService } from '../core/auth/auth.service';
import { toApiError } from '../core/http/api-error';
import { DirectoryApi } from '../directory/directory.api';
import { StructuresApi } from '../structures/structures.api';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { RouterLink } from '@angular/router';

/** Home of structure admins: the structure at a glance and the way to its admin screens. */
@Component({
  selector: 'pa-administration-home-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ApiErrorAlert],
  templateUrl: './administration-home-page.html',
})
export class AdministrationHomePage {
  private readonly auth = inject(AuthService);

  protected readonly structure = signal<Structure | null>(null);
  protected readonly agents = signal<Agent[]>([]);
  protected readonly activeAgents = computed(() => this.agents().filter((a) => a.status === 'active').length);
  protected readonly invitedAgents = computed(() => this.agents().filter((a) => a.status === 'invited').length);
  /** Services of the structure to verify again (null while unknown: the tile then says nothing). */
  protected readonly staleServices = signal<number | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<ApiError | null>(null);

  constructor() {
    const structureId = this.auth.currentUser()?.activeMembership.structure?.id;
    if (!structureId) {
      this.loading.set(false);
      return;
    }
    inject(DirectoryApi)
      .stale()
      .pipe(
        catchError(() => of(null)),
        takeUntilDestroyed(),
      )
      .subscribe((services) => this.staleServices.set(services?.length ?? null));
    forkJoin({ structure: inject(StructuresApi).get(structureId), agents: inject(AgentsApi).list(structureId) })
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: ({ structure, agents }) => {
          this.structure.set(structure);
          this.agents.set(agents);
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.error.set(toApiError(error));
          this.loading.set(false);
        },
      });
  }
}
