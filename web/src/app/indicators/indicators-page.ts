import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ApiError, IndicatorTerritory, INDICATOR_SECTIONS, Structure } from '@passerelle/contracts';
import { Flow, SankeyController } from 'chartjs-chart-sankey';
import { BarController, BarElement, CategoryScale, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { provideCharts } from 'ng2-charts';
import { AuthService } from '../core/auth/auth.service';
import { toApiError } from '../core/http/api-error';
import { StructuresApi } from '../structures/structures.api';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { BarriersSection } from './barriers-section';
import { ContactsSection } from './contacts-section';
import { ContinuitySection } from './continuity-section';
import { FlowsSection } from './flows-section';
import { IndicatorExport } from './indicator-export';
import { apiFiltersOf, IndicatorScope, resolveFilters, sameFilters } from './indicator-filters';
import { IndicatorFiltersForm } from './indicator-filters-form';
import { SECTIONS } from './indicator-sections';
import { IndicatorsApi } from './indicators.api';
import { ReferralsSection } from './referrals-section';

const periodFormat = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "1 août 2026" for `2026-08-01`. */
function longDay(day: string): string {
  return periodFormat.format(new Date(`${day}T00:00:00Z`));
}

/**
 * "Indicateurs du territoire" (`/coordination/indicateurs`, coordinators) and "Indicateurs de la
 * structure" (`/administration/indicateurs`, structure admins, route data `scope: 'structure'`): the
 * filters in the URL, a summary, and five sections (reception, orientations, flows, barriers,
 * continuity) that load on their own, each with its charts, their data tables and its exports.
 *
 * Chart.js is registered here, with only the controllers the page draws (and the Sankey), so that it
 * stays in this lazy route's chunk.
 */
@Component({
  selector: 'pa-indicators-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ApiErrorAlert,
    BarriersSection,
    ContactsSection,
    ContinuitySection,
    FlowsSection,
    IndicatorExport,
    IndicatorFiltersForm,
    ReferralsSection,
  ],
  providers: [
    provideCharts({
      registerables: [
        BarController,
        BarElement,
        CategoryScale,
        LinearScale,
        LineController,
        LineElement,
        PointElement,
        Legend,
        Tooltip,
        SankeyController,
        Flow,
      ],
      defaults: { font: { family: 'Marianne, arial, sans-serif' }, color: '#3a3a3a' },
    }),
  ],
  templateUrl: './indicators-page.html',
})
export class IndicatorsPage {
  private readonly auth = inject(AuthService);
  private readonly document = inject(DOCUMENT);
  private readonly today = new Date();

  /** Route data: whose figures (`territory` for coordinators, `structure` for structure admins). */
  readonly scope = input<IndicatorScope>('territory');
  /** Query parameters (see IndicatorQueryParams). */
  readonly du = input<string>();
  readonly au = input<string>();
  readonly territoire = input<string>();
  readonly structure = input<string>();
  readonly besoin = input<string>();
  readonly canal = input<string>();
  readonly lieu = input<string>();
  readonly perimetre = input<string>();

  protected readonly ownStructure = computed(() => this.auth.currentUser()?.activeMembership.structure ?? null);
  protected readonly resolved = computed(() =>
    resolveFilters(
      {
        du: this.du(),
        au: this.au(),
        territoire: this.territoire(),
        structure: this.structure(),
        besoin: this.besoin(),
        canal: this.canal(),
        lieu: this.lieu(),
        perimetre: this.perimetre(),
      },
      { scope: this.scope(), ownStructureId: this.ownStructure()?.id ?? null, today: this.today },
    ),
  );
  /** The API's filters; equal filters (e.g. after "Afficher" with nothing changed) reload nothing. */
  protected readonly filters = computed(() => apiFiltersOf(this.resolved(), this.scope()), { equal: sameFilters });
  protected readonly period = computed(() => $localize`Du ${longDay(this.resolved().from)}:from: au ${longDay(this.resolved().to)}:to:`);

  protected readonly sections = INDICATOR_SECTIONS.map((section) => SECTIONS[section]);
  protected readonly structures = signal<Structure[]>([]);
  protected readonly territories = signal<IndicatorTerritory[]>([]);
  protected readonly optionsError = signal<ApiError | null>(null);

  constructor() {
    inject(IndicatorsApi)
      .territories()
      .pipe(takeUntilDestroyed())
      .subscribe({ next: (territories) => this.territories.set(territories), error: (error: unknown) => this.optionsError.set(toApiError(error)) });
    if (this.auth.activeRole() !== 'structure_admin') {
      inject(StructuresApi)
        .list()
        .pipe(takeUntilDestroyed())
        .subscribe({ next: (structures) => this.structures.set(structures), error: (error: unknown) => this.optionsError.set(toApiError(error)) });
    }
  }

  /** The summary's links: `<base href="/">` would turn "#…" into "/#…", so the heading is focused directly. */
  protected goTo(event: Event, id: string): void {
    event.preventDefault();
    const target = this.document.getElementById(id);
    if (!target) return;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
    target.scrollIntoView?.();
  }
}
