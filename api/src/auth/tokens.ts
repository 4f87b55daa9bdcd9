import { createHmac, randomBytes } from 'node:crypto';

/** A random, URL-safe secret token (256 bits). */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** Keyed hash of a token: what the database stores instead of the token itself. */
export const hashToken = (secret: string, token: string): string =>
  createHmac('sha256', secret).update(token).digest('hex');
