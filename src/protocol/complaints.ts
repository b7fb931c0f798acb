// The public complaint channel (K-CMPL-a): "a direct link on the website". Anyone may complain, suggest,
// ask or ask for support without an account; the follow-up unit receives it like any other complaint, and
// the complainant checks where it stands with the reference number they were given. Nothing said about
// the complaint is ever sent back: the status answer holds only dates and a state.
import * as z from 'zod/mini';
import { complaintStates } from '../domain/complaint-state';
import { complaintKinds, saudiMobileSchema } from './entities';

export { complaintState, complaintStates, type ComplaintState } from '../domain/complaint-state';

export const PUBLIC_COMPLAINTS_PATH = '/api/v1/public/complaints';
/** The public form itself: a small page served by the backend, which works without JavaScript. */
export const COMPLAINT_PAGE_PATH = '/complaints';

/** Submissions one address may make in a window: a household behind one carrier address, not a flood. */
export const PUBLIC_COMPLAINTS_PER_WINDOW = 20;
export const PUBLIC_COMPLAINT_WINDOW_MS = 10 * 60 * 1000;
/** Status checks one address may make in that window. */
export const STATUS_CHECKS_PER_WINDOW = 60;

export const associationCodeSchema = z.string().check(z.regex(/^[a-z][a-z0-9-]{1,30}$/));

/** A reference: the association's prefix and ten characters from an alphabet without look-alikes. */
export const complaintReferenceSchema = z.string().check(z.regex(/^[A-Z]{2,4}-[2-9A-HJ-NP-Z]{10}$/));

export const publicComplaintRequestSchema = z.object({
  association: associationCodeSchema,
  kind: z.enum(complaintKinds),
  text: z.string().check(z.trim(), z.minLength(10), z.maxLength(4000)),
  name: z.optional(z.string().check(z.trim(), z.maxLength(120))),
  mobile: z.optional(saudiMobileSchema),
  /** The complainant read how their data is used (L-CONSENT): the form cannot be sent without it. */
  consent: z.literal(true),
});
export type PublicComplaintRequest = z.infer<typeof publicComplaintRequestSchema>;

export const publicComplaintReceiptSchema = z.object({
  reference: complaintReferenceSchema,
  receivedAt: z.iso.datetime({ offset: true }),
});
export type PublicComplaintReceipt = z.infer<typeof publicComplaintReceiptSchema>;

export const publicComplaintStatusSchema = z.object({
  reference: complaintReferenceSchema,
  state: z.enum(complaintStates),
  receivedAt: z.iso.datetime({ offset: true }),
  answeredAt: z.nullable(z.iso.datetime({ offset: true })),
  resolvedAt: z.nullable(z.iso.datetime({ offset: true })),
});
export type PublicComplaintStatus = z.infer<typeof publicComplaintStatusSchema>;
