import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import {
  ApiError,
  CONTINUITY_ALERT_KIND_LABELS,
  CONTINUITY_ALERT_KINDS,
  ContinuityAlertKind,
  ContinuitySummary,
  IndicatorTerritory,
  STRUCTURE_TYPE_LABELS,
  Structure,
} from '@passerelle/contracts';
import { catchError, EMPTY, switchMap, tap } from 'rxjs';
import { territoryGroups } from '../continuity/alert-filters';
import { isTerritoryCode } from '../continuity/continuity-format';
import { ContinuityApi } from '../continuity/continuity.api';
import { IndicatorsApi } from '../indicators/indicators.api';
import { AuthService } from '../core/auth/auth.service';
import { toApiError } from '../core/http/api-error';
import { StructuresApi } from '../structures/structures.api';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { groupStructuresByType } from './structures-by-type';

/**
 * Home of coordinators (`/coordination?territoire=`): the ruptures de parcours of the territory — a tile
 * per kind, a table of the counts by structure that must act, each leading to the alerts concerned —
 * filtered by EPCI or commune (in the URL), then the structures of the territory grouped by type.
 */
@Component({
  selector: 'pa-coordination-home-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ReactiveFormsModule, RouterLink, ApiErrorAlert],
  templateUrl: './coordination-home-page.html',
})
export class CoordinationHomePage {
  private readonly auth = inject(AuthService);
  private readonly continuity = inject(ContinuityApi);
  private readonly indicators = inject(IndicatorsApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  /** Query parameter `?territoire=epci:<SIREN>|commune:<INSEE>`; absent: the whole département. */
  readonly territoire = input<string>();

  protected readonly territoryName = computed(() => this.auth.currentUser()?.tenant.name ?? '');
  protected readonly structures = signal<Structure[]>([]);
  protected readonly activeStructures = computed(() => this.structures().filter((s) => s.active));
  protected readonly groups = computed(() => groupStructuresByType(this.activeStructures()));
  protected readonly loading = signal(true);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly typeLabels = STRUCTURE_TYPE_LABELS;

  protected readonly kinds = CONTINUITY_ALERT_KINDS;
  protected readonly kindLabels = CONTINUITY_ALERT_KIND_LABELS;
  protected readonly territoryCode = computed(() => (isTerritoryCode(this.territoire()) ? (this.territoire() as string) : null));
  protected readonly territories = signal<IndicatorTerritory[]>([]);
  protected readonly territoryOptions = computed(() => territoryGroups(this.territories()));
  /** The chosen territory's name, "Tout le département" by default. */
  protected readonly territoryLabel = computed(() => {
    const code = this.territoryCode();
    if (!code) return $localize`Tout le département`;
    return this.territories().find((t) => t.code === code)?.label ?? code;
  });
  protected readonly territoryForm = new FormGroup({ territory: new FormControl('', { nonNullable: true }) });
  protected readonly summary = signal<ContinuitySummary | null>(null);
  protected readonly summaryError = signal<ApiError | null>(null);
  protected readonly openTotal = computed(() => {
    const summary = this.summary();
    return summary ? CONTINUITY_ALERT_KINDS.reduce((sum, kind) => sum + (summary.totals[kind] ?? 0), 0) : 0;
  });
  /** The structures with at least one alert, most alerts first. */
  /** Links to the alerts carry every state (`etat=all`): the counts include the acknowledged alerts (`acknowledged` says how many). */
  private readonly linkState = 'all';
  protected readonly alertStructures = computed(() =>
    [...(this.summary()?.byStructure ?? [])]
      .filter((row) => row.total > 0)
      .sort((a, b) => b.total - a.total || a.structure.name.localeCompare(b.structure.name, 'fr')),
  );

  constructor() {
    inject(StructuresApi)
      .list()
      .pipe(takeUntilDestroyed())
      .subscribe({
        next: (structures) => {
          this.structures.set(structures);
          this.loading.set(false);
        },
        error: (error: unknown) => {
          this.error.set(toApiError(error));
          this.loading.set(false);
        },
      });

    this.indicators
      .territories()
      .pipe(takeUntilDestroyed())
      .subscribe({ next: (territories) => this.territories.set(territories), error: () => this.territories.set([]) });

    toObservable(this.territoryCode)
      .pipe(
        tap(() => {
          this.summary.set(null);
          this.summaryError.set(null);
        }),
        switchMap((territory) =>
          this.continuity.summary(territory ?? undefined).pipe(
            catchError((error: unknown) => {
              this.summaryError.set(toApiError(error));
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((summary) => this.summary.set(summary));

    effect(() => this.territoryForm.setValue({ territory: this.territoryCode() ?? '' }));
  }

  protected applyTerritory(): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { territoire: this.territoryForm.controls.territory.value || null },
      queryParamsHandling: 'merge',
    });
  }

  /** The alerts list for one kind (and the chosen territory), every state so that the count matches. */
  protected kindQuery(kind: ContinuityAlertKind): Record<string, string> {
    const territoire = this.territoryCode();
    return { type: kind, etat: this.linkState, ...(territoire ? { territoire } : {}) };
  }

  protected territoryQuery(): Record<string, string> {
    const territoire = this.territoryCode();
    return { etat: this.linkState, ...(territoire ? { territoire } : {}) };
  }

  protected cellQuery(structureId: string, kind?: ContinuityAlertKind): Record<string, string> {
    return { structure: structureId, etat: this.linkState, ...(kind ? { type: kind } : {}) };
  }

  protected count(counts: Partial<Record<ContinuityAlertKind, number>>, kind: ContinuityAlertKind): number {
    return counts[kind] ?? 0;
  }
}
