import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';

/**
 * DSFR skip links. Handled in script because `<base href="/">` would turn "#contenu" into a
 * navigation to "/#contenu"; the target is focused directly instead.
 */
@Component({
  selector: 'pa-skip-links',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="fr-skiplinks">
      <nav class="fr-container" role="navigation" i18n-aria-label aria-label="Accès rapide">
        <ul class="fr-skiplinks__list">
          <li><a class="fr-link" href="#contenu" (click)="skipTo($event, 'contenu')" i18n>Aller au contenu</a></li>
          @if (withNavigation()) {
            <li>
              <a class="fr-link" href="#navigation-principale" (click)="skipTo($event, 'navigation-principale')" i18n
                >Aller au menu</a
              >
            </li>
          }
          <li>
            <a class="fr-link" href="#pied-de-page" (click)="skipTo($event, 'pied-de-page')" i18n
              >Aller au pied de page</a
            >
          </li>
        </ul>
      </nav>
    </div>
  `,
})
export class SkipLinks {
  private readonly document = inject(DOCUMENT);
  readonly withNavigation = input(false);

  protected skipTo(event: Event, id: string): void {
    event.preventDefault();
    const target = this.document.getElementById(id);
    if (!target) return;
    if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    target.focus();
    target.scrollIntoView?.();
  }
}
