import { DatePipe, DOCUMENT } from '@angular/common';
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
import { Agent, ApiError, InviteAgentResponse, Role, ROLE_LABELS } from '@passerelle/contracts';
import { catchError, EMPTY, filter, Observable, switchMap, tap } from 'rxjs';
import { AuthService } from '../core/auth/auth.service';
import { toApiError } from '../core/http/api-error';
import { ApiErrorAlert } from '../ui/api-error-alert';
import { ConfirmAction } from '../ui/confirm-action';
import { StatusMessage } from '../ui/status-message';
import { AgentsApi } from './agents.api';
import { InviteAgentForm } from './invite-agent-form';

/** The link to hand over, with the agent it is for. */
interface ActivationToShare {
  agentName: string;
  activationUrl: string;
  activationExpiresAt: string | null;
}

/** Roles that open person files, hence may be granted the exceptional access without consent. */
const PERSON_ROLES: readonly Role[] = ['reception_agent', 'social_worker', 'structure_admin'];

function fullName(agent: Pick<Agent, 'firstName' | 'lastName'>): string {
  return `${agent.firstName} ${agent.lastName}`;
}

/**
 * Agents of a structure: list, invitation, deactivation, reactivation, new activation links, and the
 * permission "Accès exceptionnel sans consentement" (granted after a confirmation, removed at once).
 * `/administration/agents` (the admin's own structure) and `/plateforme/structures/:structureId/agents`.
 */
@Component({
  selector: 'pa-agents-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ApiErrorAlert, ConfirmAction, InviteAgentForm, StatusMessage],
  templateUrl: './agents-page.html',
})
export class AgentsPage {
  private readonly api = inject(AgentsApi);
  private readonly auth = inject(AuthService);
  private readonly injector = inject(Injector);
  private readonly destroyRef = inject(DestroyRef);
  private readonly document = inject(DOCUMENT);

  /** Route param for platform admins; structure admins manage their own structure. */
  readonly structureId = input<string>();
  protected readonly targetStructureId = computed(
    () => this.structureId() ?? this.auth.currentUser()?.activeMembership.structure?.id ?? '',
  );
  protected readonly currentUserId = computed(() => this.auth.currentUser()?.id ?? null);

  protected readonly agents = signal<Agent[]>([]);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly actionError = signal<ApiError | null>(null);
  protected readonly busyAgentId = signal<string | null>(null);
  protected readonly inviting = signal(false);
  protected readonly activation = signal<ActivationToShare | null>(null);
  protected readonly statusMessage = signal('');
  protected readonly roleLabels = ROLE_LABELS;
  protected readonly fullName = fullName;

  private readonly inviteButton = viewChild<ElementRef<HTMLButtonElement>>('inviteButton');
  private readonly activationAlert = viewChild<ElementRef<HTMLElement>>('activationAlert');

  constructor() {
    toObservable(this.targetStructureId)
      .pipe(
        filter((id) => id.length > 0),
        tap(() => {
          this.loading.set(true);
          this.loadError.set(null);
        }),
        switchMap((id) =>
          this.api.list(id).pipe(
            catchError((error: unknown) => {
              this.loadError.set(toApiError(error));
              this.loading.set(false);
              return EMPTY;
            }),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe((agents) => {
        this.agents.set(agents);
        this.loading.set(false);
      });
  }

  protected openInvitation(): void {
    this.activation.set(null);
    this.inviting.set(true);
  }

  protected closeInvitation(): void {
    this.inviting.set(false);
    this.focusLater(() => this.inviteButton()?.nativeElement);
  }

  protected onInvited(response: InviteAgentResponse): void {
    this.inviting.set(false);
    this.agents.update((agents) => [...agents.filter((a) => a.id !== response.agent.id), response.agent]);
    this.showActivation(response);
  }

  protected statusLabel(agent: Agent): string {
    switch (agent.status) {
      case 'invited':
        return $localize`Invité`;
      case 'active':
        return $localize`Actif`;
      case 'deactivated':
        return $localize`Désactivé`;
    }
  }

  protected deactivationQuestion(agent: Agent): string {
    return $localize`Désactiver le compte de ${fullName(agent)}:name: ? Cette personne ne pourra plus se connecter.`;
  }

  protected dismissActivation(): void {
    this.activation.set(null);
    this.focusLater(() => this.inviteButton()?.nativeElement);
  }

  /** The permission applies to agents who open person files, while their account is not deactivated. */
  protected mayHoldOverride(agent: Agent): boolean {
    return PERSON_ROLES.includes(agent.role) && agent.status !== 'deactivated';
  }

  protected overrideQuestion(agent: Agent): string {
    return $localize`Autoriser ${fullName(agent)}:name: à ouvrir un dossier sans le consentement de la personne, pour un motif légal ? Chaque usage sera tracé et à vérifier dans « Accès exceptionnels ».`;
  }

  protected setOverride(agent: Agent, allowed: boolean): void {
    this.runAction(agent, this.api.setConsentOverride(agent.id, { allowed }), (updated) => {
      this.replace(updated);
      this.statusMessage.set(
        allowed
          ? $localize`${fullName(agent)}:name: peut désormais ouvrir un dossier sans consentement pour un motif légal.`
          : $localize`${fullName(agent)}:name: ne peut plus ouvrir de dossier sans consentement.`,
      );
      // The button changed: the focus goes to its replacement in the same cell.
      this.focusLater(() => this.document.getElementById(this.overrideCellId(updated))?.querySelector<HTMLElement>('button') ?? undefined);
    });
  }

  protected overrideCellId(agent: Agent): string {
    return `agent-${agent.id}-acces-exceptionnel`;
  }

  protected deactivate(agent: Agent): void {
    this.runAction(agent, this.api.deactivate(agent.id), (updated) => {
      this.replace(updated);
      this.statusMessage.set($localize`Le compte de ${fullName(agent)}:name: est désactivé.`);
    });
  }

  protected reactivate(agent: Agent): void {
    this.runAction(agent, this.api.reactivate(agent.id), (updated) => {
      this.replace(updated);
      this.statusMessage.set($localize`Le compte de ${fullName(agent)}:name: est réactivé.`);
    });
  }

  protected newLink(agent: Agent): void {
    this.runAction(agent, this.api.newActivationLink(agent.id), (response) => {
      this.replace(response.agent);
      this.showActivation(response);
    });
  }

  protected async copyLink(url: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(url);
      this.statusMessage.set($localize`Le lien d'activation est copié.`);
    } catch {
      this.statusMessage.set($localize`La copie n'a pas fonctionné : sélectionnez le lien pour le copier.`);
    }
  }

  private runAction<T>(agent: Agent, request: Observable<T>, done: (result: T) => void): void {
    this.busyAgentId.set(agent.id);
    this.actionError.set(null);
    this.statusMessage.set('');
    request.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (result) => {
        this.busyAgentId.set(null);
        done(result);
      },
      error: (error: unknown) => {
        this.busyAgentId.set(null);
        this.actionError.set(toApiError(error));
      },
    });
  }

  private replace(updated: Agent): void {
    this.agents.update((agents) => agents.map((agent) => (agent.id === updated.id ? updated : agent)));
  }

  /**
   * Shows the link to hand over. People who already have an active account get no link: the new
   * membership is usable at their next login, which the status message says.
   */
  private showActivation(response: InviteAgentResponse): void {
    if (!response.activationUrl) {
      this.activation.set(null);
      this.statusMessage.set(
        $localize`${fullName(response.agent)}:name: a déjà un compte actif : son accès à la structure est ouvert, sans lien d'activation.`,
      );
      this.focusLater(() => this.inviteButton()?.nativeElement);
      return;
    }
    this.activation.set({
      agentName: fullName(response.agent),
      activationUrl: response.activationUrl,
      activationExpiresAt: response.activationExpiresAt,
    });
    this.focusLater(() => this.activationAlert()?.nativeElement);
  }

  private focusLater(target: () => HTMLElement | undefined): void {
    afterNextRender({ write: () => target()?.focus() }, { injector: this.injector });
  }
}
