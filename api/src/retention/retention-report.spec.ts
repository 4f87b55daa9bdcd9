import { QueryFailedError } from 'typeorm';
import { describeError, retentionAuditReason } from './retention-report';

describe('retentionAuditReason', () => {
  it('is a short code of counts', () => {
    expect(retentionAuditReason({ personsAnonymized: 3, anonymousContactsCleared: 0, auditEventsPurged: 120 })).toBe('persons:3;contacts:0;audit:120');
    expect(retentionAuditReason({ personsAnonymized: 2, anonymousContactsCleared: 1, auditEventsPurged: 0, failed: true })).toBe('persons:2;contacts:1;audit:0;error');
  });

  it('fits audit_event.reason (64 characters) whatever the counts', () => {
    const reason = retentionAuditReason({ personsAnonymized: 1e12, anonymousContactsCleared: 1e12, auditEventsPurged: 1e12, failed: true });
    expect(reason.length).toBeLessThanOrEqual(64);
    expect(reason.startsWith('persons:1000000000000;')).toBe(true);
  });
});

describe('describeError', () => {
  it('reduces a database error to its class, SQLSTATE and constraint: no row values', () => {
    const driverError = Object.assign(new Error('new row for relation "person" violates check constraint "person_has_a_name"'), {
      code: '23514',
      constraint: 'person_has_a_name',
      detail: 'Failing row contains (…, Durand, Lucie, 0612345678, …).',
    });
    const error = new QueryFailedError('UPDATE person SET …', ['Durand'], driverError);
    expect(describeError(error)).toBe('QueryFailedError 23514 person_has_a_name');
    expect(describeError(Object.assign(new Error('invalid input syntax for type uuid: "Durand"'), { code: '22P02' }))).toBe('Error 22P02');
  });

  it('keeps the application’s own messages', () => {
    expect(describeError(new Error('simulated failure'))).toBe('Error: simulated failure');
    expect(describeError('a string')).toBe('unknown error');
  });
});
