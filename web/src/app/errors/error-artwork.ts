import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** Decorative DSFR pictogram of the error-page pattern (files copied to /artwork by the build). */
@Component({
  selector: 'pa-error-artwork',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <svg
      xmlns="http://www.w3.org/2000/svg"
      class="fr-responsive-img fr-artwork"
      aria-hidden="true"
      focusable="false"
      width="160"
      height="200"
      viewBox="0 0 160 200"
    >
      <use class="fr-artwork-motif" href="/artwork/background/ovoid.svg#artwork-motif"></use>
      <use class="fr-artwork-background" href="/artwork/background/ovoid.svg#artwork-background"></use>
      <g transform="translate(40, 60)">
        <use class="fr-artwork-decorative" [attr.href]="pictogram() + '#artwork-decorative'"></use>
        <use class="fr-artwork-minor" [attr.href]="pictogram() + '#artwork-minor'"></use>
        <use class="fr-artwork-major" [attr.href]="pictogram() + '#artwork-major'"></use>
      </g>
    </svg>
  `,
})
export class ErrorArtwork {
  readonly pictogram = input('/artwork/pictograms/system/technical-error.svg');
}
