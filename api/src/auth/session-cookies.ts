import type { CookieOptions, Response } from 'express';

export const SESSION_COOKIE = 'passerelle_session';
/** Angular's HttpClient convention: it reads this cookie and echoes it in the X-XSRF-TOKEN header. */
export const XSRF_COOKIE = 'XSRF-TOKEN';
export const XSRF_HEADER = 'x-xsrf-token';

export function setSessionCookies(res: Response, token: string, csrfToken: string, expiresAt: Date, secure: boolean): void {
  const base: CookieOptions = { sameSite: 'lax', secure, path: '/', expires: expiresAt };
  res.cookie(SESSION_COOKIE, token, { ...base, httpOnly: true });
  res.cookie(XSRF_COOKIE, csrfToken, { ...base, httpOnly: false });
}

export function clearSessionCookies(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, { path: '/', sameSite: 'lax', secure, httpOnly: true });
  res.clearCookie(XSRF_COOKIE, { path: '/', sameSite: 'lax', secure });
}
