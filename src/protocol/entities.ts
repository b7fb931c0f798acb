// The records Wasel keeps and syncs, as zod/mini schemas shared by the app, the service worker and the
// server. Field rules call the domain's validators, so both sides reject exactly the same input.
import * as z from 'zod/mini';
import { caseStatuses } from '../domain/case-machine';
import { complaintKinds } from '../domain/complaint-state';
import { checkNationalAddress } from '../domain/national-address';
import { checkNationalId } from '../domain/national-id';
import { normalizeSaudiMobile } from '../domain/phone';
import { toDayNumber } from '../domain/working-days';
import { attachmentMimeTypes, MAX_ATTACHMENT_BYTES, sha256Schema } from './attachments';
import { roleSchema } from './auth';
import { entityNames, type EntityName } from './entity-names';

const uuid = z.uuid();
/** The longest full name a record takes (the forms show it). */
export const FULL_NAME_MAX = 250;
const text = (max = 500) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const optionalText = (max = 2000) => z.optional(z.string().check(z.maxLength(max)));
const instant = z.iso.datetime({ offset: true });

/** A calendar date, YYYY-MM-DD, that exists. */
export const isoDateSchema = z.string().check(
  z.refine((s) => {
    try {
      toDayNumber(s);
      return true;
    } catch {
      return false;
    }
  }, 'date_invalid'),
);

/** A valid national ID or iqama, stored in 0-9 digits without spaces (forms normalise before saving). */
export const nationalIdSchema = z.string().check(
  z.refine(
    (s) => {
      const result = checkNationalId(s);
      return result.ok && result.value === s;
    },
    {
      error: (issue) => {
        const result = checkNationalId(String(issue.input));
        return result.ok ? 'national_id_not_normalized' : result.code;
      },
    },
  ),
);

/** Stored as E.164; anything libphonenumber-js would not normalise to itself is refused. */
export const saudiMobileSchema = z
  .string()
  .check(z.refine((s) => normalizeSaudiMobile(s) === s, 'phone_not_saudi_mobile_e164'));

export const nationalAddressSchema = z
  .object({
    buildingNumber: z.string(),
    street: z.string(),
    district: z.string(),
    city: z.string(),
    postalCode: z.string(),
    additionalNumber: z.string(),
    shortAddress: z.optional(z.string()),
  })
  .check(z.refine((a) => checkNationalAddress(a).ok, 'address_invalid'));

// Records are the data of a mutation or change: the record id, association and server version travel in
// the envelope (src/protocol/sync.ts), not in the record.

export const associationSchema = z.object({
  id: uuid,
  code: z.string(),
  nameAr: text(200),
  nameEn: text(200),
  profileCode: z.string(),
});
export const branchSchema = z.object({
  id: uuid,
  associationId: uuid,
  code: z.string(),
  nameAr: text(200),
  nameEn: text(200),
});
export const userSchema = z.object({
  id: uuid,
  associationId: uuid,
  branchId: z.nullable(uuid),
  username: z.string(),
  name: text(200),
  role: roleSchema,
});

/** The longest part of a four-part name (the forms show it). */
export const NAME_PART_MAX = 60;

/** The four-part Arabic name: given name, father, grandfather, family. */
export const fourPartNameSchema = z.object({
  first: text(NAME_PART_MAX),
  father: text(NAME_PART_MAX),
  grandfather: text(NAME_PART_MAX),
  family: text(NAME_PART_MAX),
});

/** L-CONSENT: who consented to which version of the privacy notice, when, recorded by whom. */
export const consentSchema = z.object({
  noticeVersion: text(40),
  givenAt: instant,
  recordedBy: uuid,
  /** Given by the head of household for the family's data. */
  viaHeadOfHousehold: z.boolean(),
});

/**
 * A person registered by the association. On the wire only the branch, full name, national ID and mobile are
 * required; completeness is enforced when a request is submitted (C-PROC-2), not when a person is registered.
 */
export const beneficiarySchema = z.object({
  branchId: uuid,
  fullName: text(FULL_NAME_MAX),
  nationalId: nationalIdSchema,
  mobile: saudiMobileSchema,
  /**
   * K-PROC-e: an e-mail address, for those whose agreed channel is e-mail; null once removed. A plain
   * pattern rather than z.email(): that check's code would land in the zod chunk the first screen loads.
   */
  email: z.optional(z.nullable(z.string().check(z.maxLength(254), z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/)))),
  name: z.optional(fourPartNameSchema),
  /** The last correction of the national ID: from what, why, by whom, when (the record's history keeps each). */
  idCorrection: z.optional(z.object({ from: nationalIdSchema, reason: text(500), by: uuid, at: instant })),
  idExpiry: z.optional(isoDateSchema),
  birthDate: z.optional(isoDateSchema),
  nationality: z.optional(text(60)),
  gender: z.optional(z.enum(['male', 'female'])),
  address: z.optional(z.nullable(nationalAddressSchema)),
  /** A channel id of the profile (K-PROC-e); "other" needs its name. */
  preferredChannel: z.optional(z.string()),
  preferredChannelOther: optionalText(120),
  category: z.optional(z.string()),
  /** The household's monthly income in riyals (the "monthly income" requirement of a service). */
  monthlyIncome: z.optional(z.number().check(z.gte(0), z.lte(10_000_000))),
  consent: z.optional(consentSchema),
  /** C-GOAL, C-OBJ-4: the next home visit planned, for the representative's worklist. */
  nextVisitOn: z.optional(z.nullable(isoDateSchema)),
  /** Sensitive fields of the profile (L-SENSITIVE), by field id; restricted by role. */
  sensitive: z.optional(z.record(z.string(), z.string().check(z.maxLength(4000)))),
});
export type Beneficiary = z.infer<typeof beneficiarySchema>;

export const householdMemberSchema = z.object({
  beneficiaryId: uuid,
  name: fourPartNameSchema,
  relation: z.enum(['spouse', 'son', 'daughter', 'father', 'mother', 'brother', 'sister', 'other']),
  birthDate: isoDateSchema,
  nationalId: z.optional(nationalIdSchema),
  monthlyIncome: z.optional(z.number().check(z.gte(0))),
  /** L-CONSENT: a family member's data collected through the head of household is flagged. */
  collectedViaHead: z.boolean(),
});

const stamp = { at: instant, by: uuid };

/** Aid granted or handed over: an amount in riyals (to the halala) and/or the items (issue 20). */
const aid = z.object({
  amount: z.optional(z.number().check(z.positive(), z.lte(1_000_000))),
  items: z.optional(text(500)),
});

export const caseSchema = z.object({
  beneficiaryId: uuid,
  number: text(40),
  status: z.enum(caseStatuses),
  serviceTypeId: z.nullable(z.string()),
  reception: z.nullable(z.object(stamp)),
  requirementsShared: z.nullable(z.object(stamp)),
  providedItems: z.array(z.string()),
  verification: z.nullable(z.object({ ...stamp, problems: z.array(z.string()) })),
  referral: z.nullable(z.object({ ...stamp, reason: text(1000), to: z.optional(uuid) })),
  declaration: z.nullable(
    z.object({
      ...stamp,
      dataHash: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
      signatureHash: sha256Schema,
      signerName: text(200),
    }),
  ),
  exception: z.nullable(z.object({ ...stamp, reason: text(1000), missingItems: z.array(z.string()) })),
  submittedAt: z.nullable(isoDateSchema),
  completedAt: z.nullable(isoDateSchema),
  deadline: z.nullable(z.object({ kind: z.enum(['notBefore', 'dueBy']), date: isoDateSchema })),
  researchReportId: z.nullable(uuid),
  decision: z.nullable(
    z.object({
      ...stamp,
      outcome: z.enum(['accepted', 'rejected']),
      reason: text(2000),
      grant: z.optional(aid),
    }),
  ),
  delivery: z.nullable(z.object({ ...stamp, description: z.string(), handedOver: z.optional(aid) })),
  closedAt: z.nullable(instant),
  /** A draft given up before submission, by whom and why. */
  discarded: z.optional(z.nullable(z.object({ ...stamp, reason: text(1000) }))),
  /** K-PROC-e: the decision was told to the beneficiary, through this channel, by this notification. */
  decisionTold: z.optional(z.nullable(z.object({ ...stamp, channel: z.string(), notificationId: uuid }))),
  /** C-PROC-4: the declared data, frozen at submission (the canonical text its declaration's hash covers). */
  declared: z.optional(z.nullable(z.string().check(z.maxLength(200_000)))),
  /** The profile version the request was opened under (the server's, at `opened`). */
  profileVersion: z.optional(z.number().check(z.int(), z.positive())),
});
export type Case = z.infer<typeof caseSchema>;

/** A contact with a beneficiary by a channel (C-CH, K-CH); append-only. */
export const interactionSchema = z.object({
  beneficiaryId: uuid,
  channel: z.string(),
  summary: text(4000),
  occurredAt: instant,
  channelOther: optionalText(120),
  caseId: z.optional(z.nullable(uuid)),
  direction: z.optional(z.enum(['incoming', 'outgoing'])),
  kind: z.optional(z.enum(['inquiry', 'visit', 'call', 'message', 'notification', 'support'])),
  /** C-OBJ-3: the answer given to an inquiry. */
  answer: optionalText(4000),
  /** When to follow up with the beneficiary, if at all. */
  followUpOn: z.optional(isoDateSchema),
  by: z.optional(uuid),
});

/** A document photo or a signature, stored and sent once, by the SHA-256 of its bytes. */
export const attachmentSchema = z.object({
  sha256: sha256Schema,
  kind: z.enum(['document', 'signature']),
  mimeType: z.enum(attachmentMimeTypes),
  size: z.number().check(z.int(), z.positive(), z.lte(MAX_ATTACHMENT_BYTES)),
  beneficiaryId: z.nullable(uuid),
  caseId: z.nullable(uuid),
  requirementId: z.nullable(z.string()),
});

export const researchReportSchema = z.object({
  caseId: uuid,
  visitDate: isoDateSchema,
  findings: text(8000),
  needs: text(8000),
  recommendation: z.enum(['accept', 'reject', 'more_information']),
  by: uuid,
});

export const decisionSchema = z.object({
  caseId: uuid,
  outcome: z.enum(['accepted', 'rejected']),
  reason: text(4000),
  decidedAt: instant,
  by: uuid,
  /** What an acceptance grants, as on the request's decision. */
  grant: z.optional(aid),
});

/** A status update to the beneficiary through the agreed channel (K-PROC-e). */
export const notificationSchema = z.object({
  beneficiaryId: uuid,
  caseId: z.nullable(uuid),
  channel: z.string(),
  text: text(4000),
  sentAt: instant,
  by: uuid,
  /** How it went, as the user confirmed: through WhatsApp, an SMS, a call, an e-mail, or in person. */
  method: z.optional(z.enum(['whatsapp', 'sms', 'call', 'email', 'in_person'])),
  /** What it told: the decision (the default), or the receipt, which does not tell a decision. */
  purpose: z.optional(z.enum(['decision', 'receipt'])),
});

export const complaintSchema = z.object({
  reference: text(40),
  beneficiaryId: z.nullable(uuid),
  /** K-CMPL-a: the channel it came by, the public web form ('public_form') included. */
  channel: z.string(),
  /** K-CMPL-b: inquiries and technical support are tickets of the same kind. */
  kind: z.enum(complaintKinds),
  text: text(8000),
  receivedAt: instant,
  firstResponseAt: z.nullable(instant),
  resolution: z.nullable(
    z.object({ ...stamp, outcome: z.enum(['amicable', 'escalated']), summary: text(4000) }),
  ),
  /** Who to answer, when the complainant is no beneficiary on file (the public form): both optional. */
  complainant: z.optional(
    z.nullable(z.object({ name: optionalText(120), mobile: z.optional(saudiMobileSchema) })),
  ),
  /** K-CMPL-a: the follow-up unit's handling, in order: each reply or step, by whom, when. */
  handling: z.optional(z.array(z.object({ ...stamp, note: text(4000) }))),
  /** K-COMP: the compensation case opened when the complaint was escalated. */
  compensationId: z.optional(z.nullable(uuid)),
});
export type Complaint = z.infer<typeof complaintSchema>;

/**
 * K-COMP-a..c: the compensation case of an escalated complaint: the dated minutes of the investigation and
 * follow-up committee (the harm, its size and causes, each member's approval; none until it has met), a
 * judicial or final ruling where needed, the negotiation with the beneficiary, the settlement.
 */
export const compensationSchema = z.object({
  complaintId: uuid,
  minutes: z.nullable(
    z.object({
      date: isoDateSchema,
      harm: text(4000),
      size: text(1000),
      causes: text(4000),
      approvals: z.array(z.object({ memberName: text(200), approvedAt: instant })),
    }),
  ),
  rulingReference: optionalText(200),
  negotiation: z.array(z.object({ at: instant, note: text(4000) })),
  settlement: z.nullable(z.object({ at: instant, terms: text(4000) })),
});
export type Compensation = z.infer<typeof compensationSchema>;

export const surveySchema = z.object({
  method: z.enum(['questionnaire', 'fieldSurvey', 'supervisoryVisit', 'interview']),
  titleAr: text(200),
  titleEn: text(200),
  questions: z.array(
    z.object({
      id: z.string(),
      textAr: text(500),
      textEn: text(500),
      scale: z.enum(['1-5', 'yes-no', 'text']),
    }),
  ),
});

export const surveyResponseSchema = z.object({
  surveyId: uuid,
  caseId: z.nullable(uuid),
  branchId: uuid,
  /** C-OBJ-6: anonymous responses name no beneficiary, nor the request (which would name them). */
  beneficiaryId: z.nullable(uuid),
  /** The service evaluated: kept when the request is not, for results per service (C-OBJ-5). */
  serviceTypeId: z.optional(z.nullable(z.string())),
  answers: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  at: instant,
  /**
   * C-OBJ-6: the one-time ballot issued when the request was delivered; spent by the server, never stored with
   * the answer (docs/named-steps.md, "Satisfaction").
   */
  ballot: z.optional(uuid),
});

/** K-RESP: a user read and signed a version of the policy. */
export const policyAcknowledgementSchema = z.object({
  userId: uuid,
  policyVersion: text(40),
  signedAt: instant,
  signatureHash: sha256Schema,
});
export type PolicyAcknowledgement = z.infer<typeof policyAcknowledgementSchema>;

export const holidaySchema = z.object({
  date: isoDateSchema,
  kind: z.enum(['eid_al_fitr', 'eid_al_adha', 'founding_day', 'national_day', 'other']),
  nameAr: text(120),
  nameEn: text(120),
});

/** Every entity the sync protocol carries, by its name on the wire (lower-case singular). */
export const entitySchemas = {
  beneficiary: beneficiarySchema,
  household_member: householdMemberSchema,
  case: caseSchema,
  interaction: interactionSchema,
  attachment: attachmentSchema,
  research_report: researchReportSchema,
  decision: decisionSchema,
  notification: notificationSchema,
  complaint: complaintSchema,
  compensation: compensationSchema,
  survey: surveySchema,
  survey_response: surveyResponseSchema,
  policy_acknowledgement: policyAcknowledgementSchema,
  holiday: holidaySchema,
} as const satisfies Record<EntityName, unknown>;
export { complaintKinds, entityNames, type EntityName };
