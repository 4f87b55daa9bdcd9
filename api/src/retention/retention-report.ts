// What a retention run did: counts only, never personal data (it is stored as the job's output and
// summarised in the audit trail).

export interface TenantRetentionReport {
  tenantId: string;
  personRetentionMonths: number;
  auditRetentionMonths: number;
  /** Files anonymised, merged files included. */
  personsAnonymized: number;
  /** Rows changed by each PersonDataEraser, by its name. */
  erased: Record<string, number>;
  /** Anonymous contacts (no person) past the retention whose free text was cleared. */
  anonymousContactsCleared: number;
  auditEventsPurged: number;
  /** Set when this tenant's run stopped on an error (a short description, see describeError). */
  error?: string;
}

export interface RetentionReport {
  /** The run's clock (ISO 8601). */
  now: string;
  tenants: TenantRetentionReport[];
  /** Audit rows without a tenant (e.g. failed logins on unknown addresses) purged. */
  auditEventsPurgedWithoutTenant: number;
}

/** audit_event.reason is a short code of 64 characters at most. */
const REASON_MAX = 64;

/** The audit reason of a tenant's run: "persons:3;contacts:0;audit:120" (+ ";error" when it failed). */
export function retentionAuditReason(counts: { personsAnonymized: number; anonymousContactsCleared: number; auditEventsPurged: number; failed?: boolean }): string {
  const reason = `persons:${counts.personsAnonymized};contacts:${counts.anonymousContactsCleared};audit:${counts.auditEventsPurged}${counts.failed ? ';error' : ''}`;
  return reason.slice(0, REASON_MAX);
}

/**
 * A description of an error safe to log and to store in the job's output: database errors carry the
 * row's values in their detail (and sometimes in their message: "invalid input syntax … «value»"), so
 * they are reduced to their class, SQLSTATE and constraint; other errors are the application's own.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const driver = (error as { driverError?: unknown }).driverError ?? error;
    const { code, constraint } = driver as { code?: unknown; constraint?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return [error.name, code, typeof constraint === 'string' ? constraint : ''].filter(Boolean).join(' ');
    }
    return `${error.name}: ${error.message}`;
  }
  return 'unknown error';
}
