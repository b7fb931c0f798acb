// The server's side of a request's named steps (docs/named-steps.md): the context the case machine runs in,
// built from what the server holds and never from what a device says — the association's profile and holiday
// table, the signed-in user and role as the actor, the server's clock, and the facts of the records around
// the request (src/domain/case-facts.ts) read from its own tables, this push's earlier changes included.
import { createHash } from 'node:crypto';
import { gatherFacts, type CaseFiles } from '../../src/domain/case-facts';
import {
  openRequest,
  transition,
  type CaseContext,
  type CaseEvent,
  type Request,
  type TransitionResult,
} from '../../src/domain/case-machine';
import { holidayTable } from '../../src/domain/holidays';
import { requiredItemsOf, type PolicyProfile } from '../../src/domain/profiles/profile';
import { riyadhDate } from '../../src/domain/working-days';
import type { EntityName } from '../../src/protocol/entities';
import type { AuthContext } from './auth-service';

type Data = Record<string, unknown>;

/** What the step needs to read: a record by id, and the live records naming a parent in a field. */
export interface RecordReader {
  data(entity: EntityName, id: string): Promise<Data | null>;
  children(
    entity: EntityName,
    field: 'caseId' | 'beneficiaryId',
    parentId: string,
  ): Promise<{ id: string; data: Data }[]>;
  /** The dates of the association's own holiday records. */
  holidays(): Promise<string[]>;
  /** The active researchers of this branch: those a request of it may be referred to by name. */
  researchers(branchId: string | null): Promise<string[]>;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The records a step of request `caseId` is judged against, as the server holds them now. */
async function filesOf(reader: RecordReader, caseId: string, request: Request): Promise<CaseFiles> {
  const beneficiaryId = request.beneficiaryId;
  // One after the other: they share the push's transaction, whose connection takes one query at a time.
  const beneficiary = await reader.data('beneficiary', beneficiaryId);
  const members = await reader.children('household_member', 'beneficiaryId', beneficiaryId);
  const attachments = await reader.children('attachment', 'caseId', caseId);
  const reports = await reader.children('research_report', 'caseId', caseId);
  const notifications = await reader.children('notification', 'caseId', caseId);
  // As the device sees them: the request's records that hang on its beneficiary (their parent on the device).
  const theirs = (r: { data: Data }) => r.data.beneficiaryId === beneficiaryId;
  return {
    request,
    beneficiary,
    members,
    attachments: attachments.filter(theirs).map((a) => a.data),
    reports,
    notifications: notifications.filter(theirs),
  };
}

export interface StepDeps {
  auth: AuthContext;
  /** The profile version the request follows (for `opened`: the one in force). */
  profile: PolicyProfile;
  profileVersion: number;
  /** The version of the privacy notice in force (the current profile's). */
  noticeVersion: string;
  /** The server's clock (epoch ms). */
  now: number;
  /** The request's own branch, as the server holds it (a named referral goes to its researchers). */
  branchId?: string | null;
}

/** The case machine's context for a step on `request`, built by the server alone. */
export async function serverContext(
  reader: RecordReader,
  { auth, profile, noticeVersion, now, branchId }: StepDeps,
  caseId: string,
  request: Request,
  referralTo?: string,
): Promise<CaseContext> {
  const today = riyadhDate(now);
  const files = await filesOf(reader, caseId, request);
  const added = await reader.holidays();
  const service = profile.serviceTypes.find((s) => s.id === request.serviceTypeId);
  // Consent is to the notice in force now, whichever version of the profile the request follows.
  const facts = gatherFacts(files, service?.requirements ?? [], noticeVersion);
  return {
    now: new Date(now).toISOString(),
    today,
    holidays: holidayTable(today, added),
    deadlineRule: profile.deadlineRule,
    requiredItems: (serviceTypeId) => requiredItemsOf(profile, serviceTypeId),
    facts: { ...facts, dataHash: sha256(facts.declared) },
    actor: { id: auth.sub, role: auth.role },
    // Read only for a named referral: who may be named is the server's list of the researchers of the
    // request's own branch, never the device's.
    ...(referralTo === undefined ? {} : { researchers: await reader.researchers(branchId ?? null) }),
  };
}

/**
 * Runs one named step on the request the server holds (null: none yet, which only `opened` may create), with
 * the context above: the same function the device ran, and only its answer is kept.
 */
export async function runStep(
  reader: RecordReader,
  deps: StepDeps,
  caseId: string,
  current: Request | null,
  event: CaseEvent,
): Promise<TransitionResult<Request>> {
  if (event.type === 'opened') {
    if (current !== null) return { ok: false, code: 'case_already_opened' };
    return openRequest(caseId, event, {
      actor: { id: deps.auth.sub, role: deps.auth.role },
      today: riyadhDate(deps.now),
      profileVersion: deps.profileVersion,
    });
  }
  if (current === null) return { ok: false, code: 'case_not_opened' };
  const named = event.type === 'referred' ? event.to : undefined;
  return transition(current, event, await serverContext(reader, deps, caseId, current, named));
}
