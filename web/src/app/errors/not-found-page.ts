import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ErrorArtwork } from './error-artwork';

/** DSFR "page non trouvée" pattern; also shown in place by pages whose item the API answered 404. */
@Component({
  selector: 'pa-not-found-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ErrorArtwork],
  template: `
    <div
      class="fr-my-7w fr-mt-md-12w fr-mb-md-10w fr-grid-row fr-grid-row--gutters fr-grid-row--middle fr-grid-row--center"
    >
      <div class="fr-py-0 fr-col-12 fr-col-md-6">
        <h1 i18n>Page non trouvée</h1>
        <p class="fr-text--sm fr-mb-3w" i18n>Erreur 404</p>
        @if (detail()) {
          <p class="fr-mb-3w">{{ detail() }}</p>
        }
        <p class="fr-text--lead fr-mb-3w" i18n>
          La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.
        </p>
        <p class="fr-text--sm fr-mb-5w" i18n>
          Si vous avez tapé l'adresse web dans le navigateur, vérifiez qu'elle est correcte. La page n'est peut-être
          plus disponible. Dans ce cas, pour continuer, vous pouvez revenir à la page d'accueil.
        </p>
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li><a class="fr-btn" routerLink="/" i18n>Page d'accueil</a></li>
        </ul>
      </div>
      <div class="fr-col-12 fr-col-md-3 fr-col-offset-md-1 fr-px-6w fr-px-md-0 fr-py-0">
        <pa-error-artwork />
      </div>
    </div>
  `,
})
export class NotFoundPage {
  /** What was not found, in the API's words (e.g. a file merged into another one). */
  readonly detail = input<string | null>(null);
}
