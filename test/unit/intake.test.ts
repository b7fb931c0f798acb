// The intake of a request on the device (src/state/intake.ts over the case machine), offline, for Kadi and
// Bakkah: each step saved as it is taken, a draft that resumes, the declaration bound to the data, and the
// reply rule of each policy. Named by the clauses they prove.
import { describe, expect, it } from 'vitest';
import { declaredData } from '../../src/domain/declaration';
import { profiles } from '../../src/domain/profiles/associations';
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import { WaselDb } from '../../src/db/database';
import { sha256Hex } from '../../src/db/files-repository';
import { createRecordsRepository } from '../../src/db/records-repository';
import { createCipher, randomKeys } from '../../src/db/vault';
import { createIntake, requestOf } from '../../src/state/intake';
import { worklistOf } from '../../src/state/worklist';

const repId = '6f1c2d3e-4f50-4a61-8b72-9c83d4e5f601';
// Sunday 22 November 2026, 10:00 in Riyadh.
const clock = Date.parse('2026-11-22T07:00:00Z');

async function setup(code: 'kadi' | 'bakkah') {
  const db = new WaselDb(`intake-${crypto.randomUUID()}`);
  const records = createRecordsRepository(db, createCipher(await randomKeys()), {
    newId: () => crypto.randomUUID(),
    now: () => clock,
  });
  const profile = profiles[code] as PolicyProfile;
  const intake = createIntake({
    records,
    profile,
    actor: { id: repId, role: 'representative' },
    now: () => clock,
    newId: () => crypto.randomUUID(),
  });
  const beneficiaryId = crypto.randomUUID();
  await records.save('beneficiary', beneficiaryId, {
    fullName: 'نوال الحربي',
    nationalId: '1000000008',
    mobile: '+966501234567',
    idExpiry: '2030-01-01',
  });
  await records.save('household_member', crypto.randomUUID(), { beneficiaryId, relation: 'son' });
  const caseId = await intake.start(beneficiaryId);
  const request = async () => {
    const r = requestOf(await records.get('case', caseId));
    if (r === undefined) throw new Error('no request');
    return r;
  };
  const every = (ids: readonly string[]) => ids.map((itemId) => ({ type: 'itemProvided' as const, itemId }));
  const items = profile.serviceTypes[0]?.requirements.map((r) => r.id) ?? [];
  /** Every step up to a signed declaration, for a service whose items are all provided. */
  const throughDeclaration = async (serviceTypeId: string, provided: readonly string[]) => {
    await intake.apply(caseId, { type: 'receptionDone' });
    await intake.apply(caseId, { type: 'serviceChosen', serviceTypeId });
    for (const event of every(provided)) await intake.apply(caseId, event);
    await intake.apply(caseId, { type: 'verified', problems: [] });
  };
  const sign = async () =>
    intake.apply(caseId, {
      type: 'declarationSigned',
      dataHash: await intake.dataHash(await request()),
      signatureHash: 'b'.repeat(64),
      signerName: 'نوال',
    });
  return {
    db,
    records,
    profile,
    intake,
    beneficiaryId,
    caseId,
    request,
    every,
    items,
    throughDeclaration,
    sign,
  };
}

describe('intake', () => {
  it('C-PROC-1 C-PROC-6 K-PROC-a a new request is a draft with a readable number, saved step by step and resumed as left', async () => {
    const { intake, caseId, request, records } = await setup('kadi');
    expect(await request()).toMatchObject({
      status: 'draft',
      number: expect.stringMatching(/^20261122-[0-9A-F]{4}$/),
    });
    expect(await intake.apply(caseId, { type: 'receptionDone' })).toMatchObject({ ok: true });
    expect(await intake.apply(caseId, { type: 'serviceChosen', serviceTypeId: 'aid' })).toMatchObject({
      ok: true,
    });
    // Leaving and coming back: the same request, where it stopped — read from the device's store.
    expect(await request()).toMatchObject({
      status: 'draft',
      reception: { by: repId },
      serviceTypeId: 'aid',
    });
    // Each step went into the sync queue as a change of the case record.
    expect(await records.pendingCount()).toBeGreaterThanOrEqual(4);
  });

  it('C-PROC-2 K-PROC-c submitting with a required item missing is refused, naming the item', async () => {
    const { intake, caseId, every, items } = await setup('kadi');
    await intake.apply(caseId, { type: 'receptionDone' });
    await intake.apply(caseId, { type: 'serviceChosen', serviceTypeId: 'aid' });
    for (const event of every(items.filter((id) => id !== 'income_proof'))) await intake.apply(caseId, event);
    await intake.apply(caseId, { type: 'verified', problems: [] });
    const result = await intake.apply(caseId, { type: 'submit' });
    expect(result).toEqual({ ok: false, code: 'case_missing_required_items', missing: ['income_proof'] });
  });

  it('C-PROC-4 K-PROC-d the signature binds a hash of exactly the declared data; a change after signing is refused at submission', async () => {
    const { intake, caseId, request, items, records, beneficiaryId, throughDeclaration } =
      await setup('kadi');
    await throughDeclaration('aid', items);
    const hash = await intake.dataHash(await request());
    // The hash is that of the canonical declared data, computed from the records as stored.
    const members = await records.listOf('household_member', beneficiaryId);
    const text = declaredData({
      beneficiary: (await records.get('beneficiary', beneficiaryId))?.data ?? {},
      members: members.map((m) => ({ id: m.recordId, data: m.data ?? {} })),
      request: await request(),
    });
    expect(hash).toBe(await sha256Hex(new TextEncoder().encode(text).buffer));
    expect(text).toContain('"fullName":"نوال الحربي"');
    const signature = {
      type: 'declarationSigned' as const,
      dataHash: hash,
      signatureHash: 'a'.repeat(64),
      signerName: 'نوال الحربي',
    };
    expect(await intake.apply(caseId, signature)).toMatchObject({ ok: true });

    // The mobile is corrected after signing: the declaration no longer covers the data.
    await records.save('beneficiary', beneficiaryId, { mobile: '+966551234567' });
    expect(await intake.apply(caseId, { type: 'submit' })).toMatchObject({
      ok: false,
      code: 'case_signature_stale',
    });
    // Signed again on the data as it now is, it goes.
    const fresh = await intake.dataHash(await request());
    expect(fresh).not.toBe(hash);
    await intake.apply(caseId, { ...signature, dataHash: fresh });
    expect(await intake.apply(caseId, { type: 'submit' })).toMatchObject({
      ok: true,
      request: { status: 'submitted' },
    });
  });

  it('K-PROC-f Kadi: complete at submission, a reply due within 15 working days of completion', async () => {
    const { intake, caseId, request, items, throughDeclaration, sign } = await setup('kadi');
    await throughDeclaration('aid', items);
    await sign();
    await intake.apply(caseId, { type: 'submit' });
    // Sunday 22 Nov + 15 working days (Sun–Thu, no holiday between): Sunday 13 December.
    expect(await request()).toMatchObject({
      status: 'submitted',
      submittedAt: '2026-11-22',
      completedAt: '2026-11-22',
      deadline: { kind: 'dueBy', date: '2026-12-13' },
    });
  });

  it('C-PROC-5 Bakkah: a reply not before two weeks from submission, even under a recorded exception (C-PROC-2)', async () => {
    const { intake, caseId, request, every, items } = await setup('bakkah');
    await intake.apply(caseId, { type: 'receptionDone' });
    await intake.apply(caseId, { type: 'serviceChosen', serviceTypeId: 'food_basket' });
    for (const event of every(items.filter((id) => id !== 'income_proof'))) await intake.apply(caseId, event);
    // Leaving with an item missing needs an explicit, recorded exception.
    expect(await intake.apply(caseId, { type: 'exceptionRecorded', reason: ' ' })).toMatchObject({
      ok: false,
      code: 'case_reason_required',
    });
    await intake.apply(caseId, { type: 'exceptionRecorded', reason: 'الإثبات يصل الأسبوع القادم' });
    await intake.apply(caseId, { type: 'verified', problems: [] });
    await intake.apply(caseId, {
      type: 'declarationSigned',
      dataHash: await intake.dataHash(await request()),
      signatureHash: 'c'.repeat(64),
      signerName: 'نوال',
    });
    expect(await intake.apply(caseId, { type: 'submit' })).toMatchObject({ ok: true });
    expect(await request()).toMatchObject({
      status: 'submitted',
      completedAt: null,
      exception: { missingItems: ['income_proof'], by: repId },
      deadline: { kind: 'notBefore', date: '2026-12-06' },
    });
  });

  it('C-PROC-7 K-PROC-e the decision is told and recorded, and the service delivered only on an accepted request', async () => {
    const { intake, caseId, items, records, profile, throughDeclaration, sign } = await setup('kadi');
    await throughDeclaration('aid', items);
    await sign();
    await intake.apply(caseId, { type: 'submit' });
    const delivered = { type: 'delivered' as const, description: 'سلة غذائية' };
    expect(await intake.apply(caseId, delivered)).toMatchObject({ ok: false, code: 'case_not_accepted' });
    // The committee decides (on its own device, here the same store).
    const committee = createIntake({
      records,
      profile,
      actor: { id: crypto.randomUUID(), role: 'committee' },
      now: () => clock,
      newId: () => crypto.randomUUID(),
    });
    await committee.apply(caseId, { type: 'decided', outcome: 'accepted', reason: 'مستحق' });
    // K-PROC-e: the decision told through a channel, recorded; the worklist no longer asks for it.
    const decided = async () =>
      worklistOf({
        beneficiaries: [],
        cases: await records.list('case'),
        interactions: [],
        today: '2026-11-22',
        holidays: [],
      }).filter((i) => i.kind === 'decisionToTell');
    expect(await decided()).toHaveLength(1);
    await intake.notify(caseId, 'phone', 'قُبل طلبك، وموعد التسليم الأحد القادم');
    expect(await decided()).toEqual([]);
    expect((await records.list('notification'))[0]?.data).toMatchObject({
      caseId,
      channel: 'phone',
      by: repId,
    });
    expect(await intake.apply(caseId, delivered)).toMatchObject({
      ok: true,
      request: { status: 'delivered', delivery: { by: repId, description: 'سلة غذائية' } },
    });
  });

  it('C-PROC-2 verification problems block the declaration until the data is right', async () => {
    const { intake, caseId } = await setup('kadi');
    await intake.apply(caseId, { type: 'verified', problems: ['id_expired'] });
    expect(
      await intake.apply(caseId, {
        type: 'declarationSigned',
        dataHash: 'd'.repeat(64),
        signatureHash: 'd'.repeat(64),
        signerName: 'x',
      }),
    ).toMatchObject({ ok: false, code: 'case_verification_failed' });
  });
});

describe('declared data', () => {
  it('C-PROC-4 is canonical (key order does not matter) and leaves out what the beneficiary does not declare', () => {
    const request = { serviceTypeId: 'aid', providedItems: ['mobile', 'id_copy'] };
    const members = [
      { id: 'b', data: { relation: 'son', name: { family: 'س', first: 'ع' } } },
      { id: 'a', data: { relation: 'daughter' } },
    ];
    const one = declaredData({ beneficiary: { fullName: 'ن', mobile: '+966501234567' }, members, request });
    const other = declaredData({
      beneficiary: {
        mobile: '+966501234567',
        fullName: 'ن',
        sensitive: { medical_condition: 'x' },
        consent: { noticeVersion: '2026-11' },
        nextVisitOn: '2026-11-30',
      },
      members: [...members].reverse(),
      request: { serviceTypeId: 'aid', providedItems: ['id_copy', 'mobile'] },
    });
    expect(other).toBe(one);
    expect(one).toBe(
      '{"beneficiary":{"fullName":"ن","mobile":"+966501234567"},"household":[{"id":"a","relation":"daughter"},{"id":"b","name":{"family":"س","first":"ع"},"relation":"son"}],"request":{"providedItems":["id_copy","mobile"],"serviceTypeId":"aid"}}',
    );
  });
});
