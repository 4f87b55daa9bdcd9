import { DOCUMENT } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  ElementRef,
  inject,
  Injector,
  input,
  signal,
  viewChild,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router } from '@angular/router';
import { AccessOverride, ApiError, NetworkSearchHit } from '@passerelle/contracts';
import { AuthService } from '../core/auth/auth.service';
import { toApiError } from '../core/http/api-error';
import { personName, toSearchQuery } from '../persons/person-format';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { AccessOverrideForm } from './access-override-form';
import { SharingApi } from './sharing.api';

const MIN_QUERY_LENGTH = 2;
const RESULT_LIMIT = 10;

interface NetworkAnswer {
  text: string;
  hits: NetworkSearchHit[];
}

/** "France Services de Gap — 04 92 00 00 00 — accueil@exemple.fr": who knows the person, and how to reach them. */
export function knownByLine(known: NetworkSearchHit['knownBy'][number]): string {
  return [known.structureName, known.phone, known.email].filter(Boolean).join(' — ');
}

/** "Samia Benali, Département — 04 92 00 00 00 — social@exemple.fr": the person's référent de parcours, and how to reach them. */
export function referentLine(referent: NonNullable<NetworkSearchHit['referent']>): string {
  return [`${referent.name}, ${referent.structureName}`, referent.phone, referent.email].filter(Boolean).join(' — ');
}

/**
 * "Rechercher dans le réseau du territoire", under the desk's search: the same text (by name only) among
 * the persons who consented to be visible in the network. Shows who they are known by, so the person
 * need not tell their story again; never their file. Agents with the permission may open a file without
 * consent for a legal reason ("Accès exceptionnel"), which then opens the person's page.
 */
@Component({
  selector: 'pa-network-search',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ApiErrorAlert, AccessOverrideForm],
  templateUrl: './network-search.html',
})
export class NetworkSearch {
  private readonly api = inject(SharingApi);
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly document = inject(DOCUMENT);

  /** What the agent typed in the desk's search box. */
  readonly text = input('');

  private readonly answer = signal<NetworkAnswer | null>(null);
  /** Results are shown only for the text still in the search box. */
  protected readonly shown = computed(() => {
    const answer = this.answer();
    return answer && answer.text === this.text().trim() ? answer : null;
  });
  protected readonly pending = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly status = signal('');
  /** The hit whose exceptional-access form is open. */
  protected readonly overriding = signal<string | null>(null);
  protected readonly mayOverride = computed(() => this.auth.currentUser()?.activeMembership.mayOverrideConsent ?? false);
  protected readonly personName = personName;
  protected readonly knownByLine = knownByLine;
  protected readonly referentLine = referentLine;

  private readonly resultsTitle = viewChild<ElementRef<HTMLElement>>('resultsTitle');

  protected search(): void {
    const text = this.text().trim();
    this.error.set(null);
    this.overriding.set(null);
    if (text.length < MIN_QUERY_LENGTH) {
      this.answer.set(null);
      this.status.set($localize`Saisissez d'abord le nom de la personne dans le champ de recherche.`);
      return;
    }
    if (this.pending()) return;
    this.pending.set(true);
    this.status.set($localize`Recherche dans le réseau…`);
    this.api
      .networkSearch(toSearchQuery(text, RESULT_LIMIT))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (hits) => {
          this.pending.set(false);
          this.answer.set({ text, hits });
          this.status.set(
            hits.length === 0
              ? $localize`Aucune personne trouvée dans le réseau du territoire.`
              : hits.length === 1
                ? $localize`1 personne trouvée dans le réseau du territoire.`
                : $localize`${hits.length}:count: personnes trouvées dans le réseau du territoire.`,
          );
          afterNextRender({ write: () => this.resultsTitle()?.nativeElement.focus() }, { injector: this.injector });
        },
        error: (error: unknown) => {
          this.pending.set(false);
          this.status.set('');
          this.error.set(toApiError(error));
        },
      });
  }

  protected openOverride(hit: NetworkSearchHit): void {
    this.overriding.set(hit.id);
  }

  protected closeOverride(hit: NetworkSearchHit): void {
    this.overriding.set(null);
    afterNextRender(
      { write: () => this.document.getElementById(this.overrideButtonId(hit))?.focus() },
      { injector: this.injector },
    );
  }

  protected onOverridden(override: AccessOverride): void {
    this.overriding.set(null);
    void this.router.navigate(['/personnes', override.personId]);
  }

  protected overrideButtonId(hit: NetworkSearchHit): string {
    return `reseau-acces-${hit.id}`;
  }
}
