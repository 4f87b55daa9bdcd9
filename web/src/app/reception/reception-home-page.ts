import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { AuthService } from '../core/auth/auth.service';
import { StructureSitesOverview } from '../structures/structure-sites-overview';

/** Home of reception agents: their structure and its sites. */
@Component({
  selector: 'pa-reception-home-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [StructureSitesOverview],
  template: `
    <h1 i18n>Accueil</h1>
    @if (structureId(); as structureId) {
      <pa-structure-sites-overview [structureId]="structureId" />
    }
  `,
})
export class ReceptionHomePage {
  private readonly auth = inject(AuthService);
  protected readonly structureId = computed(() => this.auth.currentUser()?.activeMembership.structure?.id ?? null);
}
