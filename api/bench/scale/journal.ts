import type { Client } from 'pg';

/**
 * The continuity journal (`continuity_alert`) as the 15-minute job would have written it over the
 * window, for the two kinds whose history the data holds exactly — an orientation unanswered (sent →
 * answered or cancelled) and an orientation accepted but not taken in charge (accepted → taken in
 * charge, closed or cancelled) — at the default delays (15 days): first seen at the job's first run
 * past the delay, closed at its first run after the gap closed, still open when it has not. Persons
 * anonymised since have no journal (ContinuityEraser), merged ones none either. The other kinds are
 * journaled by the service itself (`ContinuityService.recordJournal`, which bench:continuity runs and
 * times): their rows then start at "now".
 */
export async function synthesizeJournal(client: Client, now: Date, delayDays: { unanswered: number; notInCharge: number }): Promise<number> {
  const quarter = (t: string) => `least(to_timestamp(ceil(extract(epoch FROM ${t}) / 900) * 900), $1)`;
  const result = await client.query(
    `WITH steps AS (
       SELECT r.id, r.tenant_id, r.person_id, r.to_structure_id, r.bouquet, r.sent_at, r.answered_at,
              min(e.at) FILTER (WHERE e.status IN ('accepted','refused','redirected','cancelled')) AS answered,
              bool_or(e.status = 'accepted') AS accepted,
              min(e.at) FILTER (WHERE e.status IN ('in_charge','closed','cancelled') AND e.at >= r.answered_at) AS charged
         FROM referral r
         JOIN person p ON p.id = r.person_id AND p.anonymized_at IS NULL AND p.merged_into_id IS NULL
         JOIN referral_event e ON e.referral_id = r.id
        GROUP BY r.id
     ),
     episodes AS (
       SELECT tenant_id, 'referral_unanswered' AS kind, id, sent_at AS gap, person_id, to_structure_id, bouquet, answered AS ended,
              sent_at + make_interval(days => $2) AS due
         FROM steps
       UNION ALL
       SELECT tenant_id, 'referral_not_in_charge', id, answered_at, person_id, to_structure_id, bouquet, charged,
              answered_at + make_interval(days => $3)
         FROM steps WHERE accepted
     )
     INSERT INTO continuity_alert (tenant_id, kind, subject_id, gap_since, person_id, structure_id, bouquet, first_seen_at, closed_at)
     SELECT tenant_id, kind, id, date_trunc('milliseconds', gap), person_id, to_structure_id, bouquet, ${quarter('due')},
            CASE WHEN ended IS NOT NULL THEN greatest(${quarter('ended')}, ${quarter('due')}) END
       FROM episodes
      WHERE due <= $1 AND (ended IS NULL OR ended > due)`,
    [now, delayDays.unanswered, delayDays.notInCharge],
  );
  return result.rowCount ?? 0;
}
