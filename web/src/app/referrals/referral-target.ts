import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ApiError, DirectorySearchHit, NeedBouquetCode, Structure } from '@passerelle/contracts';
import { AuthService } from '../core/auth/auth.service';
import { toApiError } from '../core/http/api-error';
import { ServicePicker } from '../directory/service-picker';
import { StructuresApi } from '../structures/structures.api';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { FieldMessages } from '../ui/field-messages';

/** Where an orientation goes: a structure, and one of its services when chosen in the directory. */
export interface ReferralTarget {
  structureId: string;
  structureName: string;
  serviceId: string | null;
  serviceName: string | null;
}

type TargetMode = 'service' | 'structure';

/**
 * The partner an orientation goes to: a service of the directory (`pa-service-picker`: those offering
 * the need near the person's commune first; the structure comes with it), or a partner structure
 * without choosing a service. The agent's own structure and inactive structures are not proposed, nor
 * `excludeStructureIds` in the list of structures.
 */
@Component({
  selector: 'pa-referral-target',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorAlert, FieldMessages, ServicePicker],
  host: { class: 'pa-block' },
  templateUrl: './referral-target.html',
})
export class ReferralTargetPicker {
  private readonly auth = inject(AuthService);

  readonly idPrefix = input.required<string>();
  /** The need: services offering it are proposed. */
  readonly bouquet = input<NeedBouquetCode | null>(null);
  /** INSEE code of the person's commune, when known. */
  readonly commune = input<string | null>(null);
  readonly excludeStructureIds = input<readonly string[]>([]);
  readonly errors = input<readonly string[]>([]);
  readonly changed = output<ReferralTarget | null>();

  protected readonly mode = signal<TargetMode>('service');
  protected readonly structures = signal<Structure[]>([]);
  protected readonly structuresError = signal<ApiError | null>(null);
  protected readonly chosenService = signal<DirectorySearchHit | null>(null);
  protected readonly chosenStructureId = signal('');

  private readonly ownStructureId = computed(() => this.auth.currentUser()?.activeMembership.structure?.id ?? null);
  protected readonly proposedStructures = computed(() => {
    const excluded = new Set([...this.excludeStructureIds(), this.ownStructureId()]);
    return this.structures().filter((structure) => structure.active && !excluded.has(structure.id));
  });

  constructor() {
    inject(StructuresApi)
      .list()
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (structures) => this.structures.set([...structures].sort((a, b) => a.name.localeCompare(b.name, 'fr'))),
        error: (error: unknown) => this.structuresError.set(toApiError(error)),
      });
    // A service chosen for another need no longer fits.
    effect(() => {
      const bouquet = this.bouquet();
      untracked(() => {
        const chosen = this.chosenService();
        if (chosen && bouquet && !chosen.bouquets.includes(bouquet)) this.chooseService(null);
      });
    });
  }

  protected setMode(mode: TargetMode): void {
    this.mode.set(mode);
    this.emit();
  }

  protected chooseService(hit: DirectorySearchHit | null): void {
    this.chosenService.set(hit);
    this.emit();
  }

  protected chooseStructure(id: string): void {
    this.chosenStructureId.set(id);
    this.emit();
  }

  private emit(): void {
    if (this.mode() === 'service') {
      const hit = this.chosenService();
      this.changed.emit(
        hit ? { structureId: hit.structure.id, structureName: hit.structure.name, serviceId: hit.id, serviceName: hit.name } : null,
      );
      return;
    }
    const structure = this.proposedStructures().find((s) => s.id === this.chosenStructureId());
    this.changed.emit(structure ? { structureId: structure.id, structureName: structure.name, serviceId: null, serviceName: null } : null);
  }
}
