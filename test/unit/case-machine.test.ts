// The case state machine: the policy's order of steps and its guards (C-PROC-1..7, K-PROC-a..f), judged on
// the facts the records around a request give (case-facts.ts), and who may run each step from which status
// (caseSteps in permissions.ts).
import { describe, expect, it } from 'vitest';
import { gatherFacts, type CaseFiles } from '../../src/domain/case-facts';
import {
  caseStatuses,
  isRequestNumberOf,
  newCase,
  openRequest,
  requestNumber,
  transition,
  type ActorRole,
  type CaseContext,
  type CaseEvent,
  type CaseEventType,
  type CaseFacts,
  type CaseRecord,
  type CaseStatus,
} from '../../src/domain/case-machine';
import {
  caseStepNames,
  caseSteps,
  hasStepIn,
  mayOpenRequest,
  mayRunStep,
  roles,
} from '../../src/domain/permissions';
import { profiles } from '../../src/domain/profiles/associations';
import { requiredItemsOf, type PolicyProfile } from '../../src/domain/profiles/profile';
import { nationalAddress } from '../fixtures';

const kadi = profiles.kadi as PolicyProfile;
const bakkah = profiles.bakkah as PolicyProfile;
const HASH = 'a'.repeat(64);
const SIG = 'b'.repeat(64);
const DECLARED = '{"beneficiary":{"fullName":"فاطمة أحمد"}}';
const REPORT = '5f1c2d3e-4f50-4a61-8b72-9c83d4e5f605';
const NOTE = '4f1c2d3e-4f50-4a61-8b72-9c83d4e5f606';
const ACTOR = '9f1c2d3e-4f50-4a61-8b72-9c83d4e5f604';

const items = (profile: PolicyProfile, service: string) => requiredItemsOf(profile, service) ?? [];

/** The facts of a request whose records hold everything: every item, consent, a valid applicant, … */
function facts(over: Partial<CaseFacts> = {}): CaseFacts {
  return {
    onRecord: [...new Set([...items(kadi, 'aid'), ...items(bakkah, 'food_basket')])],
    consent: true,
    applicant: { nationalId: '1000000008', idExpiry: '2030-01-01', mobile: '+966501234567' },
    declared: DECLARED,
    dataHash: HASH,
    signatures: [SIG],
    reports: [REPORT],
    notifications: [{ id: NOTE, channel: 'phone', receipt: false }],
    ...over,
  };
}

function ctx(
  profile: PolicyProfile,
  role: ActorRole = 'representative',
  overrides: Partial<CaseContext> = {},
): CaseContext {
  return {
    now: '2026-11-22T09:00:00+03:00',
    today: '2026-11-22',
    holidays: [],
    deadlineRule: profile.deadlineRule,
    requiredItems: (id) => requiredItemsOf(profile, id),
    facts: facts(),
    actor: { id: ACTOR, role },
    ...overrides,
  };
}

function apply(c: CaseRecord, events: CaseEvent[], context: (e: CaseEvent) => CaseContext): CaseRecord {
  return events.reduce((current, event) => {
    const result = transition(current, event, context(event));
    if (!result.ok) throw new Error(`${event.type} refused: ${result.code}`);
    return result.case;
  }, c);
}

/** The steps of an existing request (`opened` is the one that creates it: openRequest). */
type Step = Exclude<CaseEventType, 'opened'>;
const steps = caseStepNames.filter((s): s is Step => s !== 'opened');

const roleFor: Record<Step, ActorRole> = {
  receptionDone: 'representative',
  serviceChosen: 'representative',
  requirementsShared: 'representative',
  itemProvided: 'representative',
  itemRemoved: 'representative',
  verified: 'representative',
  referred: 'representative',
  declarationSigned: 'representative',
  exceptionRecorded: 'representative',
  submit: 'representative',
  researchStarted: 'researcher',
  researchCompleted: 'researcher',
  decided: 'committee',
  told: 'representative',
  delivered: 'representative',
  closed: 'supervisor',
  discarded: 'representative',
};
const roleOf = (e: CaseEvent): ActorRole => (e.type === 'opened' ? 'representative' : roleFor[e.type]);

function intake(profile: PolicyProfile, service: string): CaseEvent[] {
  return [
    { type: 'receptionDone' },
    { type: 'serviceChosen', serviceTypeId: service },
    { type: 'requirementsShared' },
    ...items(profile, service).map((itemId): CaseEvent => ({ type: 'itemProvided', itemId })),
    { type: 'verified' },
    { type: 'declarationSigned', dataHash: HASH, signatureHash: SIG, signerName: 'فاطمة أحمد' },
  ];
}

const isItem = (id: string) => (e: CaseEvent) => e.type === 'itemProvided' && e.itemId === id;

/** A case in each status, reached by the policy's own path. */
function caseIn(status: CaseStatus): CaseRecord {
  const on = (e: CaseEvent) => ctx(kadi, roleOf(e));
  const draft = apply(newCase(), intake(kadi, 'aid'), on);
  const paths: Record<CaseStatus, CaseEvent[]> = {
    draft: [],
    submitted: [{ type: 'submit' }],
    underResearch: [{ type: 'submit' }, { type: 'researchStarted' }],
    awaitingDecision: [
      { type: 'submit' },
      { type: 'researchStarted' },
      { type: 'researchCompleted', reportId: REPORT },
    ],
    accepted: [
      { type: 'submit' },
      { type: 'decided', outcome: 'accepted', reason: 'مستوفٍ للشروط', grant: { amount: 1500 } },
    ],
    rejected: [{ type: 'submit' }, { type: 'decided', outcome: 'rejected', reason: 'خارج النطاق' }],
    delivered: [
      { type: 'submit' },
      { type: 'decided', outcome: 'accepted', reason: 'مستوفٍ', grant: { amount: 1500 } },
      { type: 'delivered', description: 'سلة غذائية' },
    ],
    closed: [
      { type: 'submit' },
      { type: 'decided', outcome: 'rejected', reason: 'خارج النطاق' },
      { type: 'closed' },
    ],
  };
  return apply(draft, paths[status], on);
}

describe('the policy path', () => {
  it('K-PROC-f Kadi: submitted complete, the deadline is 15 working days from completion', () => {
    const submitted = caseIn('submitted');
    expect(submitted).toMatchObject({
      status: 'submitted',
      submittedAt: '2026-11-22',
      completedAt: '2026-11-22',
    });
    expect(submitted.deadline).toEqual({ kind: 'dueBy', date: '2026-12-13' });
  });

  it('C-PROC-4 the data declared is frozen with the request at submission', () => {
    expect(caseIn('draft').declared).toBeUndefined();
    expect(caseIn('submitted').declared).toBe(DECLARED);
  });

  it('C-PROC-5 common text: the deadline is "not less than two weeks" from submission', () => {
    const on = (e: CaseEvent) => ctx(bakkah, roleOf(e));
    const submitted = apply(newCase(), [...intake(bakkah, 'food_basket'), { type: 'submit' }], on);
    expect(submitted.deadline).toEqual({ kind: 'notBefore', date: '2026-12-06' });
  });

  it('C-PROC-7 delivery then closing', () => {
    expect(caseIn('delivered').delivery).toMatchObject({ description: 'سلة غذائية', by: ACTOR });
    expect(caseIn('closed')).toMatchObject({ status: 'closed', closedAt: '2026-11-22T09:00:00+03:00' });
  });
});

describe('aid as data (issue 20)', () => {
  const committee = ctx(kadi, 'committee');
  const rep = ctx(kadi, 'representative');
  const decide = (
    grant?: { amount?: number; items?: string },
    outcome: 'accepted' | 'rejected' = 'accepted',
  ) =>
    transition(
      caseIn('submitted'),
      { type: 'decided', outcome, reason: 'مستحق', ...(grant === undefined ? {} : { grant }) },
      committee,
    );

  it('an acceptance grants an amount to the halala, items, or both; a refusal grants nothing', () => {
    expect(decide()).toEqual({ ok: false, code: 'case_grant_required' });
    expect(decide({ items: '  ' })).toEqual({ ok: false, code: 'case_grant_required' });
    for (const amount of [0, -5, 1.005, 1_000_001, Number.NaN])
      expect(decide({ amount })).toEqual({ ok: false, code: 'case_bad_amount' });
    // Amounts to the halala that binary floating point cannot hold exactly are still money.
    for (const amount of [19.99, 4.35, 0.57, 1.1])
      expect(decide({ amount })).toMatchObject({ ok: true, case: { decision: { grant: { amount } } } });
    expect(decide({ amount: 1500.5 })).toMatchObject({
      ok: true,
      case: { decision: { grant: { amount: 1500.5 } } },
    });
    expect(decide({ items: ' سلة غذائية ' })).toMatchObject({
      ok: true,
      case: { decision: { grant: { items: 'سلة غذائية' } } },
    });
    expect(decide({ amount: 100 }, 'rejected')).toEqual({ ok: false, code: 'case_grant_on_rejection' });
  });

  it('what is handed over is never more money than was granted', () => {
    const accepted = caseIn('accepted'); // granted 1,500
    const deliver = (handedOver: { amount?: number; items?: string }) =>
      transition(accepted, { type: 'delivered', description: 'سلة', handedOver }, rep);
    expect(deliver({ amount: 1500.01 })).toEqual({ ok: false, code: 'case_exceeds_grant' });
    expect(deliver({ amount: 1000 })).toMatchObject({
      ok: true,
      case: { delivery: { handedOver: { amount: 1000 } } },
    });
    expect(deliver({ items: 'سلة غذائية' })).toMatchObject({ ok: true });
  });
});

describe('opening a request (the `opened` step)', () => {
  const id = '3a1c2d3e-4f50-4a61-8b72-9c83d4e5f607';
  const beneficiaryId = '2f1c2d3e-4f50-4a61-8b72-9c83d4e5f608';
  const as = (role: ActorRole) => ({ actor: { id: ACTOR, role }, today: '2026-11-22', profileVersion: 1 });

  it('C-PROC-1 opens a draft for the beneficiary, numbered by date and id', () => {
    const number = requestNumber('2026-11-22', id);
    expect(number).toBe('20261122-3A1C');
    expect(openRequest(id, { type: 'opened', beneficiaryId, number }, as('representative'))).toEqual({
      ok: true,
      case: { ...newCase(), beneficiaryId, number, profileVersion: 1 },
    });
    expect(openRequest(id, { type: 'opened', beneficiaryId, number }, as('researcher'))).toMatchObject({
      ok: true,
      case: { status: 'draft' },
    });
  });

  it('K-ART2 only those who take intake open a request', () => {
    const number = requestNumber('2026-11-22', id);
    for (const role of ['committee', 'supervisor', 'admin'] as const) {
      expect(mayOpenRequest(role)).toBe(false);
      expect(openRequest(id, { type: 'opened', beneficiaryId, number }, as(role))).toEqual({
        ok: false,
        code: 'case_forbidden_role',
      });
    }
    expect(mayOpenRequest('representative') && mayOpenRequest('researcher')).toBe(true);
  });

  it('a number is the request’s own: its id’s head after a real date no later than tomorrow', () => {
    // Numbered offline on an earlier day: kept; by a device whose clock runs a day ahead: kept too.
    expect(isRequestNumberOf('20261120-3A1C', id, '2026-11-22')).toBe(true);
    expect(isRequestNumberOf('20261122-3A1C', id, '2026-11-22')).toBe(true);
    expect(isRequestNumberOf('20261123-3A1C', id, '2026-11-22')).toBe(true);
    for (const bad of [
      '20261122-9F1C', // another request's head
      '20261124-3A1C', // the day after tomorrow
      '20261131-3A1C', // no such date
      '20261122-3a1c', // not the form given
      '2026-11-22-3A1C',
      '',
    ]) {
      expect(isRequestNumberOf(bad, id, '2026-11-22'), bad).toBe(false);
      expect(
        openRequest(id, { type: 'opened', beneficiaryId, number: bad }, as('representative')),
        bad,
      ).toEqual({ ok: false, code: 'case_bad_number' });
    }
  });

  it('a request is opened once: `opened` on an existing request is refused in every status', () => {
    const opened: CaseEvent = { type: 'opened', beneficiaryId, number: requestNumber('2026-11-22', id) };
    for (const status of caseStatuses)
      expect(transition(caseIn(status), opened, ctx(kadi)), status).toEqual({
        ok: false,
        code: 'case_already_opened',
      });
  });
});

describe('guards of submission', () => {
  const on = (e: CaseEvent) => ctx(kadi, roleOf(e));
  const submit = (c: CaseRecord, over: Partial<CaseFacts> = {}) =>
    transition(c, { type: 'submit' }, ctx(kadi, 'representative', { facts: facts(over) }));

  it('C-PROC-1 no submission before reception', () => {
    const c = apply(
      newCase(),
      intake(kadi, 'aid').filter((e) => e.type !== 'receptionDone'),
      on,
    );
    expect(submit(c)).toEqual({ ok: false, code: 'case_reception_missing' });
  });

  it('L-CONSENT no submission for a person who has not consented to the current privacy notice', () => {
    const draft = caseIn('draft');
    expect(submit(draft, { consent: false })).toEqual({ ok: false, code: 'case_consent_missing' });
    expect(submit(draft, { consent: true })).toMatchObject({ ok: true, case: { status: 'submitted' } });
  });

  it('L-CONSENT no declaration before consent: the notice is read and consented to first', () => {
    const c = apply(
      newCase(),
      intake(kadi, 'aid').filter((e) => e.type !== 'declarationSigned'),
      on,
    );
    const signed = intake(kadi, 'aid').find((e) => e.type === 'declarationSigned');
    if (signed === undefined) throw new Error('no declaration in the intake');
    const signing = (over: Partial<CaseFacts>) =>
      transition(c, signed, ctx(kadi, 'representative', { facts: facts(over) }));
    expect(signing({ consent: false })).toEqual({ ok: false, code: 'case_consent_missing' });
    expect(signing({})).toMatchObject({ ok: true });
  });

  it('C-PROC-2 K-PROC-c no submission while a required item is missing', () => {
    const c = apply(
      newCase(),
      intake(kadi, 'aid').filter((e) => !isItem('income_proof')(e)),
      on,
    );
    expect(submit(c)).toEqual({ ok: false, code: 'case_missing_required_items' });
  });

  it('K-PROC-c an explicit recorded exception allows submission; the deadline waits for completion', () => {
    let c = apply(
      newCase(),
      intake(kadi, 'aid').filter((e) => !isItem('income_proof')(e)),
      on,
    );
    expect(transition(c, { type: 'exceptionRecorded', reason: ' ' }, ctx(kadi))).toEqual({
      ok: false,
      code: 'case_reason_required',
    });
    c = apply(c, [{ type: 'exceptionRecorded', reason: 'إثبات الدخل لدى جهة العمل، يُحضر لاحقًا' }], on);
    expect(c.exception).toMatchObject({ missingItems: ['income_proof'] });
    const submitted = apply(c, [{ type: 'submit' }], on);
    expect(submitted).toMatchObject({ status: 'submitted', completedAt: null, deadline: null });

    // C-PROC-6: registration completes when the last item arrives, and Kadi's clock starts then.
    const later = transition(
      submitted,
      { type: 'itemProvided', itemId: 'income_proof' },
      ctx(kadi, 'representative', { today: '2026-11-25' }),
    );
    expect(later).toMatchObject({
      ok: true,
      case: { completedAt: '2026-11-25', deadline: { kind: 'dueBy', date: '2026-12-16' } },
    });
  });

  it('an exception covers only the items missing when it was recorded', () => {
    let c = apply(
      newCase(),
      intake(kadi, 'aid').filter((e) => !isItem('income_proof')(e)),
      on,
    );
    c = apply(
      c,
      [
        { type: 'exceptionRecorded', reason: 'لاحقًا' },
        { type: 'itemRemoved', itemId: 'id_copy' },
      ],
      on,
    );
    expect(submit(c)).toEqual({ ok: false, code: 'case_missing_required_items' });
  });

  it('C-PROC-2 no submission without verification, nor with verification problems', () => {
    const unverified = apply(
      newCase(),
      intake(kadi, 'aid').filter((e) => e.type !== 'verified' && e.type !== 'declarationSigned'),
      on,
    );
    expect(submit(unverified)).toEqual({ ok: false, code: 'case_not_verified' });
    const expired = facts({
      applicant: { nationalId: '1000000008', idExpiry: '2026-01-01', mobile: '+966501234567' },
    });
    const failed = apply(unverified, [{ type: 'verified' }], () =>
      ctx(kadi, 'representative', { facts: expired }),
    );
    expect(failed.verification?.problems).toEqual(['id_expired']);
    expect(submit(failed)).toEqual({ ok: false, code: 'case_verification_failed' });
    expect(
      transition(
        failed,
        { type: 'declarationSigned', dataHash: HASH, signatureHash: SIG, signerName: 'x' },
        ctx(kadi),
      ),
    ).toEqual({ ok: false, code: 'case_verification_failed' });
  });

  it('C-PROC-4 no submission without a signature, nor when the data changed after signing', () => {
    const unsigned = apply(
      newCase(),
      intake(kadi, 'aid').filter((e) => e.type !== 'declarationSigned'),
      on,
    );
    expect(submit(unsigned)).toEqual({ ok: false, code: 'case_signature_missing' });
    expect(submit(caseIn('draft'), { dataHash: 'c'.repeat(64) })).toEqual({
      ok: false,
      code: 'case_signature_stale',
    });
  });

  it('choosing the same service keeps what was provided; an unknown service or item is refused', () => {
    const c = caseIn('draft');
    const same = transition(c, { type: 'serviceChosen', serviceTypeId: 'aid' }, ctx(kadi));
    expect(same).toEqual({ ok: true, case: c });
    expect(transition(c, { type: 'serviceChosen', serviceTypeId: 'nope' }, ctx(kadi))).toEqual({
      ok: false,
      code: 'case_unknown_service',
    });
    expect(transition(c, { type: 'itemProvided', itemId: 'nope' }, ctx(kadi))).toEqual({
      ok: false,
      code: 'case_unknown_item',
    });
  });

  it('choosing another service clears what was provided and declared for the old one', () => {
    const c = caseIn('draft');
    const other = transition(
      c,
      { type: 'serviceChosen', serviceTypeId: 'rent_support' },
      ctx(bakkah, 'representative'),
    );
    expect(other).toMatchObject({
      ok: true,
      case: {
        serviceTypeId: 'rent_support',
        providedItems: [],
        requirementsShared: null,
        declaration: null,
        exception: null,
        reception: c.reception,
      },
    });
  });

  it('C-PROC-3 a referral needs a reason', () => {
    expect(transition(newCase(), { type: 'referred', reason: '' }, ctx(kadi))).toEqual({
      ok: false,
      code: 'case_reason_required',
    });
    expect(
      transition(newCase(), { type: 'referred', reason: ' الإجراءات غير واضحة للمستفيد ' }, ctx(kadi)),
    ).toMatchObject({
      ok: true,
      case: { referral: { reason: 'الإجراءات غير واضحة للمستفيد', by: ACTOR } },
    });
  });

  it('C-PROC-3 a referral by name only to a researcher the context knows (the branch’s, as the server reads them)', () => {
    const researcher = crypto.randomUUID();
    const known = { ...ctx(kadi), researchers: [researcher] };
    expect(transition(newCase(), { type: 'referred', reason: 'سبب', to: researcher }, known)).toMatchObject({
      ok: true,
      case: { referral: { reason: 'سبب', to: researcher } },
    });
    expect(
      transition(newCase(), { type: 'referred', reason: 'سبب', to: crypto.randomUUID() }, known),
    ).toEqual({
      ok: false,
      code: 'case_unknown_researcher',
    });
    // No list known: no name can be checked, so none is accepted.
    expect(transition(newCase(), { type: 'referred', reason: 'سبب', to: researcher }, ctx(kadi))).toEqual({
      ok: false,
      code: 'case_unknown_researcher',
    });
  });
});

describe('C-PROC-2 item facts: an item is ticked only when the records hold it', () => {
  const on = (e: CaseEvent) => ctx(kadi, roleOf(e));
  const chosen = apply(
    newCase(),
    [{ type: 'receptionDone' }, { type: 'serviceChosen', serviceTypeId: 'aid' }],
    on,
  );
  const without = (...ids: string[]) =>
    facts({ onRecord: items(kadi, 'aid').filter((id) => !ids.includes(id)) });
  const provide = (c: CaseRecord, itemId: string, over: CaseFacts) =>
    transition(c, { type: 'itemProvided', itemId }, ctx(kadi, 'representative', { facts: over }));

  it('C-PROC-2 a document cannot be ticked without its photo on the request', () => {
    expect(provide(chosen, 'id_copy', without('id_copy'))).toEqual({
      ok: false,
      code: 'case_item_not_on_record',
    });
    expect(provide(chosen, 'id_copy', without())).toMatchObject({
      ok: true,
      case: { providedItems: ['id_copy'] },
    });
  });

  it('C-PROC-2 a field the records do not hold cannot be ticked', () => {
    expect(provide(chosen, 'monthly_income', without('monthly_income'))).toEqual({
      ok: false,
      code: 'case_item_not_on_record',
    });
    expect(provide(chosen, 'national_address', without('national_address'))).toEqual({
      ok: false,
      code: 'case_item_not_on_record',
    });
    // An item the service does not require is unknown, whatever the records hold.
    expect(provide(chosen, 'school_report', facts({ onRecord: ['school_report'] }))).toEqual({
      ok: false,
      code: 'case_unknown_item',
    });
  });

  it('C-PROC-2 an item arriving after an excused submission needs its record too (C-PROC-6)', () => {
    let c = apply(
      newCase(),
      intake(kadi, 'aid').filter((e) => !isItem('income_proof')(e)),
      on,
    );
    c = apply(c, [{ type: 'exceptionRecorded', reason: 'لاحقًا' }, { type: 'submit' }], on);
    expect(provide(c, 'income_proof', without('income_proof'))).toEqual({
      ok: false,
      code: 'case_item_not_on_record',
    });
  });

  it('C-PROC-2 no submission when a ticked item is no longer on record (its photo deleted)', () => {
    const draft = caseIn('draft');
    expect(
      transition(draft, { type: 'submit' }, ctx(kadi, 'representative', { facts: without('income_proof') })),
    ).toEqual({ ok: false, code: 'case_item_not_on_record' });
  });
});

describe('C-PROC-2 verification finds the problems in the record itself', () => {
  const verify = (applicant: CaseFacts['applicant'], today = '2026-11-22') =>
    transition(
      newCase(),
      { type: 'verified' },
      ctx(kadi, 'representative', { today, facts: facts({ applicant }) }),
    );
  const valid = { nationalId: '1000000008', idExpiry: '2030-01-01', mobile: '+966501234567' };

  it('C-PROC-2 a valid record passes, stamped by who verified', () => {
    expect(verify(valid)).toEqual({
      ok: true,
      case: { ...newCase(), verification: { at: '2026-11-22T09:00:00+03:00', by: ACTOR, problems: [] } },
    });
  });

  it('C-PROC-2 an ID expired on the day of verification is found (one valid through today is not)', () => {
    expect(verify({ ...valid, idExpiry: '2026-11-21' })).toMatchObject({
      ok: true,
      case: { verification: { problems: ['id_expired'] } },
    });
    expect(verify({ ...valid, idExpiry: '2026-11-22' })).toMatchObject({
      ok: true,
      case: { verification: { problems: [] } },
    });
    // The same record, verified later, has expired since.
    expect(verify({ ...valid, idExpiry: '2030-01-01' }, '2030-01-02')).toMatchObject({
      ok: true,
      case: { verification: { problems: ['id_expired'] } },
    });
  });

  it('C-PROC-2 an ID expiry not recorded is a problem of its own, beside the others', () => {
    expect(verify({ ...valid, idExpiry: null })).toMatchObject({
      ok: true,
      case: { verification: { problems: ['id_expiry_missing'] } },
    });
    expect(verify({ nationalId: '1000000001', idExpiry: null, mobile: '+96650123' })).toMatchObject({
      ok: true,
      case: {
        verification: {
          problems: ['id_expiry_missing', 'national_id_checksum', 'phone_not_saudi_mobile'],
        },
      },
    });
  });

  it('C-PROC-2 verifying again after the record is corrected clears the problems', () => {
    const failed = verify({ ...valid, idExpiry: '2026-01-01' });
    if (!failed.ok) throw new Error(failed.code);
    const again = transition(failed.case, { type: 'verified' }, ctx(kadi));
    expect(again).toMatchObject({ ok: true, case: { verification: { problems: [] } } });
  });
});

describe('C-PROC-4 the declaration binds the data as it stands and its signature image', () => {
  const verified = apply(
    newCase(),
    intake(kadi, 'aid').filter((e) => e.type !== 'declarationSigned'),
    (e) => ctx(kadi, roleOf(e)),
  );
  const sign = (over: Partial<Extract<CaseEvent, { type: 'declarationSigned' }>>, f = facts()) =>
    transition(
      verified,
      { type: 'declarationSigned', dataHash: HASH, signatureHash: SIG, signerName: 'فاطمة أحمد', ...over },
      ctx(kadi, 'representative', { facts: f }),
    );

  it('C-PROC-4 signed on the data as it stands, with its image on the request, the declaration is recorded', () => {
    expect(sign({ signerName: ' فاطمة أحمد ' })).toMatchObject({
      ok: true,
      case: {
        declaration: { dataHash: HASH, signatureHash: SIG, signerName: 'فاطمة أحمد', by: ACTOR },
      },
    });
  });

  it('C-PROC-4 a declaration of other data than the records now hold is refused (mismatch)', () => {
    expect(sign({ dataHash: 'c'.repeat(64) })).toEqual({ ok: false, code: 'case_declaration_mismatch' });
    // The data changed between showing it and signing: the records' hash moved on.
    expect(sign({}, facts({ dataHash: 'd'.repeat(64) }))).toEqual({
      ok: false,
      code: 'case_declaration_mismatch',
    });
  });

  it('C-PROC-4 a signature whose image is not on the request is refused, as is one without a name', () => {
    expect(sign({ signatureHash: 'e'.repeat(64) })).toEqual({ ok: false, code: 'case_signature_missing' });
    expect(sign({}, facts({ signatures: [] }))).toEqual({ ok: false, code: 'case_signature_missing' });
    expect(sign({ signerName: '  ' })).toEqual({ ok: false, code: 'case_signature_missing' });
  });

  it('C-PROC-4 no declaration before verification', () => {
    const unverified = apply(
      newCase(),
      intake(kadi, 'aid').filter((e) => e.type !== 'verified' && e.type !== 'declarationSigned'),
      (e) => ctx(kadi, roleOf(e)),
    );
    expect(
      transition(
        unverified,
        { type: 'declarationSigned', dataHash: HASH, signatureHash: SIG, signerName: 'x' },
        ctx(kadi),
      ),
    ).toEqual({ ok: false, code: 'case_not_verified' });
  });
});

describe('research and decisions', () => {
  it('C-PROC-3 the research completes only with its report on record', () => {
    const underResearch = caseIn('underResearch');
    const complete = (reportId: string, reports: string[]) =>
      transition(
        underResearch,
        { type: 'researchCompleted', reportId },
        ctx(kadi, 'researcher', { facts: facts({ reports }) }),
      );
    expect(complete(REPORT, [])).toEqual({ ok: false, code: 'case_report_missing' });
    expect(complete(REPORT, ['6a1c2d3e-4f50-4a61-8b72-9c83d4e5f609'])).toEqual({
      ok: false,
      code: 'case_report_missing',
    });
    expect(complete(REPORT, [REPORT])).toMatchObject({
      ok: true,
      case: { status: 'awaitingDecision', researchReportId: REPORT },
    });
  });

  it('C-PROC-5 a decision needs a reason; an incomplete request cannot be accepted', () => {
    const submitted = caseIn('submitted');
    expect(
      transition(submitted, { type: 'decided', outcome: 'rejected', reason: ' ' }, ctx(kadi, 'committee')),
    ).toEqual({
      ok: false,
      code: 'case_reason_required',
    });
    const incomplete: CaseRecord = { ...submitted, completedAt: null };
    expect(
      transition(
        incomplete,
        { type: 'decided', outcome: 'accepted', reason: 'ok', grant: { amount: 1500 } },
        ctx(kadi, 'committee'),
      ),
    ).toEqual({
      ok: false,
      code: 'case_incomplete',
    });
    expect(
      transition(
        incomplete,
        { type: 'decided', outcome: 'rejected', reason: ' ناقص ' },
        ctx(kadi, 'committee'),
      ),
    ).toMatchObject({
      ok: true,
      case: { status: 'rejected', decision: { outcome: 'rejected', reason: 'ناقص' } },
    });
  });

  it('K-PROC-e the decision is told only by a notification of the request, through its channel', () => {
    const tell = (
      status: 'accepted' | 'rejected',
      channel: string,
      notifications: CaseFacts['notifications'],
    ) =>
      transition(
        caseIn(status),
        { type: 'told', channel, notificationId: NOTE },
        ctx(kadi, 'representative', { facts: facts({ notifications }) }),
      );
    expect(tell('accepted', 'phone', [])).toEqual({ ok: false, code: 'case_notification_missing' });
    // A notification by another channel than the one named does not tell it by this one.
    expect(tell('accepted', 'phone', [{ id: NOTE, channel: 'interview', receipt: false }])).toEqual({
      ok: false,
      code: 'case_notification_missing',
    });
    expect(
      tell('accepted', 'phone', [
        { id: '7a1c2d3e-4f50-4a61-8b72-9c83d4e5f60a', channel: 'phone', receipt: false },
      ]),
    ).toEqual({ ok: false, code: 'case_notification_missing' });
    // The receipt sent to the beneficiary does not tell them the decision.
    expect(tell('accepted', 'phone', [{ id: NOTE, channel: 'phone', receipt: true }])).toEqual({
      ok: false,
      code: 'case_notification_missing',
    });
    for (const status of ['accepted', 'rejected'] as const)
      expect(tell(status, 'phone', [{ id: NOTE, channel: 'phone', receipt: false }])).toEqual({
        ok: true,
        case: {
          ...caseIn(status),
          decisionTold: {
            at: '2026-11-22T09:00:00+03:00',
            by: ACTOR,
            channel: 'phone',
            notificationId: NOTE,
          },
        },
      });
  });
});

// The policy's table, written out independently of permissions.ts: which steps each status allows …
const allowed: Record<CaseStatus, readonly Step[]> = {
  draft: [
    'receptionDone',
    'serviceChosen',
    'requirementsShared',
    'itemProvided',
    'itemRemoved',
    'verified',
    'referred',
    'declarationSigned',
    'exceptionRecorded',
    'submit',
    'discarded',
  ],
  submitted: ['itemProvided', 'researchStarted', 'decided'],
  underResearch: ['itemProvided', 'researchCompleted'],
  awaitingDecision: ['itemProvided', 'decided'],
  accepted: ['told', 'delivered'],
  rejected: ['told', 'closed'],
  delivered: ['closed'],
  closed: [],
};

// … and who may run each: intake by the representative or researcher, research by the researcher, decisions
// by the committee, telling the decision by anyone handling beneficiaries, closing also by the supervisor.
const mayAct: Record<CaseEventType, readonly ActorRole[]> = {
  opened: ['representative', 'researcher'],
  receptionDone: ['representative', 'researcher'],
  serviceChosen: ['representative', 'researcher'],
  requirementsShared: ['representative', 'researcher'],
  itemProvided: ['representative', 'researcher'],
  itemRemoved: ['representative', 'researcher'],
  verified: ['representative', 'researcher'],
  referred: ['representative', 'researcher'],
  declarationSigned: ['representative', 'researcher'],
  exceptionRecorded: ['representative', 'researcher'],
  submit: ['representative', 'researcher'],
  researchStarted: ['researcher'],
  researchCompleted: ['researcher'],
  decided: ['committee'],
  told: ['representative', 'researcher', 'committee', 'supervisor'],
  delivered: ['representative', 'researcher'],
  closed: ['representative', 'researcher', 'supervisor'],
  discarded: ['representative', 'researcher'],
};

const sampleEvent: Record<Step, CaseEvent> = {
  receptionDone: { type: 'receptionDone' },
  serviceChosen: { type: 'serviceChosen', serviceTypeId: 'aid' },
  requirementsShared: { type: 'requirementsShared' },
  itemProvided: { type: 'itemProvided', itemId: 'mobile' },
  itemRemoved: { type: 'itemRemoved', itemId: 'mobile' },
  verified: { type: 'verified' },
  referred: { type: 'referred', reason: 'سبب' },
  declarationSigned: { type: 'declarationSigned', dataHash: HASH, signatureHash: SIG, signerName: 'x' },
  exceptionRecorded: { type: 'exceptionRecorded', reason: 'سبب' },
  submit: { type: 'submit' },
  researchStarted: { type: 'researchStarted' },
  researchCompleted: { type: 'researchCompleted', reportId: REPORT },
  decided: { type: 'decided', outcome: 'rejected', reason: 'سبب' },
  told: { type: 'told', channel: 'phone', notificationId: NOTE },
  delivered: { type: 'delivered', description: 'x' },
  closed: { type: 'closed' },
  discarded: { type: 'discarded', reason: 'فُتح خطأً' },
};

describe('every forbidden transition', () => {
  for (const status of caseStatuses) {
    for (const type of steps) {
      if (allowed[status].includes(type)) continue;
      const expected =
        status === 'closed'
          ? 'case_closed'
          : type === 'delivered'
            ? 'case_not_accepted'
            : 'case_wrong_status';
      it(`C-PROC ${type} is refused in ${status} (${expected})`, () => {
        expect(transition(caseIn(status), sampleEvent[type], ctx(kadi, roleFor[type]))).toEqual({
          ok: false,
          code: expected,
        });
      });
    }
  }
});

describe('every role that may not act', () => {
  for (const status of caseStatuses) {
    for (const type of allowed[status]) {
      for (const role of roles.filter((r) => !mayAct[type].includes(r))) {
        it(`K-ART2 ${role} may not ${type} in ${status}`, () => {
          expect(transition(caseIn(status), sampleEvent[type], ctx(kadi, role))).toEqual({
            ok: false,
            code: 'case_forbidden_role',
          });
        });
      }
    }
  }
});

// The server refuses a plain change of a request: it moves only by steps, each run through the machine. Who
// may run a step from which status is written once, in caseSteps, and read by the screens and the worklist
// (mayRunStep, hasStepIn); the machine must refuse exactly what that table refuses.
describe('K-ART2 caseSteps: one table of who runs which step from where', () => {
  it('K-ART2 is the policy’s table: the statuses and roles of each step', () => {
    expect([...caseStepNames].sort()).toEqual(Object.keys(mayAct).sort());
    for (const step of caseStepNames) {
      expect([...caseSteps[step].roles].sort(), step).toEqual([...mayAct[step]].sort());
      const from = caseStatuses.filter((s) => step !== 'opened' && allowed[s].includes(step));
      expect([...caseSteps[step].from].sort(), step).toEqual(from.sort());
    }
    expect(caseSteps.opened.from).toEqual([]);
  });

  it('K-ART2 the machine refuses a step with the gate’s code exactly when mayRunStep says no', () => {
    const gates = ['case_closed', 'case_not_accepted', 'case_wrong_status', 'case_forbidden_role'];
    let allowedRuns = 0;
    let refusedRuns = 0;
    for (const status of caseStatuses) {
      const before = caseIn(status);
      for (const step of steps)
        for (const role of roles) {
          const result = transition(before, sampleEvent[step], ctx(kadi, role));
          const label = `${role} ${step} in ${status}`;
          if (mayRunStep(role, step, status)) {
            allowedRuns++;
            // Past the gate, only the step's own guards may refuse: here the records hold everything, so
            // every step goes but a needless exception (nothing is missing from this draft).
            if (step === 'exceptionRecorded')
              expect(result, label).toEqual({ ok: false, code: 'case_nothing_missing' });
            else expect(result, label).toMatchObject({ ok: true });
            if (!result.ok) expect(gates, label).not.toContain(result.code);
          } else {
            refusedRuns++;
            const code =
              status === 'closed'
                ? 'case_closed'
                : step === 'delivered' && status !== 'accepted'
                  ? 'case_not_accepted'
                  : !caseSteps[step].from.includes(status)
                    ? 'case_wrong_status'
                    : 'case_forbidden_role';
            expect(result, label).toEqual({ ok: false, code });
          }
        }
    }
    expect(allowedRuns).toBe(
      caseStatuses.reduce((n, s) => n + allowed[s].reduce((m, step) => m + mayAct[step].length, 0), 0),
    );
    expect(allowedRuns + refusedRuns).toBe(caseStatuses.length * steps.length * roles.length);
  });

  it('K-ART2 hasStepIn: a request waits on a role exactly when it has a step to run there', () => {
    expect(hasStepIn('committee', 'awaitingDecision')).toBe(true);
    expect(hasStepIn('committee', 'accepted')).toBe(true); // it may tell its decision
    expect(hasStepIn('committee', 'underResearch')).toBe(false);
    expect(hasStepIn('researcher', 'underResearch')).toBe(true);
    expect(hasStepIn('supervisor', 'submitted')).toBe(false);
    for (const role of roles) expect(hasStepIn(role, 'closed'), role).toBe(false);
    for (const status of caseStatuses) expect(hasStepIn('admin', status), status).toBe(false);
  });
});

describe('the facts a step is judged on, gathered from the records (case-facts.ts)', () => {
  const caseId = '8a1c2d3e-4f50-4a61-8b72-9c83d4e5f60b';
  const requirements = (profiles.kadi as PolicyProfile).serviceTypes[0]?.requirements ?? [];
  const address = { ...nationalAddress };
  const files = (over: Partial<CaseFiles> = {}): CaseFiles => ({
    request: { serviceTypeId: 'aid', providedItems: [] },
    beneficiary: {
      fullName: 'فاطمة أحمد',
      nationalId: '1000000008',
      mobile: '+966501234567',
      idExpiry: '2030-01-01',
      address,
      consent: { noticeVersion: '2026-11' },
    },
    members: [{ id: 'm1', data: { relation: 'son', monthlyIncome: 0 } }],
    attachments: [
      { kind: 'document', caseId, requirementId: 'id_copy', sha256: 'f'.repeat(64) },
      { kind: 'signature', caseId, requirementId: null, sha256: SIG },
    ],
    reports: [{ id: REPORT }],
    notifications: [{ id: NOTE, data: { channel: 'phone', text: 'x' } }],
    ...over,
  });

  it('C-PROC-2 a document is on record by its photo; a signature image is not a document', () => {
    expect(gatherFacts(files(), requirements, '2026-11').onRecord).toEqual([
      'national_id',
      'mobile',
      'national_address',
      'id_copy',
      'household',
      'monthly_income',
    ]);
    const signatureOnly = files({
      attachments: [{ kind: 'signature', caseId, requirementId: 'income_proof', sha256: SIG }],
    });
    expect(gatherFacts(signatureOnly, requirements, '2026-11').onRecord).not.toContain('income_proof');
    expect(gatherFacts(signatureOnly, requirements, '2026-11').signatures).toEqual([SIG]);
  });

  it('C-PROC-2 a field is on record where the intake records it', () => {
    const bare = files({
      beneficiary: { fullName: 'فاطمة أحمد', address: null },
      members: [],
      attachments: [],
    });
    expect(gatherFacts(bare, requirements, '2026-11').onRecord).toEqual([]);
    // The income may be the beneficiary's own or any member's.
    const ownIncome = files({ beneficiary: { monthlyIncome: 1500 }, members: [] });
    expect(gatherFacts(ownIncome, requirements, '2026-11').onRecord).toContain('monthly_income');
    const noIncome = files({ members: [{ id: 'm1', data: { relation: 'son' } }] });
    expect(gatherFacts(noIncome, requirements, '2026-11').onRecord).toContain('household');
    expect(gatherFacts(noIncome, requirements, '2026-11').onRecord).not.toContain('monthly_income');
  });

  it('L-CONSENT C-PROC-2 consent to this notice version, the applicant, reports and notifications', () => {
    const gathered = gatherFacts(files(), requirements, '2026-11');
    expect(gathered).toMatchObject({
      consent: true,
      applicant: { nationalId: '1000000008', idExpiry: '2030-01-01', mobile: '+966501234567' },
      reports: [REPORT],
      notifications: [{ id: NOTE, channel: 'phone', receipt: false }],
    });
    expect(gatherFacts(files(), requirements, '2027-01').consent).toBe(false);
    expect(gatherFacts(files({ beneficiary: { fullName: 'x' } }), requirements, '2026-11')).toMatchObject({
      consent: false,
      applicant: { nationalId: '', idExpiry: null, mobile: '' },
    });
    // What is declared leaves the consent out: consenting later does not stale a signature.
    expect(gathered.declared).not.toContain('consent');
  });
});
