// The supervisor's dashboard (src/protocol/dashboard.ts): the association's figures, counted in SQL over
// every branch's records, returned as counts and means only. Supervisors and the administrator read it.
import { openStatuses } from '../../src/domain/permissions';
import { instrumentById, instruments } from '../../src/domain/surveys';
import { riyadhDate } from '../../src/domain/working-days';
import type { Dashboard } from '../../src/protocol/dashboard';
import type { Queryable } from '../store/db';
import * as dash from '../store/dashboard-store';
import type { AuthContext } from './auth-service';
import { ServiceError } from './errors';
import { mayReadDashboard } from './policy';
import { profileOfAssociation } from './records';

type Num = string | number | null;
const n = (v: Num) => (v === null ? 0 : Number(v));
const mean = (v: Num) => (v === null ? null : Math.round(Number(v) * 100) / 100);
const hours = (v: Num) => (v === null ? null : Math.round(Number(v) * 10) / 10);

export function createDashboardService(deps: { db: Queryable; now: () => number }) {
  const { db, now } = deps;
  return {
    async read(caller: AuthContext): Promise<Dashboard> {
      const denial = mayReadDashboard(caller);
      if (denial !== null) throw new ServiceError(denial.code, denial.message);
      const aid = caller.aid;
      const today = riyadhDate(now());
      const profile = await profileOfAssociation(db, aid);

      const deadlines = await dash.caseDeadlines(db, aid, today);

      const overall = (await dash.satisfactionOverall(db, aid))[0];
      const byMonth = await dash.satisfactionByMonth(db, aid);
      const byBranch = await dash.satisfactionByBranch(db, aid);
      const byService = await dash.satisfactionByService(db, aid);
      // K-SAT-a..d: every instrument's answers, by method (the questionnaire, field survey, visit, interview).
      const byInstrument = await dash.answersByInstrument(db, aid);
      // The member of staff whose device took the answer: the one who handed the tablet over.
      const byRepresentative = await dash.satisfactionByRepresentative(db, aid);

      const complaintRows = await dash.complaintsByKind(db, aid);
      const response = (await dash.complaintResponseHours(db, aid))[0];

      const since = new Date(now() - 30 * 24 * 60 * 60 * 1000);
      const syncRows = await dash.syncProblemsByEntity(db, aid, since);

      // Each category's beneficiaries and their open requests (submitted and not yet served or closed).
      const categories = await dash.categoryCounts(db, aid, openStatuses);

      // Aid as data: what accepted decisions granted and deliveries handed over, per service, branch, month.
      const aidRows = await dash.aidGranted(db, aid);
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
