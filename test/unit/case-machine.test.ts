// The case state machine: the policy's order of steps and its guards (C-PROC-1..7, K-PROC-a..f).
import { describe, expect, it } from 'vitest';
import {
  caseChangeDenial,
  caseStatuses,
  newCase,
  transition,
  type ActorRole,
  type CaseContext,
  type CaseEvent,
  type CaseEventType,
  type CaseRecord,
  type CaseStatus,
} from '../../src/domain/case-machine';
import { profiles } from '../../src/domain/profiles/associations';
import { requiredItemsOf, type PolicyProfile } from '../../src/domain/profiles/profile';

const kadi = profiles.kadi as PolicyProfile;
const bakkah = profiles.bakkah as PolicyProfile;
const HASH = 'a'.repeat(64);
const SIG = 'b'.repeat(64);

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
    currentDataHash: HASH,
    actor: { id: '9f1c2d3e-4f50-4a61-8b72-9c83d4e5f604', role },
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

const roleFor: Record<CaseEventType, ActorRole> = {
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
  delivered: 'representative',
  closed: 'supervisor',
};

const items = (profile: PolicyProfile, service: string) => requiredItemsOf(profile, service) ?? [];

function intake(profile: PolicyProfile, service: string): CaseEvent[] {
  return [
    { type: 'receptionDone' },
    { type: 'serviceChosen', serviceTypeId: service },
    { type: 'requirementsShared' },
    ...items(profile, service).map((itemId): CaseEvent => ({ type: 'itemProvided', itemId })),
    { type: 'verified', problems: [] },
    { type: 'declarationSigned', dataHash: HASH, signatureHash: SIG, signerName: 'فاطمة أحمد' },
  ];
}

/** A case in each status, reached by the policy's own path. */
function caseIn(status: CaseStatus): CaseRecord {
  const on = (e: CaseEvent) => ctx(kadi, roleFor[e.type]);
  const draft = apply(newCase(), intake(kadi, 'aid'), on);
  const paths: Record<CaseStatus, CaseEvent[]> = {
    draft: [],
    submitted: [{ type: 'submit' }],
    underResearch: [{ type: 'submit' }, { type: 'researchStarted' }],
    awaitingDecision: [
      { type: 'submit' },
      { type: 'researchStarted' },
      { type: 'researchCompleted', reportId: '5f1c2d3e-4f50-4a61-8b72-9c83d4e5f605' },
    ],
    accepted: [{ type: 'submit' }, { type: 'decided', outcome: 'accepted', reason: 'مستوفٍ للشروط' }],
    rejected: [{ type: 'submit' }, { type: 'decided', outcome: 'rejected', reason: 'خارج النطاق' }],
    delivered: [
      { type: 'submit' },
      { type: 'decided', outcome: 'accepted', reason: 'مستوفٍ' },
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

  it('C-PROC-5 common text: the deadline is "not less than two weeks" from submission', () => {
    const on = (e: CaseEvent) => ctx(bakkah, roleFor[e.type]);
    const submitted = apply(newCase(), [...intake(bakkah, 'food_basket'), { type: 'submit' }], on);
    expect(submitted.deadline).toEqual({ kind: 'notBefore', date: '2026-12-06' });
  });

  it('C-PROC-7 delivery then closing', () => {
    expect(caseIn('delivered').delivery).toMatchObject({ description: 'سلة غذائية' });
    expect(caseIn('closed').status).toBe('closed');
  });
});

describe('guards of submission', () => {
  const on = (e: CaseEvent) => ctx(kadi, roleFor[e.type]);
  const submit = (c: CaseRecord, over: Partial<CaseContext> = {}) =>
    transition(c, { type: 'submit' }, ctx(kadi, 'representative', over));

  it('C-PROC-1 no submission before reception', () => {
    const c = apply(
      newCase(),
      intake(kadi, 'aid').filter((e) => e.type !== 'receptionDone'),
      on,
    );
    expect(submit(c)).toEqual({ ok: false, code: 'case_reception_missing' });
  });

  it('C-PROC-2 K-PROC-c no submission while a required item is missing', () => {
    const c = apply(
      newCase(),
      intake(kadi, 'aid').filter((e) => !(e.type === 'itemProvided' && e.itemId === 'income_proof')),
      on,
    );
    expect(submit(c)).toEqual({ ok: false, code: 'case_missing_required_items' });
  });

  it('K-PROC-c an explicit recorded exception allows submission; the deadline waits for completion', () => {
    let c = apply(
      newCase(),
      intake(kadi, 'aid').filter((e) => !(e.type === 'itemProvided' && e.itemId === 'income_proof')),
      on,
    );
    expect(
      transition(
        c,
        { type: 'exceptionRecorded', reason: ' ' },
        on({ type: 'exceptionRecorded', reason: '' }),
      ),
    ).toEqual({
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
      intake(kadi, 'aid').filter((e) => !(e.type === 'itemProvided' && e.itemId === 'income_proof')),
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
    const failed = apply(unverified, [{ type: 'verified', problems: ['id_expired'] }], on);
    expect(submit(failed)).toEqual({ ok: false, code: 'case_verification_failed' });
    expect(
      transition(
        failed,
        { type: 'declarationSigned', dataHash: HASH, signatureHash: SIG, signerName: 'x' },
        on({ type: 'submit' }),
      ),
    ).toEqual({
      ok: false,
      code: 'case_verification_failed',
    });
  });

  it('C-PROC-4 no submission without a signature, nor when the data changed after signing', () => {
    const unsigned = apply(
      newCase(),
      intake(kadi, 'aid').filter((e) => e.type !== 'declarationSigned'),
      on,
    );
    expect(submit(unsigned)).toEqual({ ok: false, code: 'case_signature_missing' });
    expect(submit(caseIn('draft'), { currentDataHash: 'c'.repeat(64) })).toEqual({
      ok: false,
      code: 'case_signature_stale',
    });
  });

  it('choosing another service clears what was provided and declared for the old one', () => {
    const c = apply(caseIn('draft'), [], on);
    const other = transition(c, { type: 'serviceChosen', serviceTypeId: 'aid' }, on({ type: 'submit' }));
    expect(other).toMatchObject({ ok: true, case: { providedItems: c.providedItems } });
    expect(transition(c, { type: 'serviceChosen', serviceTypeId: 'nope' }, on({ type: 'submit' }))).toEqual({
      ok: false,
      code: 'case_unknown_service',
    });
    expect(transition(c, { type: 'itemProvided', itemId: 'nope' }, on({ type: 'submit' }))).toEqual({
      ok: false,
      code: 'case_unknown_item',
    });
  });

  it('C-PROC-3 a referral needs a reason', () => {
    expect(transition(newCase(), { type: 'referred', reason: '' }, ctx(kadi))).toEqual({
      ok: false,
      code: 'case_reason_required',
    });
    expect(
      transition(newCase(), { type: 'referred', reason: 'الإجراءات غير واضحة للمستفيد' }, ctx(kadi)),
    ).toMatchObject({
      ok: true,
      case: { referral: { reason: 'الإجراءات غير واضحة للمستفيد' } },
    });
  });
});

describe('decisions', () => {
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
      transition(incomplete, { type: 'decided', outcome: 'accepted', reason: 'ok' }, ctx(kadi, 'committee')),
    ).toEqual({
      ok: false,
      code: 'case_incomplete',
    });
  });
});

// Independent of the implementation's table: which events each status allows.
const allowed: Record<CaseStatus, readonly CaseEventType[]> = {
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
  ],
  submitted: ['itemProvided', 'researchStarted', 'decided'],
  underResearch: ['itemProvided', 'researchCompleted'],
  awaitingDecision: ['itemProvided', 'decided'],
  accepted: ['delivered'],
  rejected: ['closed'],
  delivered: ['closed'],
  closed: [],
};

const sampleEvent: Record<CaseEventType, CaseEvent> = {
  receptionDone: { type: 'receptionDone' },
  serviceChosen: { type: 'serviceChosen', serviceTypeId: 'aid' },
  requirementsShared: { type: 'requirementsShared' },
  itemProvided: { type: 'itemProvided', itemId: 'mobile' },
  itemRemoved: { type: 'itemRemoved', itemId: 'mobile' },
  verified: { type: 'verified', problems: [] },
  referred: { type: 'referred', reason: 'سبب' },
  declarationSigned: { type: 'declarationSigned', dataHash: HASH, signatureHash: SIG, signerName: 'x' },
  exceptionRecorded: { type: 'exceptionRecorded', reason: 'سبب' },
  submit: { type: 'submit' },
  researchStarted: { type: 'researchStarted' },
  researchCompleted: { type: 'researchCompleted', reportId: '5f1c2d3e-4f50-4a61-8b72-9c83d4e5f605' },
  decided: { type: 'decided', outcome: 'rejected', reason: 'سبب' },
  delivered: { type: 'delivered', description: 'x' },
  closed: { type: 'closed' },
};

describe('every forbidden transition', () => {
  for (const status of caseStatuses) {
    for (const type of Object.keys(sampleEvent) as CaseEventType[]) {
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

// Who may act: intake by the representative or researcher, research by the researcher, decisions by the committee.
const mayAct: Record<CaseEventType, readonly ActorRole[]> = {
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
  delivered: ['representative', 'researcher'],
  closed: ['representative', 'researcher', 'supervisor'],
};

describe('every role that may not act', () => {
  const roles: ActorRole[] = ['representative', 'researcher', 'committee', 'supervisor', 'admin'];
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

// The server does not trust a device to have run the machine: it judges each saved request by its status
// move and the fields only one step writes (caseChangeDenial). It must allow every step the machine allows,
// and refuse a move no chain of the role's own steps makes.
describe("the server's check of a saved request (K-ART2)", () => {
  const roles: ActorRole[] = ['representative', 'researcher', 'committee', 'supervisor', 'admin'];
  const changedFields = (a: CaseRecord, b: CaseRecord) =>
    (Object.keys(b) as (keyof CaseRecord)[]).filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));

  it('allows every step the case machine allows, for every role', () => {
    let checked = 0;
    for (const status of caseStatuses)
      for (const type of Object.keys(sampleEvent) as CaseEventType[])
        for (const role of roles) {
          const before = caseIn(status);
          const result = transition(before, sampleEvent[type], ctx(kadi, role));
          if (!result.ok) continue;
          checked++;
          expect(
            caseChangeDenial(role, status, result.case.status, changedFields(before, result.case)),
            `${role} ${type} in ${status}`,
          ).toBeNull();
        }
    expect(checked).toBeGreaterThan(20);
  });

  it('allows a chain of the role’s own steps saved at once, and a new request saved already submitted', () => {
    expect(
      caseChangeDenial('researcher', 'submitted', 'awaitingDecision', ['status', 'researchReportId']),
    ).toBeNull();
    expect(caseChangeDenial('representative', null, 'submitted', ['status', 'declaration'])).toBeNull();
    expect(caseChangeDenial('supervisor', 'rejected', 'closed', ['status', 'closedAt'])).toBeNull();
  });

  it('refuses a move the role cannot make, and a move no role can make', () => {
    expect(caseChangeDenial('representative', 'submitted', 'accepted', ['status'])).toEqual({
      code: 'case_forbidden_role',
      field: 'status',
    });
    expect(caseChangeDenial('representative', null, 'accepted', ['status'])).toEqual({
      code: 'case_forbidden_role',
      field: 'status',
    });
    expect(caseChangeDenial('committee', 'draft', 'submitted', ['status'])).toEqual({
      code: 'case_forbidden_role',
      field: 'status',
    });
    // A researcher may not skip the decision: accepted is the deciding body's.
    expect(caseChangeDenial('researcher', 'underResearch', 'accepted', ['status'])).toEqual({
      code: 'case_forbidden_role',
      field: 'status',
    });
    expect(caseChangeDenial('committee', 'accepted', 'submitted', ['status'])).toEqual({
      code: 'case_wrong_status',
      field: 'status',
    });
    expect(caseChangeDenial('supervisor', 'closed', 'submitted', ['status'])).toEqual({
      code: 'case_closed',
      field: 'status',
    });
  });

  it('refuses the fields of a step to the roles that may not take it, even without a status move', () => {
    expect(caseChangeDenial('representative', 'awaitingDecision', 'awaitingDecision', ['decision'])).toEqual({
      code: 'case_forbidden_role',
      field: 'decision',
    });
    expect(caseChangeDenial('representative', 'submitted', 'submitted', ['researchReportId'])).toEqual({
      code: 'case_forbidden_role',
      field: 'researchReportId',
    });
    expect(caseChangeDenial('committee', 'accepted', 'accepted', ['delivery'])).toEqual({
      code: 'case_forbidden_role',
      field: 'delivery',
    });
    // What anyone handling the request may change stays open: telling the decision, items arriving late.
    expect(caseChangeDenial('representative', 'accepted', 'accepted', ['decisionTold'])).toBeNull();
    expect(caseChangeDenial('representative', 'submitted', 'submitted', ['providedItems'])).toBeNull();
  });
});
