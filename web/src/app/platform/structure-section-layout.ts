import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { catchError, of, switchMap } from 'rxjs';
import { StructuresApi } from '../structures/structures.api';

/**
 * Frame of one structure's screens for platform admins: way back to the list and the structure's
 * sections (details and sites, agents). The screens themselves are the structure admins' ones.
 */
@Component({
  selector: 'pa-structure-section-layout',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, RouterLinkActive, RouterOutlet],
  template: `
    <p class="fr-mb-2w">
      <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" routerLink="/plateforme/structures" i18n
        >Toutes les structures</a
      >
    </p>
    <nav class="fr-mb-4w" [attr.aria-label]="navigationLabel()">
      <ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
        <li>
          <a
            class="fr-btn fr-btn--sm"
            [class.fr-btn--secondary]="!details.isActive"
            [routerLink]="['/plateforme/structures', structureId()]"
            routerLinkActive
            #details="routerLinkActive"
            [routerLinkActiveOptions]="{ exact: true }"
            ariaCurrentWhenActive="page"
            i18n
            >Structure et sites</a
          >
        </li>
        <li>
          <a
            class="fr-btn fr-btn--sm"
            [class.fr-btn--secondary]="!agents.isActive"
            [routerLink]="['/plateforme/structures', structureId(), 'agents']"
            routerLinkActive
            #agents="routerLinkActive"
            ariaCurrentWhenActive="page"
            i18n
            >Agents</a
          >
        </li>
      </ul>
    </nav>
    <router-outlet />
  `,
})
export class StructureSectionLayout {
  readonly structureId = input.required<string>();
  protected readonly navigationLabel = signal($localize`Rubriques de la structure`);

  constructor() {
    const api = inject(StructuresApi);
    toObservable(this.structureId)
      .pipe(
        switchMap((id) => api.get(id).pipe(catchError(() => of(null)))),
        takeUntilDestroyed(),
      )
      .subscribe((structure) => {
        if (structure) this.navigationLabel.set($localize`Rubriques de la structure ${structure.name}:name:`);
      });
  }
}
