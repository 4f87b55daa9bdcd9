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
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { ActivatedRoute, Params, Router, RouterLink } from '@angular/router';
import {
  ApiError,
  Contact,
  ContactChannel,
  CreateContactRequest,
  Person,
  PersonIdentity,
  PersonRequest,
  PersonSearchHit,
  Site,
} from '@passerelle/contracts';
import { catchError, EMPTY, filter, map, Observable, of, switchMap } from 'rxjs';
import { ContactForm } from '../contacts/contact-form';
import { ContactsApi } from '../contacts/contacts.api';
import { AuthService } from '../core/auth/auth.service';
import { toApiError } from '../core/http/api-error';
import { IdentityForm, IdentityFormInitial, IdentitySubmission } from '../persons/identity-form';
import { formatBirth, identityFromSearch, parseBirth, personName } from '../persons/person-format';
import { PersonHitSummary } from '../persons/person-hit-summary';
import { PersonSearch } from '../persons/person-search';
import { PersonsApi } from '../persons/persons.api';
import { OrientationPrefill, orientationQueryParams } from '../referrals/orientation-prefill';
import { NetworkSearch } from '../sharing/network-search';
import { StructuresApi } from '../structures/structures.api';
import { ApiErrorAlert } from '../ui/api-error-alert';

/** Who the contact being recorded is about. */
export type DeskTarget =
  | { kind: 'person'; id: string; name: string; details: string }
  | { kind: 'new'; initial: IdentityFormInitial; identity: Partial<PersonIdentity> | null; communeName: string | null }
  | { kind: 'anonymous' };

interface SavedContact {
  personId: string | null;
  personName: string | null;
  /** "Orientation à faire" for a person: the query parameters of "Orienter maintenant" on their page. */
  orientParams: Params | null;
}

/**
 * The request (demande) of the contact's first need, when it can be told: the one this contact opened
 * for it (if it opened only that one: the ids of several new requests cannot be matched to their needs),
 * else the person's open request for that need that the contact was linked to (if there is exactly one).
 */
function requestOfFirstNeed(request: CreateContactRequest, contact: Contact, openRequests: readonly PersonRequest[]): string | null {
  const bouquet = request.needs[0]?.bouquet;
  if (!bouquet) return null;
  const linked = request.requestIds ?? [];
  const opened = contact.requestIds.filter((id) => !linked.includes(id) && !openRequests.some((r) => r.id === id));
  const openedFor = request.openRequestsForNeeds ?? [];
  if (openedFor.length === 1 && openedFor[0] === 0 && opened.length === 1) return opened[0];
  const sameNeed = openRequests.filter(
    (r) => r.bouquet === bouquet && linked.includes(r.id) && contact.requestIds.includes(r.id),
  );
  return sameNeed.length === 1 ? sameNeed[0].id : null;
}

/** "Orientation à faire" for a person: orient them from this contact, for its first need. */
function orientationFrom(request: CreateContactRequest, contact: Contact, openRequests: readonly PersonRequest[]): OrientationPrefill | null {
  if (request.answer !== 'referral_needed' || !contact.personId) return null;
  return {
    bouquet: request.needs[0]?.bouquet ?? null,
    fromContactId: contact.id,
    requestId: requestOfFirstNeed(request, contact, openRequests),
  };
}

type Describable = Pick<
  Person,
  'usageLastName' | 'birthLastName' | 'firstNames' | 'birthDate' | 'birthDatePrecision' | 'communeName'
>;

function describe(person: Describable): string {
  const birth = formatBirth(person.birthDate, person.birthDatePrecision);
  return [birth ? $localize`naissance : ${birth}:birth:` : '', person.communeName ?? ''].filter(Boolean).join(' · ');
}

function personTarget(person: Describable & { id: string }): DeskTarget {
  return { kind: 'person', id: person.id, name: personName(person), details: describe(person) };
}

/**
 * The reception desk (`/accueil`): one search box, focused on load. Pick a person (arrows + Enter),
 * "Nouvelle personne" (last option, or Alt+N) or "Passage sans identification"; or look the name up in
 * the territory's network ("Rechercher dans le réseau du territoire"). Fill the contact form
 * on the same page; Enter saves, Escape goes back to the search box. After a save, the success message
 * is announced and the empty search box is ready for the next person; when the answer is "Orientation
 * à faire", the message offers "Orienter maintenant": the person's page, with the orientation form open
 * for the contact's first need and linked to the contact (and to the request it opened for that need).
 */
@Component({
  selector: 'pa-desk-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ApiErrorAlert, ContactForm, IdentityForm, NetworkSearch, PersonHitSummary, PersonSearch],
  templateUrl: './desk-page.html',
  host: { '(document:keydown)': 'onDocumentKeydown($event)' },
})
export class DeskPage {
  private readonly auth = inject(AuthService);
  private readonly persons = inject(PersonsApi);
  private readonly contacts = inject(ContactsApi);
  private readonly structures = inject(StructuresApi);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);

  /** `?personne=<id>`: "Nouveau passage" from a person page opens the contact form for that person. */
  readonly personne = input<string>();

  protected readonly sites = signal<Site[]>([]);
  protected readonly target = signal<DeskTarget | null>(null);
  protected readonly step = computed<'search' | 'identity' | 'contact'>(() => {
    const target = this.target();
    if (!target) return 'search';
    return target.kind === 'new' && !target.identity ? 'identity' : 'contact';
  });
  protected readonly openRequests = signal<PersonRequest[]>([]);
  /** A new person already created while the contact failed: a retry must not create them twice. */
  private readonly createdPerson = signal<Person | null>(null);
  protected readonly duplicates = signal<PersonSearchHit[] | null>(null);
  private pendingRequest: CreateContactRequest | null = null;
  protected readonly saving = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly identityError = signal<ApiError | null>(null);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly saved = signal<SavedContact | null>(null);
  protected readonly notice = signal('');
  /** Channel and site of the last contact: an agent on the phone line stays on the phone line. */
  protected readonly lastChannel = signal<ContactChannel>('in_person');
  protected readonly lastSiteId = signal<string | null>(null);

  protected readonly personName = personName;

  protected readonly search = viewChild.required(PersonSearch);
  private readonly contactForm = viewChild(ContactForm);
  private readonly identityForm = viewChild(IdentityForm);
  private readonly duplicatesTitle = viewChild<ElementRef<HTMLElement>>('duplicatesTitle');

  constructor() {
    const structureId = this.auth.currentUser()?.activeMembership.structure?.id;
    if (structureId) {
      this.structures
        .listSites(structureId)
        .pipe(takeUntilDestroyed())
        .subscribe({ next: (sites) => this.sites.set(sites.filter((site) => site.active)), error: () => undefined });
    }
    toObservable(this.personne)
      .pipe(
        filter((id): id is string => !!id),
        switchMap((id) =>
          this.persons.get(id).pipe(
            catchError((error: unknown) => {
              this.loadError.set(toApiError(error));
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((person) => this.open(personTarget(person)));
    afterNextRender({ write: () => this.search().focus() });
  }

  protected pick(hit: PersonSearchHit): void {
    this.open(personTarget(hit));
  }

  protected startNewPerson(text = this.search().currentText()): void {
    const guess = identityFromSearch(text);
    const birth = parseBirth(guess.birth);
    const initial: IdentityFormInitial = {
      usageLastName: guess.usageLastName || null,
      firstNames: guess.firstNames || null,
      phone: guess.phone || null,
      email: guess.email || null,
      ...(birth && birth !== 'invalid' ? birth : {}),
    };
    this.reset();
    this.target.set({ kind: 'new', initial, identity: null, communeName: null });
    this.afterRender(() => this.identityForm()?.focus(true));
  }

  protected startAnonymous(): void {
    this.reset();
    this.target.set({ kind: 'anonymous' });
    this.afterRender(() => this.contactForm()?.focus());
  }

  protected identityDone(submission: IdentitySubmission): void {
    const target = this.target();
    if (target?.kind !== 'new') return;
    this.target.set({ ...target, identity: submission.identity, communeName: submission.communeName });
    this.afterRender(() => this.contactForm()?.focus());
  }

  /** Back from the contact form to the identity of the new person (both forms keep what was typed). */
  protected editIdentity(): void {
    const target = this.target();
    if (target?.kind !== 'new' || !target.identity) return;
    this.target.set({ ...target, identity: null });
    this.afterRender(() => this.identityForm()?.focus());
  }

  protected newPersonName(target: DeskTarget & { kind: 'new' }): string {
    return personName({ usageLastName: null, birthLastName: null, firstNames: null, ...target.identity });
  }

  protected newPersonDetails(target: DeskTarget & { kind: 'new' }): string {
    return describe({
      usageLastName: null,
      birthLastName: null,
      firstNames: null,
      birthDate: target.identity?.birthDate ?? null,
      birthDatePrecision: target.identity?.birthDatePrecision ?? null,
      communeName: target.communeName,
    });
  }

  /** Saves in sequence: the new person if there is one (once), then the contact. */
  protected save(request: CreateContactRequest, confirmNotDuplicate = false): void {
    const target = this.target();
    if (!target || this.saving()) return;
    this.saving.set(true);
    this.error.set(null);
    this.duplicates.set(null);
    this.pendingRequest = request;
    this.personFor(target, confirmNotDuplicate)
      .pipe(
        switchMap((person) =>
          this.contacts.create({ ...request, personId: person?.id ?? null }).pipe(map((contact) => ({ person, contact }))),
        ),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: ({ person, contact }) => this.done(request, person, contact),
        error: (error: unknown) => {
          this.saving.set(false);
          const apiError = toApiError(error);
          if (apiError.code === 'POSSIBLE_DUPLICATE' && apiError.candidates?.length) {
            this.duplicates.set(apiError.candidates);
            this.afterRender(() => this.duplicatesTitle()?.nativeElement.focus());
            return;
          }
          if (target.kind === 'new' && !this.createdPerson() && apiError.code === 'VALIDATION_FAILED') {
            // The identity was refused: back to it, with the API's messages under its fields.
            this.identityError.set(apiError);
            this.editIdentity();
            return;
          }
          this.error.set(apiError);
        },
      });
  }

  /** "Créer quand même": the agent saw the similar files and confirms this is someone else. */
  protected createAnyway(): void {
    if (this.pendingRequest) this.save(this.pendingRequest, true);
  }

  /** "Ouvrir ce dossier": the contact goes to the existing file instead (nothing saved yet). */
  protected useCandidate(candidate: PersonSearchHit): void {
    this.duplicates.set(null);
    this.open(personTarget(candidate), false);
    this.notice.set(
      $localize`Le passage sera enregistré dans le dossier de ${personName(candidate)}:name:. Vérifiez puis enregistrez.`,
    );
  }

  protected cancel(): void {
    const created = this.createdPerson();
    this.reset();
    this.target.set(null);
    if (created) {
      this.notice.set($localize`Le dossier de ${personName(created)}:name: a été créé, sans passage.`);
    }
    this.clearPersonParam();
    this.afterRender(() => this.search().focus());
  }

  protected onDocumentKeydown(event: KeyboardEvent): void {
    // Alt+N: "Nouvelle personne", from anywhere on the desk while searching.
    if (this.step() !== 'search' || !event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.code === 'KeyN' || event.key.toLowerCase() === 'n') {
      event.preventDefault();
      this.startNewPerson();
    }
  }

  private personFor(target: DeskTarget, confirmNotDuplicate: boolean): Observable<Person | { id: string } | null> {
    switch (target.kind) {
      case 'anonymous':
        return of(null);
      case 'person':
        return of({ id: target.id });
      case 'new': {
        const created = this.createdPerson();
        if (created) return of(created);
        return this.persons
          .create({ ...target.identity, ...(confirmNotDuplicate ? { confirmNotDuplicate: true } : {}) })
          .pipe(
            map((person) => {
              this.createdPerson.set(person);
              return person;
            }),
          );
      }
    }
  }

  private done(request: CreateContactRequest, person: Person | { id: string } | null, contact: Contact): void {
    const target = this.target();
    const name =
      target?.kind === 'person' ? target.name : person && 'firstNames' in person ? personName(person) : null;
    const orientation = person ? orientationFrom(request, contact, this.openRequests()) : null;
    this.lastChannel.set(request.channel);
    this.lastSiteId.set(request.siteId ?? null);
    this.reset();
    this.target.set(null);
    this.saved.set({
      personId: person?.id ?? null,
      personName: name,
      orientParams: orientation ? orientationQueryParams(orientation) : null,
    });
    this.search().clear();
    this.clearPersonParam();
    this.afterRender(() => this.search().focus());
  }

  private open(target: DeskTarget, resetFirst = true): void {
    if (resetFirst) this.reset();
    this.target.set(target);
    this.openRequests.set([]);
    if (target.kind === 'person') {
      this.persons
        .requests(target.id)
        .pipe(
          catchError(() => of([] as PersonRequest[])),
          takeUntilDestroyed(this.destroyRef),
        )
        .subscribe((requests) =>
          this.openRequests.set(requests.filter((r) => r.status === 'open' || r.status === 'in_progress')),
        );
    }
    this.afterRender(() => this.contactForm()?.focus());
  }

  private reset(): void {
    this.saving.set(false);
    this.error.set(null);
    this.identityError.set(null);
    this.loadError.set(null);
    this.duplicates.set(null);
    this.createdPerson.set(null);
    this.openRequests.set([]);
    this.pendingRequest = null;
    this.saved.set(null);
    this.notice.set('');
  }

  private clearPersonParam(): void {
    if (!this.personne()) return;
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { personne: null },
      queryParamsHandling: 'merge',
      replaceUrl: true,
    });
  }

  private afterRender(action: () => void): void {
    afterNextRender({ write: action }, { injector: this.injector });
  }
}
