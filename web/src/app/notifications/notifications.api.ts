import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import { AppNotification, NotificationListQuery, NotificationSummary } from '@passerelle/contracts';
import { Observable } from 'rxjs';

/** The signed-in user's notifications: their list (newest first), the unread count, marking read. */
@Injectable({ providedIn: 'root' })
export class NotificationsApi {
  private readonly http = inject(HttpClient);

  list(query: NotificationListQuery = {}): Observable<AppNotification[]> {
    let params = new HttpParams();
    if (query.unreadOnly) params = params.set('unreadOnly', 'true');
    return this.http.get<AppNotification[]>('/api/notifications', { params });
  }

  summary(): Observable<NotificationSummary> {
    return this.http.get<NotificationSummary>('/api/notifications/summary');
  }

  markRead(id: string): Observable<AppNotification> {
    return this.http.post<AppNotification>(`/api/notifications/${encodeURIComponent(id)}/read`, null);
  }

  /** Answers the new count (0). */
  markAllRead(): Observable<NotificationSummary> {
    return this.http.post<NotificationSummary>('/api/notifications/read-all', null);
  }
}
