// What the records around a request say, for the case machine's guards: which required items are on record,
// whether the beneficiary consented to the current privacy notice, what they would declare, which signature
// images, research reports and notifications the request has. The device gathers the records from IndexedDB
// and the server from its tables; both hand them to this one function, so both judge a step on the same facts.
// The SHA-256 of the declared text is each side's to compute (Web Crypto, node:crypto): the domain has none.
import { declaredData } from './declaration';
import { verifyApplicant } from './verification';
import type { IsoDate } from './working-days';

type Data = Readonly<Record<string, unknown>>;

/** The records a request's steps are judged against. */
export interface CaseFiles {
  request: { serviceTypeId: string | null; providedItems: readonly string[] };
  /** The beneficiary's record as held (null if none). */
  beneficiary: Data | null;
  /** Their household members, by record id. */
  members: readonly { id: string; data: Data }[];
  /** The attachment records of this request (document photos, signature images). */
  attachments: readonly Data[];
  /** The research reports of this request, by record id. */
  reports: readonly { id: string }[];
  /** The notifications of this request, by record id. */
  notifications: readonly { id: string; data: Data }[];
}

export interface CaseFacts {
  /** The service's required items that the records hold: a document photographed, a field recorded. */
  onRecord: readonly string[];
  /** L-CONSENT: consent to the current version of the privacy notice is recorded. */
  consent: boolean;
  /** What verification checks (C-PROC-2), from the beneficiary's record. */
  applicant: { nationalId: string; idExpiry: IsoDate | null; mobile: string };
  /** The canonical text the beneficiary declares (declaration.ts), and its SHA-256. */
  declared: string;
  dataHash: string;
  /** SHA-256 of the signature images recorded for this request. */
  signatures: readonly string[];
  reports: readonly string[];
  /** `receipt`: the receipt sent to the beneficiary, which does not tell them a decision. */
  notifications: readonly { id: string; channel: string; receipt: boolean }[];
}

/** A requirement of the chosen service, as the profile names it. */
export interface RequirementRef {
  id: string;
  kind: 'field' | 'document';
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Is a field requirement on record? The fields the profiles name, each read from where the intake records it.
 * A field this function does not know is a confirmation by the employee (it counts as on record).
 */
export function fieldOnRecord(id: string, files: Pick<CaseFiles, 'beneficiary' | 'members'>): boolean {
  const b = files.beneficiary ?? {};
  switch (id) {
    case 'national_id':
      return str(b.nationalId) !== '';
    case 'mobile':
      return str(b.mobile) !== '';
    case 'national_address':
      return typeof b.address === 'object' && b.address !== null;
    case 'household':
      return files.members.length > 0;
    case 'monthly_income':
      return (
        typeof b.monthlyIncome === 'number' ||
        files.members.some((m) => typeof m.data.monthlyIncome === 'number')
      );
    default:
      return true;
  }
}

/** Everything but the hash of the declared text, which the caller computes from `declared`. */
export function gatherFacts(
  files: CaseFiles,
  requirements: readonly RequirementRef[],
  noticeVersion: string,
): Omit<CaseFacts, 'dataHash'> {
  const b = files.beneficiary ?? {};
  const documents = new Set(
    files.attachments.filter((a) => a.kind === 'document').map((a) => str(a.requirementId)),
  );
  const consent = b.consent as { noticeVersion?: unknown } | undefined | null;
  return {
    onRecord: requirements
      .filter((r) => (r.kind === 'document' ? documents.has(r.id) : fieldOnRecord(r.id, files)))
      .map((r) => r.id),
    consent: consent?.noticeVersion === noticeVersion,
    applicant: {
      nationalId: str(b.nationalId),
      idExpiry: str(b.idExpiry) === '' ? null : str(b.idExpiry),
      mobile: str(b.mobile),
    },
    declared: declaredData({ beneficiary: b, members: files.members, request: files.request }),
    signatures: files.attachments.filter((a) => a.kind === 'signature').map((a) => str(a.sha256)),
    reports: files.reports.map((r) => r.id),
    notifications: files.notifications.map((n) => ({
      id: n.id,
      channel: str(n.data.channel),
      receipt: n.data.purpose === 'receipt',
    })),
  };
}

export const VerificationMissing = { idExpiry: 'id_expiry_missing' } as const;

/** C-PROC-2: the problems verification finds in the beneficiary's record today (none: it passes). */
export function verifyFacts(facts: Pick<CaseFacts, 'applicant'>, today: IsoDate): string[] {
  const { idExpiry, ...rest } = facts.applicant;
  if (idExpiry === null)
    return [VerificationMissing.idExpiry, ...verifyApplicant({ ...rest, idExpiry: today }, today)];
  return verifyApplicant({ ...rest, idExpiry }, today);
}
