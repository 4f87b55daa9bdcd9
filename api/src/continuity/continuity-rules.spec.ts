import { CONTINUITY_ALERT_KINDS, CONTINUITY_DEFAULT_THRESHOLDS } from '@passerelle/contracts';
import { ageDays, cutoffsAt, DAY_MS, formatAlertKey, mergeThresholds, parseAlertKey, zeroCounts } from './continuity-rules';

const SUBJECT = '3f2b9c1e-7d4a-4e8b-9a61-0c5d2e7f8a90';
const SINCE = new Date('2026-03-02T09:15:30.123Z');

describe('continuity alert keys', () => {
  it('formats kind~subject~gap (ISO, milliseconds) and parses it back', () => {
    const key = formatAlertKey({ kind: 'referral_unanswered', subjectId: SUBJECT, gapSince: SINCE });
    expect(key).toBe(`referral_unanswered~${SUBJECT}~2026-03-02T09:15:30.123Z`);
    expect(parseAlertKey(key)).toEqual({ kind: 'referral_unanswered', subjectId: SUBJECT, gapSince: SINCE });
  });

  it('round-trips every kind, and reads an upper-case uuid as the same subject', () => {
    for (const kind of CONTINUITY_ALERT_KINDS) {
      const key = formatAlertKey({ kind, subjectId: SUBJECT, gapSince: SINCE });
      expect(parseAlertKey(key)?.kind).toBe(kind);
    }
    expect(parseAlertKey(`request_without_contact~${SUBJECT.toUpperCase()}~2026-03-02T09:15:30.123Z`)?.subjectId).toBe(SUBJECT);
  });

  it.each([
    ['an empty string', ''],
    ['not a string', 42],
    ['two parts', `referral_unanswered~${SUBJECT}`],
    ['four parts', `referral_unanswered~${SUBJECT}~2026-03-02T09:15:30.123Z~x`],
    ['an unknown kind', `referral_lost~${SUBJECT}~2026-03-02T09:15:30.123Z`],
    ['a subject that is not a uuid', 'referral_unanswered~1234~2026-03-02T09:15:30.123Z'],
    ['a date without milliseconds', `referral_unanswered~${SUBJECT}~2026-03-02T09:15:30Z`],
    ['a date with an offset', `referral_unanswered~${SUBJECT}~2026-03-02T10:15:30.123+01:00`],
    ['an impossible date', `referral_unanswered~${SUBJECT}~2026-02-30T09:15:30.123Z`],
    ['garbage', 'x'.repeat(500)],
    ['SQL', `referral_unanswered~${SUBJECT}~'; DROP TABLE person; --`],
  ])('refuses %s', (_, value) => {
    expect(parseAlertKey(value)).toBeNull();
  });
});

describe('continuity thresholds and ages', () => {
  it('merges the tenant’s rows over the defaults, ignoring unknown kinds', () => {
    expect(mergeThresholds([])).toEqual(CONTINUITY_DEFAULT_THRESHOLDS);
    expect(
      mergeThresholds([
        { kind: 'referral_unanswered', days: 3 },
        { kind: 'unknown', days: 1 },
      ]),
    ).toEqual({ ...CONTINUITY_DEFAULT_THRESHOLDS, referral_unanswered: 3 });
  });

  it('puts each cutoff N 24-hour days before now', () => {
    const now = new Date('2026-03-30T12:00:00.000Z'); // across the spring DST change in Paris: still 24 h days
    const cutoffs = cutoffsAt(now, { ...CONTINUITY_DEFAULT_THRESHOLDS, referral_unanswered: 15 });
    expect(cutoffs.referral_unanswered.toISOString()).toBe('2026-03-15T12:00:00.000Z');
    expect(cutoffs.accompaniment_lost_contact.getTime()).toBe(now.getTime() - 90 * DAY_MS);
  });

  it('counts whole days since the gap began, never negative', () => {
    const since = new Date('2026-03-01T10:00:00.000Z');
    expect(ageDays(since, new Date('2026-03-16T09:59:59.999Z'))).toBe(14);
    expect(ageDays(since, new Date('2026-03-16T10:00:00.000Z'))).toBe(15);
    expect(ageDays(since, new Date('2026-02-28T10:00:00.000Z'))).toBe(0);
  });

  it('an alert exists exactly when its age reaches the threshold', () => {
    const since = new Date('2026-03-01T10:00:00.000Z');
    for (const offset of [-1, 0, 1]) {
      const now = new Date(since.getTime() + 15 * DAY_MS + offset);
      const exists = since.getTime() <= cutoffsAt(now, CONTINUITY_DEFAULT_THRESHOLDS).referral_unanswered.getTime();
      expect(exists).toBe(ageDays(since, now) >= 15);
    }
  });

  it('starts every kind at zero', () => {
    expect(Object.values(zeroCounts())).toEqual(CONTINUITY_ALERT_KINDS.map(() => 0));
  });
});
