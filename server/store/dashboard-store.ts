// The supervisor's dashboard (dashboard-service): the association's figures, counted in SQL over every
// branch's records, as counts and means only. SQL only: the service shapes the answer.
import { postServiceQuestionnaire } from '../../src/domain/surveys';
import type { Queryable } from './db';

type Num = string | number | null;

/** A moment as a date in Riyadh (UTC+3 all year: the kingdom keeps no daylight saving). */
const riyadhDay = (expr: string) => `((${expr})::timestamptz AT TIME ZONE 'UTC' + interval '3 hours')::date`;

/** Each survey answer's score: the mean of its numeric answers (the 1–5 questions), and its instrument. */
const allScored = `
  SELECT s.branch_id, s.created_by, s.data, s.data->>'surveyId' AS survey_id, (
           SELECT avg((e.value #>> '{}')::numeric) FROM jsonb_each(s.data->'answers') e
            WHERE jsonb_typeof(e.value) = 'number') AS score
    FROM records s
   WHERE s.association_id = $1 AND s.entity = 'survey_response' AND NOT s.deleted`;

/**
 * The beneficiaries' own answers (the questionnaire after a service, C-OBJ-5): what the satisfaction figures
 * are of. Staff instruments (K-SAT-b..d) are counted apart, by method. The id is the domain's constant.
 */
const scored = `SELECT * FROM (${allScored}) a WHERE a.survey_id = '${postServiceQuestionnaire().id}'`;

/** The requests past intake, by branch: decided on time or late, open, overdue, or with no due date. */
export function caseDeadlines(db: Queryable, associationId: string, today: string) {
  return db.query<{
    branch_id: string | null;
    name_ar: string | null;
    name_en: string | null;
    on_time: Num;
    late: Num;
    open: Num;
    overdue: Num;
    without: Num;
  }>(
    `WITH c AS (
           SELECT branch_id, data->'deadline'->>'kind' AS kind, (data->'deadline'->>'date')::date AS due,
                  CASE WHEN jsonb_typeof(data->'decision') = 'object'
                       THEN ${riyadhDay("data->'decision'->>'at'")} END AS decided_on
             FROM records
            WHERE association_id = $1 AND entity = 'case' AND NOT deleted AND data->>'status' <> 'draft'
              AND coalesce(jsonb_typeof(data->'discarded'), 'null') = 'null')
         SELECT c.branch_id, b.name_ar, b.name_en,
                count(*) FILTER (WHERE kind = 'dueBy' AND decided_on <= due) AS on_time,
                count(*) FILTER (WHERE kind = 'dueBy' AND decided_on > due) AS late,
                count(*) FILTER (WHERE kind = 'dueBy' AND decided_on IS NULL AND due >= $2::date) AS open,
                count(*) FILTER (WHERE kind = 'dueBy' AND decided_on IS NULL AND due < $2::date) AS overdue,
                count(*) FILTER (WHERE kind IS DISTINCT FROM 'dueBy') AS without
           FROM c LEFT JOIN branches b ON b.id = c.branch_id
          GROUP BY c.branch_id, b.name_ar, b.name_en ORDER BY b.name_ar`,
    [associationId, today],
  );
}

/** The beneficiaries' answers: how many, how many anonymous, and their mean score (one row). */
export function satisfactionOverall(db: Queryable, associationId: string) {
  return db.query<{ responses: Num; anonymous: Num; mean: Num }>(
    `SELECT count(*) AS responses, count(*) FILTER (WHERE data->>'beneficiaryId' IS NULL) AS anonymous,
                  avg(score) AS mean FROM (${scored}) r`,
    [associationId],
  );
}

/** The beneficiaries' answers by month (in Riyadh). */
export function satisfactionByMonth(db: Queryable, associationId: string) {
  return db.query<{ month: string; responses: Num; mean: Num }>(
    `SELECT to_char(${riyadhDay("data->>'at'")}, 'YYYY-MM') AS month, count(*) AS responses, avg(score) AS mean
           FROM (${scored}) r GROUP BY 1 ORDER BY 1`,
    [associationId],
  );
}

/** The beneficiaries' answers by branch. */
export function satisfactionByBranch(db: Queryable, associationId: string) {
  return db.query<{
    name_ar: string | null;
    name_en: string | null;
    responses: Num;
    mean: Num;
  }>(
    `SELECT b.name_ar, b.name_en, count(*) AS responses, avg(score) AS mean
           FROM (${scored}) r LEFT JOIN branches b ON b.id = r.branch_id
          GROUP BY b.name_ar, b.name_en ORDER BY b.name_ar`,
    [associationId],
  );
}

/** The beneficiaries' answers by the service rated. */
export function satisfactionByService(db: Queryable, associationId: string) {
  return db.query<{ service: string; responses: Num; mean: Num }>(
    `SELECT coalesce(r.data->>'serviceTypeId', c.data->>'serviceTypeId') AS service,
                count(*) AS responses, avg(score) AS mean
           FROM (${scored}) r
           LEFT JOIN records c ON c.association_id = $1 AND c.entity = 'case'
                              AND c.record_id::text = r.data->>'caseId'
          WHERE coalesce(r.data->>'serviceTypeId', c.data->>'serviceTypeId') IS NOT NULL
          GROUP BY 1 ORDER BY 1`,
    [associationId],
  );
}

/** Every instrument’s answers (K-SAT-a..d). */
export function answersByInstrument(db: Queryable, associationId: string) {
  return db.query<{ survey_id: string; responses: Num; mean: Num }>(
    `SELECT survey_id, count(*) AS responses, avg(score) AS mean FROM (${allScored}) r GROUP BY 1`,
    [associationId],
  );
}

/** The beneficiaries' answers by the member of staff whose device took them. */
export function satisfactionByRepresentative(db: Queryable, associationId: string) {
  return db.query<{ name: string | null; responses: Num; mean: Num }>(
    `SELECT u.display_name AS name, count(*) AS responses, avg(score) AS mean
           FROM (${scored}) r LEFT JOIN users u ON u.id = r.created_by
          GROUP BY u.display_name ORDER BY u.display_name`,
    [associationId],
  );
}

/** The complaints by kind: in all, open, settled amicably, escalated. */
export function complaintsByKind(db: Queryable, associationId: string) {
  return db.query<{
    kind: string;
    total: Num;
    open: Num;
    amicable: Num;
    escalated: Num;
  }>(
    `SELECT data->>'kind' AS kind, count(*) AS total,
                count(*) FILTER (WHERE jsonb_typeof(data->'resolution') IS DISTINCT FROM 'object') AS open,
                count(*) FILTER (WHERE data->'resolution'->>'outcome' = 'amicable') AS amicable,
                count(*) FILTER (WHERE data->'resolution'->>'outcome' = 'escalated') AS escalated
           FROM records WHERE association_id = $1 AND entity = 'complaint' AND NOT deleted
          GROUP BY 1 ORDER BY 1`,
    [associationId],
  );
}

/** The median and 90th percentile of the hours to a complaint’s first response (one row). */
export function complaintResponseHours(db: Queryable, associationId: string) {
  return db.query<{ median: Num; p90: Num }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY h) AS median,
                  percentile_cont(0.9) WITHIN GROUP (ORDER BY h) AS p90
             FROM (SELECT extract(epoch FROM (data->>'firstResponseAt')::timestamptz
                                           - (data->>'receivedAt')::timestamptz) / 3600 AS h
                     FROM records WHERE association_id = $1 AND entity = 'complaint' AND NOT deleted
                      AND jsonb_typeof(data->'firstResponseAt') = 'string') t`,
    [associationId],
  );
}

/** The conflicts and rejections of pushes since `since`, by entity. */
export function syncProblemsByEntity(db: Queryable, associationId: string, since: Date) {
  return db.query<{ entity: string; conflicts: Num; rejected: Num }>(
    `SELECT entity, sum(c) AS conflicts, sum(r) AS rejected FROM (
           SELECT entity, 1 AS c, 0 AS r FROM sync_conflicts WHERE association_id = $1 AND at >= $2
           UNION ALL
           SELECT entity, 0, 1 FROM sync_rejections WHERE association_id = $1 AND at >= $2) t
          GROUP BY entity ORDER BY entity`,
    [associationId, since],
  );
}

/** Each category’s beneficiaries, and their requests in one of `openStatuses`. */
export function categoryCounts(db: Queryable, associationId: string, openStatuses: readonly string[]) {
  return db.query<{ category: string | null; beneficiaries: Num; open_requests: Num }>(
    `SELECT b.data->>'category' AS category, count(DISTINCT b.record_id) AS beneficiaries,
                count(c.record_id) AS open_requests
           FROM records b
           LEFT JOIN records c ON c.association_id = $1 AND c.entity = 'case' AND NOT c.deleted
                              AND c.data->>'beneficiaryId' = b.record_id::text
                              AND c.data->>'status' = ANY($2::text[])
          WHERE b.association_id = $1 AND b.entity = 'beneficiary' AND NOT b.deleted
          GROUP BY 1`,
    [associationId, openStatuses],
  );
}

/** What accepted decisions granted and deliveries handed over, by service, branch and month. */
export function aidGranted(db: Queryable, associationId: string) {
  return db.query<{
    service: string | null;
    branch_id: string | null;
    name_ar: string | null;
    name_en: string | null;
    month: string;
    requests: Num;
    granted: Num;
    handed: Num;
  }>(
    `SELECT c.data->>'serviceTypeId' AS service, c.branch_id, b.name_ar, b.name_en,
                to_char(${riyadhDay("c.data->'decision'->>'at'")}, 'YYYY-MM') AS month,
                count(*) AS requests,
                sum((c.data->'decision'->'grant'->>'amount')::numeric) AS granted,
                sum((c.data->'delivery'->'handedOver'->>'amount')::numeric) AS handed
           FROM records c LEFT JOIN branches b ON b.id = c.branch_id
          WHERE c.association_id = $1 AND c.entity = 'case' AND NOT c.deleted
            AND c.data->'decision'->>'outcome' = 'accepted'
          GROUP BY 1, 2, 3, 4, 5`,
    [associationId],
  );
}
