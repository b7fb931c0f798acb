// The supervisor's dashboard (issue 7; K-SAT-e/f, C-OBJ-5, K-PROC-f): figures of the whole association,
// counted by the server over every branch, holding no one's personal data. Supervisors and the
// administrator read it; no other role may.
import * as z from 'zod/mini';

export const DASHBOARD_PATH = '/api/v1/dashboard';

const count = z.number().check(z.int(), z.gte(0));
/** A mean on the 1–5 scale, or null with no answers. */
const score = z.nullable(z.number());
const label = z.object({ ar: z.string(), en: z.string() });
/** Riyals, to the halala. */
const riyals = z.number().check(z.gte(0));
const aidTotals = z.object({ requests: count, granted: riyals, handedOver: riyals });

export const dashboardSchema = z.object({
  /** The day the figures were counted for, in Riyadh. */
  today: z.string(),
  /** K-PROC-f, C-PROC-5: requests with a due date, decided on time, late, or still open. */
  deadlines: z.array(
    z.object({
      branchId: z.nullable(z.string()),
      branch: label,
      onTime: count,
      late: count,
      open: count,
      overdue: count,
      /** Requests under a "not before" rule (the common texts): no due date to keep. */
      withoutDueDate: count,
    }),
  ),
  /** C-OBJ-5, K-SAT-a..d: survey answers, scored 1–5, overall and by month, branch, service, representative. */
  satisfaction: z.object({
    responses: count,
    anonymous: count,
    mean: score,
    byMonth: z.array(z.object({ month: z.string(), responses: count, mean: score })),
    byBranch: z.array(z.object({ branch: label, responses: count, mean: score })),
    byService: z.array(z.object({ serviceTypeId: z.string(), responses: count, mean: score })),
    byRepresentative: z.array(z.object({ name: z.string(), responses: count, mean: score })),
    /** K-SAT-a..d: the answers of each instrument (the questionnaire, field survey, visit, interview). */
    byMethod: z.array(
      z.object({
        method: z.enum(['questionnaire', 'fieldSurvey', 'supervisoryVisit', 'interview']),
        responses: count,
        mean: score,
      }),
    ),
  }),
  /** K-CMPL-a..c, K-SAT-e: complaints by kind and state, and how long the first answer took. */
  complaints: z.object({
    total: count,
    open: count,
    amicable: count,
    escalated: count,
    /** Hours from receipt to the first answer: median and 90th percentile of those answered. */
    medianResponseHours: z.nullable(z.number()),
    p90ResponseHours: z.nullable(z.number()),
    byKind: z.array(z.object({ kind: z.string(), total: count, open: count })),
  }),
  /** The sync's health: conflicts stored for review and entries refused, in the last 30 days. */
  sync: z.object({
    conflicts: count,
    rejected: count,
    byEntity: z.array(z.object({ entity: z.string(), conflicts: count, rejected: count })),
  }),
  /**
   * Aid as data (issue 20): accepted requests, the riyals their decisions granted and the riyals handed over,
   * in all and by service, branch and month (of the decision, in Riyadh).
   */
  aid: z.object({
    total: aidTotals,
    byService: z.array(z.object({ serviceTypeId: z.string(), ...aidTotals.shape })),
    byBranch: z.array(z.object({ branch: label, ...aidTotals.shape })),
    byMonth: z.array(z.object({ month: z.string(), ...aidTotals.shape })),
  }),
  /** K-INFO-a, K-SAT-f: each contact officer, the beneficiaries of their categories, their open requests. */
  contactOfficers: z.array(
    z.object({ id: z.string(), title: label, beneficiaries: count, openRequests: count }),
  ),
});
export type Dashboard = z.infer<typeof dashboardSchema>;
