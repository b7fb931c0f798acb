// The policy profile of an association: everything in its policy text that the software follows.
// Profiles are data validated by this schema, so an association's profile can change without code.
import * as z from 'zod/mini';
import { roles } from '../permissions';

const text = z.string().check(z.minLength(1));
const bilingual = z.object({ ar: text, en: text });
const id = z.string().check(z.regex(/^[a-z][a-z0-9_]*$/));

export const channelSchema = z.object({
  id,
  /** The clause that names this channel (C-CH-n or K-CH-x); absent for "other". */
  clause: z.optional(z.string()),
  label: bilingual,
  /** "other": the user types the channel's name (K-CH-h). */
  freeText: z.optional(z.boolean()),
});

/** A file of the association's, stored like an attachment: by the SHA-256 of its bytes. */
export const libraryFileSchema = z.object({
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  mimeType: z.enum(['application/pdf', 'image/jpeg', 'image/png', 'image/webp']),
  size: z.number().check(z.int(), z.positive()),
  fileName: z.string().check(z.minLength(1), z.maxLength(200)),
});

export const toolSchema = z.object({
  id,
  /** The clause that names this tool; absent for a document the association added. Never shown to users. */
  clause: z.optional(z.string()),
  label: bilingual,
  kind: z.enum(['reference', 'form']),
  /** The association's own copy of the document, uploaded by its administrator; absent until then. */
  document: z.optional(libraryFileSchema),
});

export const requirementSchema = z.object({
  id,
  kind: z.enum(['field', 'document']),
  label: bilingual,
});

export const serviceTypeSchema = z.object({
  id,
  label: bilingual,
  /** The "criteria and requirements" shown to the beneficiary (K-PROC-b), in the association's words. */
  criteria: z.array(bilingual),
  /** Only what this service needs (L-MIN). */
  requirements: z.array(requirementSchema),
});

export const procedureStepSchema = z.object({
  id: z.enum([
    'reception',
    'requirements',
    'completeness',
    'verification',
    'referral',
    'declaration',
    'submission',
    'registration',
    'delivery',
  ]),
  clause: z.string(),
  label: bilingual,
  optional: z.optional(z.boolean()),
});

export const deadlineRuleSchema = z.union([
  z.object({
    kind: z.literal('notBefore'),
    calendarDays: z.number().check(z.int(), z.positive()),
    from: z.literal('submission'),
  }),
  z.object({
    kind: z.literal('dueWithin'),
    workingDays: z.number().check(z.int(), z.positive()),
    from: z.literal('completion'),
  }),
]);

/**
 * K-INFO-a: a contact officer per beneficiary category (and per domain of the association's work). The
 * profile names the office; the person and the number are the association's to fill in (its admin).
 */
export const contactOfficerSchema = z.object({
  id,
  categories: z.array(id).check(z.minLength(1)),
  title: bilingual,
  domain: z.optional(bilingual),
  /** The person, their number and their hours: the association's to fill in, shown on the receipt. */
  name: z.optional(text),
  phone: z.optional(z.string().check(z.regex(/^\+?[0-9 ]{3,20}$/))),
  hours: z.optional(bilingual),
});

export const profileSchema = z.object({
  code: z.string().check(z.regex(/^[a-z][a-z0-9-]{1,31}$/)),
  name: bilingual,
  policy: z.object({
    title: bilingual,
    version: text,
    /** C-APPROVAL: the board meeting that approved the text; null where the text does not record it. */
    approval: z.nullable(
      z.object({ meeting: text, date: z.nullable(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))) }),
    ),
    /**
     * Where the text came from (the seed file); a copy is in ./texts/, read in full in the library. Absent
     * for an association whose text is not one of the seeds.
     */
    source: z.optional(text),
  }),
  channels: z.array(channelSchema).check(z.minLength(1)),
  tools: z.array(toolSchema),
  /** The form at the heart of intake: "طلب دعم مستفيد" (C-TOOL-4) or "نموذج طلب خدمة" (K-TOOL-e). */
  requestForm: bilingual,
  /** Who decides: the research committee (C-PROC-5) or the competent administrative unit (K-PROC-e). */
  decidingBody: bilingual,
  procedure: z.array(procedureStepSchema),
  declaration: bilingual,
  deadlineRule: deadlineRuleSchema,
  /** How the reply rule is explained to the beneficiary, in the policy's own words. */
  deadlineText: bilingual,
  categories: z.array(z.object({ id, label: bilingual })).check(z.minLength(1)),
  /** K-INFO-a: empty where the text has no contact-officer chapter. */
  contactOfficers: z.array(contactOfficerSchema),
  serviceTypes: z.array(serviceTypeSchema).check(z.minLength(1)),
  chapters: z.object({
    compensation: z.boolean(),
    complaints: z.boolean(),
    contactOfficers: z.boolean(),
    satisfactionMethods: z.array(
      z.enum([
        'questionnaire',
        'fieldSurvey',
        'supervisoryVisit',
        'interview',
        'complaintsOversight',
        'contactOfficerOversight',
      ]),
    ),
    staffSignOff: z.boolean(),
  }),
  /** L-SENSITIVE: fields restricted to the roles listed. */
  sensitive: z.object({
    fields: z.array(id),
    roles: z.array(z.enum(roles)),
  }),
  /**
   * L-RETAIN: how many years each record type is kept after the last activity in its beneficiary's file
   * (its own last change, for a record in no file), while no case of that file is open. A record type not
   * listed is kept: it holds no beneficiary's data. Entities are named as on the wire (protocol/entity-names;
   * the profiles' test checks every name).
   */
  retention: z.array(z.object({ entity: id, years: z.number().check(z.int(), z.positive(), z.lte(100)) })),
  /**
   * L-CONSENT: the association's privacy notice, versioned; absent, the starting text of
   * domain/privacy-notice.ts. A new version asks each beneficiary for fresh consent at their next request.
   */
  privacyNotice: z.optional(
    z.object({ version: z.string().check(z.regex(/^[0-9A-Za-z.-]{1,40}$/)), text: bilingual }),
  ),
  /** The clause ids of the text this profile implements. */
  clauses: z.array(z.string()).check(z.minLength(1)),
});

export type PolicyProfile = z.infer<typeof profileSchema>;
export type ServiceType = z.infer<typeof serviceTypeSchema>;
export type Channel = z.infer<typeof channelSchema>;
export type ContactOfficer = z.infer<typeof contactOfficerSchema>;
export type LibraryFile = z.infer<typeof libraryFileSchema>;

/** The required item ids of a service type, or undefined for an unknown service. */
export function requiredItemsOf(
  profile: PolicyProfile,
  serviceTypeId: string,
): readonly string[] | undefined {
  return profile.serviceTypes.find((s) => s.id === serviceTypeId)?.requirements.map((r) => r.id);
}
