import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { ApiError, CaseloadEntry, REFERRAL_STATUS_LABELS, REQUEST_STATUS_LABELS } from '@passerelle/contracts';
import { catchError, EMPTY } from 'rxjs';
import { needLabel } from '../contacts/need-search';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { ReferentsApi } from './referents.api';

/**
 * "Mes accompagnements" (`/mes-accompagnements`): the persons I am the référent de parcours for, with
 * their last contact, their open requests and the orientations under way that my structure sent or
 * received — each person's file one link away.
 */
@Component({
  selector: 'pa-caseload-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, ApiErrorAlert],
  template: `
    <h1 i18n>Mes accompagnements</h1>
    <p class="fr-text--sm" i18n>
      Les personnes dont vous êtes le référent de parcours, avec leurs demandes et orientations en cours. Un relais
      accepté en vous proposant comme référent les ajoute ici.
    </p>
    <pa-api-error-alert [error]="loadError()" />
    @if (entries(); as entries) {
      <p role="status" class="fr-text--sm">
        <ng-container i18n>{entries.length, plural, =0 {Aucune personne} =1 {1 personne} other {{{entries.length}} personnes}}</ng-container>
      </p>
      @if (entries.length) {
        <div class="fr-table">
          <div class="fr-table__wrapper">
            <div class="fr-table__container">
              <div class="fr-table__content">
                <table>
                  <caption class="fr-sr-only" i18n>Personnes dont vous êtes le référent</caption>
                  <thead>
                    <tr>
                      <th scope="col" i18n>Personne</th>
                      <th scope="col" i18n>Référent depuis</th>
                      <th scope="col" i18n>Dernier passage</th>
                      <th scope="col" i18n>Demandes en cours</th>
                      <th scope="col" i18n>Orientations en cours</th>
                    </tr>
                  </thead>
                  <tbody>
                    @for (entry of entries; track entry.personId) {
                      <tr>
                        <th scope="row">
                          <a [routerLink]="['/personnes', entry.personId]">{{ entry.personName }}<span class="fr-sr-only" i18n> : ouvrir le dossier</span></a>
                        </th>
                        <td>{{ entry.referentSince | date: 'dd/MM/yyyy' }}</td>
                        <td>
                          @if (entry.lastContactAt) {
                            {{ entry.lastContactAt | date: 'dd/MM/yyyy' }}
                          } @else {
                            —
                          }
                        </td>
                        <td>
                          @if (entry.openRequests.length) {
                            <ul class="pa-unstyled-list">
                              @for (request of entry.openRequests; track request.id) {
                                <li>{{ needLabel(request.bouquet) }} ({{ requestStatusLabels[request.status] }})</li>
                              }
                            </ul>
                          } @else {
                            <ng-container i18n>Aucune</ng-container>
                          }
                        </td>
                        <td>
                          @if (entry.openReferrals.length) {
                            <ul class="pa-unstyled-list">
                              @for (referral of entry.openReferrals; track referral.id) {
                                <li>
                                  <a [routerLink]="['/orientations', referral.id]">{{ needLabel(referral.bouquet) }}</a>
                                  @if (referral.direction === 'sent') {
                                    <ng-container i18n> — envoyée à {{ referral.toStructureName }}</ng-container>
                                  } @else {
                                    <ng-container i18n> — reçue par votre structure</ng-container>
                                  }
                                  ({{ referralStatusLabels[referral.status] }})
                                </li>
                              }
                            </ul>
                          } @else {
                            <ng-container i18n>Aucune</ng-container>
                          }
                        </td>
                      </tr>
                    }
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      }
    } @else if (!loadError()) {
      <p role="status" i18n>Chargement de vos accompagnements…</p>
    }
  `,
})
export class CaseloadPage {
  protected readonly entries = signal<CaseloadEntry[] | null>(null);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly needLabel = needLabel;
  protected readonly requestStatusLabels = REQUEST_STATUS_LABELS;
  protected readonly referralStatusLabels = REFERRAL_STATUS_LABELS;

  constructor() {
    inject(ReferentsApi)
      .caseload()
      .pipe(
        catchError((error: unknown) => {
          this.loadError.set(toApiError(error));
          return EMPTY;
        }),
        takeUntilDestroyed(),
      )
      .subscribe((entries) => this.entries.set(entries));
  }
}
