import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ErrorArtwork } from './error-artwork';

/** DSFR "erreur inattendue" pattern, shown when the API cannot be reached or fails. */
@Component({
  selector: 'pa-error-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ErrorArtwork],
  template: `
    <div
      class="fr-my-7w fr-mt-md-12w fr-mb-md-10w fr-grid-row fr-grid-row--gutters fr-grid-row--middle fr-grid-row--center"
    >
      <div class="fr-py-0 fr-col-12 fr-col-md-6">
        <h1 i18n>Erreur inattendue</h1>
        <p class="fr-text--lead fr-mb-3w" i18n>Désolé, le service rencontre un problème. Nous y travaillons.</p>
        <p class="fr-text--sm fr-mb-5w" i18n>
          Essayez de rafraîchir la page ou réessayez un peu plus tard. Si le problème continue, signalez-le à
          l'administrateur de votre structure.
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
export class ErrorPage {}
