import type { Request } from 'express';

/** The audit actor of a request that is not (yet) authenticated: IP and request id only. */
export function requestActor(req: Request): { ip: string | null; requestId: string | null } {
  return { ip: req.ip ?? null, requestId: req.id !== undefined ? String(req.id) : null };
}
