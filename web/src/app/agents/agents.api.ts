import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { Agent, InviteAgentRequest, InviteAgentResponse, SetConsentOverrideRequest } from '@passerelle/contracts';
import { Observable } from 'rxjs';

@Injectable({ providedIn: 'root' })
export class AgentsApi {
  private readonly http = inject(HttpClient);

  list(structureId: string): Observable<Agent[]> {
    return this.http.get<Agent[]>('/api/agents', { params: new HttpParams().set('structureId', structureId) });
  }

  invite(request: InviteAgentRequest): Observable<InviteAgentResponse> {
    return this.http.post<InviteAgentResponse>('/api/agents', request);
  }

  deactivate(agentId: string): Observable<Agent> {
    return this.http.post<Agent>(`/api/agents/${encodeURIComponent(agentId)}/deactivate`, null);
  }

  reactivate(agentId: string): Observable<Agent> {
    return this.http.post<Agent>(`/api/agents/${encodeURIComponent(agentId)}/reactivate`, null);
  }

  /** A new single-use activation link (the previous one stops working). */
  newActivationLink(agentId: string): Observable<InviteAgentResponse> {
    return this.http.post<InviteAgentResponse>(`/api/agents/${encodeURIComponent(agentId)}/activation-link`, null);
  }

  /** Grants or removes the permission to open a file without consent for a legal reason. */
  setConsentOverride(agentId: string, request: SetConsentOverrideRequest): Observable<Agent> {
    return this.http.post<Agent>(`/api/agents/${encodeURIComponent(agentId)}/consent-override`, request);
  }
}
