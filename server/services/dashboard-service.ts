// The supervisor's dashboard (src/protocol/dashboard.ts): the association's figures, counted in SQL over
// every branch's records, returned as counts and means only. Supervisors and the administrator read it.
import { openStatuses } from '../../src/domain/permissions';
import { instrumentById, instruments, postServiceQuestionnaire } from '../../src/domain/surveys';
import { riyadhDate } from '../../src/domain/working-days';
import type { Dashboard } from '../../src/protocol/dashboard';
import type { Queryable } from '../store/db';
import type { AuthContext } from './auth-service';
import { ServiceError } from './errors';
import { mayReadDashboard } from './policy';
import { profileOfAssociation } from './records';

type Num = string | number | null;
const n = (v: Num) => (v === null ? 0 : Number(v));
const mean = (v: Num) => (v === null ? null : Math.round(Number(v) * 100) / 100);
const hours = (v: Num) => (v === null ? null : Math.round(Number(v) * 10) / 10);

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

export function createDashboardService(deps: { db: Queryable; now: () => number }) {
  const { db, now } = deps;
  return {
    async read(caller: AuthContext): Promise<Dashboard> {
      const denial = mayReadDashboard(caller);
      if (denial !== null) throw new ServiceError(denial.code, denial.message);
      const aid = caller.aid;
      const today = riyadhDate(now());
      const profile = await profileOfAssociation(db, aid);

      const deadlines = await db.query<{
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
        [aid, today],
      );

      const overall = (
        await db.query<{ responses: Num; anonymous: Num; mean: Num }>(
          `SELECT count(*) AS responses, count(*) FILTER (WHERE data->>'beneficiaryId' IS NULL) AS anonymous,
                  avg(score) AS mean FROM (${scored}) r`,
          [aid],
        )
      )[0];
      const byMonth = await db.query<{ month: string; responses: Num; mean: Num }>(
        `SELECT to_char(${riyadhDay("data->>'at'")}, 'YYYY-MM') AS month, count(*) AS responses, avg(score) AS mean
           FROM (${scored}) r GROUP BY 1 ORDER BY 1`,
        [aid],
      );
      const byBranch = await db.query<{
        name_ar: string | null;
        name_en: string | null;
        responses: Num;
        mean: Num;
      }>(
        `SELECT b.name_ar, b.name_en, count(*) AS responses, avg(score) AS mean
           FROM (${scored}) r LEFT JOIN branches b ON b.id = r.branch_id
          GROUP BY b.name_ar, b.name_en ORDER BY b.name_ar`,
        [aid],
      );
      const byService = await db.query<{ service: string; responses: Num; mean: Num }>(
        `SELECT coalesce(r.data->>'serviceTypeId', c.data->>'serviceTypeId') AS service,
                count(*) AS responses, avg(score) AS mean
           FROM (${scored}) r
           LEFT JOIN records c ON c.association_id = $1 AND c.entity = 'case'
                              AND c.record_id::text = r.data->>'caseId'
          WHERE coalesce(r.data->>'serviceTypeId', c.data->>'serviceTypeId') IS NOT NULL
          GROUP BY 1 ORDER BY 1`,
        [aid],
      );
      // K-SAT-a..d: every instrument's answers, by method (the questionnaire, field survey, visit, interview).
      const byInstrument = await db.query<{ survey_id: string; responses: Num; mean: Num }>(
        `SELECT survey_id, count(*) AS responses, avg(score) AS mean FROM (${allScored}) r GROUP BY 1`,
        [aid],
      );
      // The member of staff whose device took the answer: the one who handed the tablet over.
      const byRepresentative = await db.query<{ name: string | null; responses: Num; mean: Num }>(
        `SELECT u.display_name AS name, count(*) AS responses, avg(score) AS mean
           FROM (${scored}) r LEFT JOIN users u ON u.id = r.created_by
          GROUP BY u.display_name ORDER BY u.display_name`,
        [aid],
      );

      const complaintRows = await db.query<{
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
        [aid],
      );
      const response = (
        await db.query<{ median: Num; p90: Num }>(
          `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY h) AS median,
                  percentile_cont(0.9) WITHIN GROUP (ORDER BY h) AS p90
             FROM (SELECT extract(epoch FROM (data->>'firstResponseAt')::timestamptz
                                           - (data->>'receivedAt')::timestamptz) / 3600 AS h
                     FROM records WHERE association_id = $1 AND entity = 'complaint' AND NOT deleted
                      AND jsonb_typeof(data->'firstResponseAt') = 'string') t`,
          [aid],
        )
      )[0];

      const since = new Date(now() - 30 * 24 * 60 * 60 * 1000);
      const syncRows = await db.query<{ entity: string; conflicts: Num; rejected: Num }>(
        `SELECT entity, sum(c) AS conflicts, sum(r) AS rejected FROM (
           SELECT entity, 1 AS c, 0 AS r FROM sync_conflicts WHERE association_id = $1 AND at >= $2
           UNION ALL
           SELECT entity, 0, 1 FROM sync_rejections WHERE association_id = $1 AND at >= $2) t
          GROUP BY entity ORDER BY entity`,
        [aid, since],
      );

      // Each category's beneficiaries and their open requests (submitted and not yet served or closed).
      const categories = await db.query<{ category: string | null; beneficiaries: Num; open_requests: Num }>(
        `SELECT b.data->>'category' AS category, count(DISTINCT b.record_id) AS beneficiaries,
                count(c.record_id) AS open_requests
           FROM records b
           LEFT JOIN records c ON c.association_id = $1 AND c.entity = 'case' AND NOT c.deleted
                              AND c.data->>'beneficiaryId' = b.record_id::text
                              AND c.data->>'status' = ANY($2::text[])
          WHERE b.association_id = $1 AND b.entity = 'beneficiary' AND NOT b.deleted
          GROUP BY 1`,
        [aid, openStatuses],
      );

      // Aid as data: what accepted decisions granted and deliveries handed over, per service, branch, month.
      const aidRows = await db.query<{
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
        [aid],
      );
      const label = (ar: string | null, en: string | null) => ({ ar: ar ?? '—', en: en ?? '—' });
      /** Rows summed by a key, in the key's order. */
      const aidBy = <K extends string>(key: (r: (typeof aidRows)[number]) => K) => {
        const sums = new Map<
          K,
          { requests: number; granted: number; handedOver: number; row: (typeof aidRows)[number] }
        >();
        for (const r of aidRows) {
          const k = key(r);
          const s = sums.get(k) ?? { requests: 0, granted: 0, handedOver: 0, row: r };
          s.requests += n(r.requests);
          s.granted = Math.round((s.granted + n(r.granted)) * 100) / 100;
          s.handedOver = Math.round((s.handedOver + n(r.handed)) * 100) / 100;
          sums.set(k, s);
        }
        return [...sums.entries()].sort(([a], [b]) => a.localeCompare(b));
      };
      const totals = (s: { requests: number; granted: number; handedOver: number }) => ({
        requests: s.requests,
        granted: s.granted,
        handedOver: s.handedOver,
      });
      return {
        today,
        deadlines: deadlines.map((r) => ({
          branchId: r.branch_id,
          branch: label(r.name_ar, r.name_en),
          onTime: n(r.on_time),
          late: n(r.late),
          open: n(r.open),
          overdue: n(r.overdue),
          withoutDueDate: n(r.without),
        })),
        satisfaction: {
          responses: n(overall?.responses ?? null),
          anonymous: n(overall?.anonymous ?? null),
          mean: mean(overall?.mean ?? null),
          byMonth: byMonth.map((r) => ({ month: r.month, responses: n(r.responses), mean: mean(r.mean) })),
          byBranch: byBranch.map((r) => ({
            branch: label(r.name_ar, r.name_en),
            responses: n(r.responses),
            mean: mean(r.mean),
          })),
          byService: byService.map((r) => ({
            serviceTypeId: r.service,
            responses: n(r.responses),
            mean: mean(r.mean),
          })),
          byRepresentative: byRepresentative.map((r) => ({
            name: r.name ?? '—',
            responses: n(r.responses),
            mean: mean(r.mean),
          })),
          // Every instrument, in the domain's order; one with no answers yet reads as none.
          byMethod: instruments.map((i) => {
            const row = byInstrument.find((r) => instrumentById(r.survey_id)?.method === i.method);
            return { method: i.method, responses: n(row?.responses ?? null), mean: mean(row?.mean ?? null) };
          }),
        },
        complaints: {
          total: complaintRows.reduce((s, r) => s + n(r.total), 0),
          open: complaintRows.reduce((s, r) => s + n(r.open), 0),
          amicable: complaintRows.reduce((s, r) => s + n(r.amicable), 0),
          escalated: complaintRows.reduce((s, r) => s + n(r.escalated), 0),
          medianResponseHours: hours(response?.median ?? null),
          p90ResponseHours: hours(response?.p90 ?? null),
          byKind: complaintRows.map((r) => ({ kind: r.kind, total: n(r.total), open: n(r.open) })),
        },
        sync: {
          conflicts: syncRows.reduce((s, r) => s + n(r.conflicts), 0),
          rejected: syncRows.reduce((s, r) => s + n(r.rejected), 0),
          byEntity: syncRows.map((r) => ({
            entity: r.entity,
            conflicts: n(r.conflicts),
            rejected: n(r.rejected),
          })),
        },
        aid: {
          total: totals(aidBy(() => 'all')[0]?.[1] ?? { requests: 0, granted: 0, handedOver: 0 }),
          byService: aidBy((r) => r.service ?? '—').map(([serviceTypeId, s]) => ({
            serviceTypeId,
            ...totals(s),
          })),
          byBranch: aidBy((r) => r.branch_id ?? '—').map(([, s]) => ({
            branch: label(s.row.name_ar, s.row.name_en),
            ...totals(s),
          })),
          byMonth: aidBy((r) => r.month).map(([month, s]) => ({ month, ...totals(s) })),
        },
        contactOfficers: profile.contactOfficers.map((officer) => {
          const mine = categories.filter(
            (c) => c.category !== null && officer.categories.includes(c.category),
          );
          return {
            id: officer.id,
            title: officer.title,
            beneficiaries: mine.reduce((s, c) => s + n(c.beneficiaries), 0),
            openRequests: mine.reduce((s, c) => s + n(c.open_requests), 0),
          };
        }),
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
