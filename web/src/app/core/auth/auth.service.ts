import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import {
  ActivateAccountRequest,
  CurrentUser,
  LoginRequest,
  Role,
  SwitchMembershipRequest,
} from '@passerelle/contracts';
import { catchError, finalize, map, Observable, of, shareReplay, tap, throwError } from 'rxjs';
import { roleHomeUrl } from './role-home';

/** The session of the person using the app: who they are and with which membership they act. */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly user = signal<CurrentUser | null>(null);
  /** True once the server told us whether a session exists (GET /api/auth/me answered). */
  private sessionKnown = false;
  private pendingSession$: Observable<CurrentUser | null> | null = null;

  readonly currentUser = this.user.asReadonly();
  readonly activeRole = computed<Role | null>(() => this.user()?.activeMembership.role ?? null);
  readonly homeUrl = computed(() => {
    const role = this.activeRole();
    return role ? roleHomeUrl(role) : '/connexion';
  });

  /**
   * Asks the API for the current session the first time, then answers from memory: login, logout,
   * membership switches and expiry keep the signal up to date afterwards.
   * Errors other than 401 are rethrown and not remembered, so a later navigation retries.
   */
  loadSession(): Observable<CurrentUser | null> {
    if (this.sessionKnown) return of(this.user());
    this.pendingSession$ ??= this.http.get<CurrentUser>('/api/auth/me').pipe(
      catchError((error: unknown) =>
        error instanceof HttpErrorResponse && error.status === 401 ? of(null) : throwError(() => error),
      ),
      tap((user) => {
        this.user.set(user);
        this.sessionKnown = true;
      }),
      finalize(() => (this.pendingSession$ = null)),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    return this.pendingSession$;
  }

  login(request: LoginRequest): Observable<CurrentUser> {
    return this.http.post<CurrentUser>('/api/auth/login', request).pipe(tap((user) => this.startSession(user)));
  }

  /** Ends the session on the server; locally it ends whatever the server answers. */
  logout(): Observable<void> {
    return this.http.post<void>('/api/auth/logout', null).pipe(
      map(() => undefined),
      catchError(() => of(undefined)),
      finalize(() => this.endSession()),
    );
  }

  switchMembership(request: SwitchMembershipRequest): Observable<CurrentUser> {
    return this.http
      .post<CurrentUser>('/api/auth/membership', request)
      .pipe(tap((user) => this.startSession(user)));
  }

  activate(request: ActivateAccountRequest): Observable<void> {
    return this.http.post<void>('/api/auth/activate', request).pipe(map(() => undefined));
  }

  /** Forgets the user locally, e.g. when the API says the session expired. */
  endSession(): void {
    this.user.set(null);
    this.sessionKnown = true;
  }

  private startSession(user: CurrentUser): void {
    this.user.set(user);
    this.sessionKnown = true;
  }
}
