// Helpers for tests that take requests through their named steps over HTTP, as a device (honest or modified)
// would: clients with their own seq, the records a request rests on, and the facts a device computes.
import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { gatherFacts, type CaseFiles } from '../../src/domain/case-facts';
import { requestNumber, type CaseEvent } from '../../src/domain/case-machine';
import { privacyNotice } from '../../src/domain/privacy-notice';
import { profileOf } from '../../src/domain/profiles/associations';
import type { IsoDate } from '../../src/domain/working-days';
import { loginResponseSchema } from '../../src/protocol/auth';
import { pushResponseSchema, type Mutation, type PushResult } from '../../src/protocol/sync';
import { jsonRequest, type useKadiTestApp } from './helpers';

type Env = ReturnType<typeof useKadiTestApp>;
type Data = Record<string, unknown>;

/**
 * What a step client needs of a server: a way to send it a request (the in-process app, or fetch to a real
 * process), a signed-in user's token, and the branch ids; and its clock, for a test that moves it.
 */
export interface StepServer {
  app: { request(path: string, init?: RequestInit): Response | Promise<Response> };
  tokenOf(username: string): Promise<string>;
  branch: Record<string, string>;
  server?: { clock: { now(): number } };
}

export const kadi = (() => {
  const profile = profileOf('kadi');
  if (profile === undefined) throw new Error('no kadi profile');
  return profile;
})();

/** The required items of Kadi's aid request, in the profile's order. */
export const AID_ITEMS: readonly string[] =
  kadi.serviceTypes.find((s) => s.id === 'aid')?.requirements.map((r) => r.id) ?? [];

/** The server's "today" in the test clock (2026-11-22, a Sunday, in Riyadh). */
export const TODAY = '2026-11-22';

/** A seeded user (password correct-horse) signed in afresh at the server's clock as it stands now. */
export async function signIn(env: StepServer, username: string): Promise<{ token: string; userId: string }> {
  const response = await env.app.request(
    '/api/v1/auth/login',
    jsonRequest({ username, password: 'correct-horse', deviceId: randomUUID(), deviceName: 'test' }),
  );
  expect(response.status).toBe(200);
  const body = loginResponseSchema.parse(await response.json());
  return { token: body.accessToken, userId: body.user.id };
}

/**
 * Moves the server's clock, forward or back, to 11:00 in Riyadh (08:00 UTC, the hour the test clock starts
 * at) on `date`; `setServerDate(env, TODAY)` puts it back where the file's clock started.
 */
export function setServerDate(env: Env, date: IsoDate): void {
  const clock = env.server.clock;
  clock.advance(Date.parse(`${date}T08:00:00Z`) - clock.now());
}

/**
 * A client of one user: its id, its next seq, and pushes that return the results. A `clocked` client is for a
 * test that moves the server's clock: it signs in afresh when the clock has moved (a token lasts 15 minutes of
 * that clock, and env.tokenOf keeps its tokens for the whole file) and dates its mutations by that clock.
 */
export function stepClient(env: StepServer, username: string, options: { clocked?: boolean } = {}) {
  const clock = () => {
    if (env.server === undefined) throw new Error('a clocked client needs the test server’s clock');
    return env.server.clock.now();
  };
  const clientId = randomUUID();
  // Numbered when pushed, so that a test may push any part of what it built, in order, without a gap.
  let sent = 0;
  let session: { token: string; at: number } | undefined;
  const tokenNow = async (): Promise<string> => {
    if (options.clocked !== true) return env.tokenOf(username);
    const now = clock();
    if (session === undefined || now < session.at || now - session.at > 10 * 60 * 1000)
      session = { token: (await signIn(env, username)).token, at: now };
    return session.token;
  };
  let last: { clientId: string; mutations: Mutation[] } | undefined;
  const send = async (body: { clientId: string; mutations: Mutation[] }): Promise<PushResult[]> => {
    const response = await env.app.request('/api/v1/sync/push', jsonRequest(body, await tokenNow()));
    expect(response.status).toBe(200);
    return pushResponseSchema.parse(await response.json()).results;
  };
  const base = (entity: Mutation['entity'], recordId: string, baseVersion: number) => ({
    id: randomUUID(),
    seq: 0,
    entity,
    recordId,
    baseVersion,
    at: options.clocked === true ? new Date(clock()).toISOString() : '2026-11-22T09:00:00+03:00',
  });
  return {
    username,
    upsert: (entity: Mutation['entity'], recordId: string, patch: Data, baseVersion = 0): Mutation => ({
      ...base(entity, recordId, baseVersion),
      op: 'upsert',
      patch,
    }),
    remove: (entity: Mutation['entity'], recordId: string, baseVersion: number): Mutation => ({
      ...base(entity, recordId, baseVersion),
      op: 'delete',
      patch: {},
    }),
    step: (caseId: string, event: CaseEvent, patch: Data = {}): Mutation => ({
      ...base('case', caseId, 0),
      op: 'event',
      event,
      patch,
    }),
    async push(mutations: Mutation[]): Promise<PushResult[]> {
      last = { clientId, mutations: mutations.map((m) => ({ ...m, seq: (sent += 1) })) };
      return send(last);
    },
    /** The last push sent again as it was, as a device does when the answer to it was lost. */
    async pushAgain(): Promise<PushResult[]> {
      if (last === undefined) throw new Error('nothing pushed yet');
      return send(last);
    },
  };
}

/** "applied", or the rejection's code: what a test compares. */
export const outcomeOf = (r: PushResult): string =>
  r.status === 'rejected' ? r.error.code : r.status === 'duplicate' ? 'duplicate' : r.status;

/** A beneficiary ready for a request: consent to the current notice, a valid ID with its expiry, an address. */
export function applicant(branchId: string, userId: string, overrides: Data = {}): Data {
  return {
    branchId,
    fullName: 'سالم عبدالله محمد القحطاني',
    nationalId: '1000000008',
    mobile: '+966501234567',
    idExpiry: '2030-01-01',
    address: {
      buildingNumber: '1234',
      street: 'شارع الملك فهد',
      district: 'العليا',
      city: 'الرياض',
      postalCode: '12345',
      additionalNumber: '5678',
    },
    consent: {
      noticeVersion: privacyNotice.version,
      givenAt: '2026-11-22T09:00:00+03:00',
      recordedBy: userId,
      viaHeadOfHousehold: false,
    },
    ...overrides,
  };
}

export const member = (beneficiaryId: string): Data => ({
  beneficiaryId,
  name: { first: 'نورة', father: 'سالم', grandfather: 'عبدالله', family: 'القحطاني' },
  relation: 'daughter',
  birthDate: '2010-05-01',
  monthlyIncome: 0,
  collectedViaHead: true,
});

export const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** An attachment record of a request: a document for a requirement, or the signature image. */
export function attachment(beneficiaryId: string, caseId: string, requirementId: string | null): Data {
  return {
    sha256: sha(`${caseId}:${requirementId ?? 'signature'}`),
    kind: requirementId === null ? 'signature' : 'document',
    mimeType: 'image/jpeg',
    size: 1000,
    beneficiaryId,
    caseId,
    requirementId,
  };
}

/** The hash a device computes of what the beneficiary declares, from the records it pushed. */
export function declaredHash(files: Pick<CaseFiles, 'beneficiary' | 'members' | 'request'>): string {
  const facts = gatherFacts(
    { ...files, attachments: [], reports: [], notifications: [] },
    [],
    privacyNotice.version,
  );
  return sha(facts.declared);
}

/** The id of a signed-in user, as the login answers it. */
export async function userIdOf(env: StepServer, username: string): Promise<string> {
  const response = await env.app.request('/api/v1/me', {
    headers: { Authorization: `Bearer ${await env.tokenOf(username)}` },
  });
  const body = (await response.json()) as { user: { id: string } };
  return body.user.id;
}

export interface IntakeOptions {
  /** The server's date of the intake (default TODAY): the request is numbered, and consent given, that day. */
  on?: IsoDate;
  /** Changes to the applicant's data (a name, an ID number, a category). */
  person?: Data;
  /**
   * A beneficiary an earlier intake registered (its answer): a further request of theirs, resting on the records
   * the server already holds, which are not pushed again.
   */
  household?: { beneficiaryId: string; memberId: string; person: Data };
}

/** Kadi's aid request: everything an honest representative pushes to submit it, in order. */
export async function honestIntake(
  env: StepServer,
  rep: ReturnType<typeof stepClient>,
  repId: string,
  options: IntakeOptions = {},
) {
  const on = options.on ?? TODAY;
  const known = options.household;
  const beneficiaryId = known?.beneficiaryId ?? randomUUID();
  const memberId = known?.memberId ?? randomUUID();
  const caseId = randomUUID();
  const fresh = applicant(env.branch.b1 ?? '', repId, options.person);
  // Consent is given on the day of the intake, unless the caller's changes say otherwise.
  const person =
    known?.person ??
    (options.person !== undefined && 'consent' in options.person
      ? fresh
      : { ...fresh, consent: { ...(fresh.consent as Data), givenAt: `${on}T09:00:00+03:00` } });
  const kin = member(beneficiaryId);
  const service = 'aid';
  const items = [...AID_ITEMS];
  const providedItems = [...items];
  const signature = attachment(beneficiaryId, caseId, null);
  const dataHash = declaredHash({
    beneficiary: person,
    members: [{ id: memberId, data: kin }],
    request: { serviceTypeId: service, providedItems },
  });
  const records: Mutation[] = [
    ...(known === undefined
      ? [rep.upsert('beneficiary', beneficiaryId, person), rep.upsert('household_member', memberId, kin)]
      : []),
    rep.step(caseId, { type: 'opened', beneficiaryId, number: requestNumber(on, caseId) }),
    rep.upsert('attachment', randomUUID(), attachment(beneficiaryId, caseId, 'id_copy')),
    rep.upsert('attachment', randomUUID(), attachment(beneficiaryId, caseId, 'income_proof')),
    rep.upsert('attachment', randomUUID(), signature),
  ];
  const steps: Mutation[] = [
    rep.step(caseId, { type: 'receptionDone' }),
    rep.step(caseId, { type: 'serviceChosen', serviceTypeId: service }),
    ...items.map((itemId) => rep.step(caseId, { type: 'itemProvided', itemId })),
    rep.step(caseId, { type: 'verified' }),
    rep.step(caseId, {
      type: 'declarationSigned',
      dataHash,
      signatureHash: String(signature.sha256),
      signerName: 'سالم القحطاني',
    }),
  ];
  return {
    beneficiaryId,
    memberId,
    caseId,
    person,
    dataHash,
    signatureHash: String(signature.sha256),
    /** The records, then the steps up to the signature: submit is the caller's. */
    mutations: [...records, ...steps],
  };
}

/** The request as the server holds it (null: none), and its version. */
export async function storedCase(env: Env, caseId: string): Promise<{ version: number; data: Data } | null> {
  const rows = await env.db.query<{ version: string | number; data: Data }>(
    "SELECT version, data FROM records WHERE entity = 'case' AND record_id = $1",
    [caseId],
  );
  const row = rows[0];
  return row === undefined ? null : { version: Number(row.version), data: row.data };
}
