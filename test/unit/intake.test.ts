// The intake of a request on the device (src/state/intake.ts over the case machine), offline, for Kadi and
// Bakkah: each step saved as a named step as it is taken, judged on the records the device holds (documents
// photographed, fields recorded, consent, the signature image), a draft that resumes, the declaration bound
// to the data, the reply rule of each policy, and a step saved with the record it rests on in one
// transaction. Named by the clauses they prove.
import { describe, expect, it } from 'vitest';
import { declaredData } from '../../src/domain/declaration';
import { privacyNotice } from '../../src/domain/privacy-notice';
import { profiles } from '../../src/domain/profiles/associations';
import type { PolicyProfile } from '../../src/domain/profiles/profile';
import { sha256Hex } from '../../src/db/files-repository';
import { requestNumber, requestOf } from '../../src/state/intake';
import { worklistOf } from '../../src/state/worklist';
import { nationalAddress } from '../fixtures';
import { deviceIntake } from './device-intake';

const repId = '6f1c2d3e-4f50-4a61-8b72-9c83d4e5f601';
const committeeId = '6f1c2d3e-4f50-4a61-8b72-9c83d4e5f602';
// Sunday 22 November 2026, 10:00 in Riyadh.
const clock = Date.parse('2026-11-22T07:00:00Z');
const at = new Date(clock).toISOString();

const address = { ...nationalAddress };
const consent = {
  noticeVersion: privacyNotice.version,
  givenAt: at,
  recordedBy: repId,
  viaHeadOfHousehold: false,
};
/** A beneficiary whose record holds every field the services require, and their consent. */
const person: Record<string, unknown> = {
  fullName: 'نوال الحربي',
  nationalId: '1000000008',
  mobile: '+966501234567',
  idExpiry: '2030-01-01',
  address,
  consent,
};
const without = (data: Record<string, unknown>, field: string) =>
  Object.fromEntries(Object.entries(data).filter(([k]) => k !== field));
const bytes = (text: string) => new TextEncoder().encode(text).buffer;

async function setup(
  code: 'kadi' | 'bakkah',
  options: { beneficiary?: Record<string, unknown>; member?: Record<string, unknown> } = {},
) {
  const profile = profiles[code] as PolicyProfile;
  const { db, records, files, as, outbox } = await deviceIntake('intake', profile, clock);
  const intake = as('representative', repId);
  const beneficiaryId = crypto.randomUUID();
  await records.save('beneficiary', beneficiaryId, options.beneficiary ?? person);
  const memberId = crypto.randomUUID();
  await records.save('household_member', memberId, {
    beneficiaryId,
    ...(options.member ?? { relation: 'son', monthlyIncome: 2500 }),
  });
  const caseId = await intake.start(beneficiaryId);
  const request = async () => {
    const r = requestOf(await records.get('case', caseId));
    if (r === undefined) throw new Error('no request');
    return r;
  };
  const service = (id: string) => profile.serviceTypes.find((s) => s.id === id)?.requirements ?? [];
  const documents = (id: string) =>
    service(id)
      .filter((r) => r.kind === 'document')
      .map((r) => r.id);
  /** A photo of a required document, attached to a request (this one unless said). */
  const photograph = (requirementId: string, forCase = caseId) =>
    files.attach({
      data: bytes(`a photo of ${requirementId} for ${forCase}`),
      mimeType: 'image/jpeg',
      kind: 'document',
      beneficiaryId,
      caseId: forCase,
      requirementId,
    });
  /** The beneficiary's signature image, attached to this request; its SHA-256. */
  const signatureImage = async (strokes = 'the strokes of a signature') =>
    (
      await files.attach({
        data: bytes(strokes),
        mimeType: 'image/png',
        kind: 'signature',
        beneficiaryId,
        caseId,
        requirementId: null,
      })
    ).sha256;
  /** Reception, the documents photographed, the service chosen (ticking what is on record), verification. */
  const throughVerification = async (serviceTypeId: string, photographed = documents(serviceTypeId)) => {
    await intake.apply(caseId, { type: 'receptionDone' });
    for (const id of photographed) await photograph(id);
    const chosen = await intake.chooseService(caseId, serviceTypeId);
    if (!chosen.ok) throw new Error(chosen.code);
    await intake.apply(caseId, { type: 'verified' });
  };
  /** The beneficiary signs the data as it now stands. */
  const sign = async () =>
    intake.apply(caseId, {
      type: 'declarationSigned',
      dataHash: await intake.dataHash(caseId, await request()),
      signatureHash: await signatureImage(),
      signerName: 'نوال',
    });
  const caseSteps = async () => (await outbox()).filter((m) => m.entity === 'case');
  return {
    db,
    records,
    profile,
    intake,
    as,
    beneficiaryId,
    memberId,
    caseId,
    request,
    documents,
    photograph,
    signatureImage,
    throughVerification,
    sign,
    outbox,
    caseSteps,
    files,
  };
}

describe('intake', () => {
  it('C-PROC-1 C-PROC-6 K-PROC-a a new request is a draft with a readable number, opened and saved as named steps, and resumed as left', async () => {
    const { intake, caseId, beneficiaryId, request, caseSteps } = await setup('kadi');
    const number = requestNumber('2026-11-22', caseId);
    expect(number).toMatch(/^20261122-[0-9A-F]{4}$/);
    expect(await request()).toMatchObject({ status: 'draft', beneficiaryId, number });
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
    // Each step went into the sync queue as a named step, with the fields the device expects it to change.
    const steps = await caseSteps();
    expect(steps.map((m) => [m.op, m.recordId, m.event?.type])).toEqual([
      ['event', caseId, 'opened'],
      ['event', caseId, 'receptionDone'],
      ['event', caseId, 'serviceChosen'],
    ]);
    expect(steps[0]).toMatchObject({
      baseVersion: 0,
      event: { type: 'opened', beneficiaryId, number },
      patch: { status: 'draft', beneficiaryId, number, providedItems: [] },
    });
    expect(steps[1]?.patch).toEqual({ reception: { at, by: repId } });
    expect(steps[2]).toMatchObject({
      event: { type: 'serviceChosen', serviceTypeId: 'aid' },
      patch: { serviceTypeId: 'aid' },
    });
  });

  it('K-PROC-b C-PROC-2 choosing the service ticks every requirement already on record, each as a step of its own', async () => {
    const { intake, caseId, request, photograph, caseSteps } = await setup('kadi');
    await intake.apply(caseId, { type: 'receptionDone' });
    await photograph('id_copy');
    const onRecord = ['national_id', 'mobile', 'national_address', 'id_copy', 'household', 'monthly_income'];
    expect(await intake.chooseService(caseId, 'aid')).toMatchObject({
      ok: true,
      request: { serviceTypeId: 'aid', providedItems: onRecord },
    });
    expect((await request()).providedItems).toEqual(onRecord);
    expect((await caseSteps()).slice(2).map((m) => m.event)).toEqual([
      { type: 'serviceChosen', serviceTypeId: 'aid' },
      ...onRecord.map((itemId) => ({ type: 'itemProvided', itemId })),
    ]);
    // The proof of income was not photographed: it is still missing, and cannot be ticked by hand.
    expect(await intake.missing(caseId, await request())).toEqual(['income_proof']);
    expect(await intake.apply(caseId, { type: 'itemProvided', itemId: 'income_proof' })).toEqual({
      ok: false,
      code: 'case_item_not_on_record',
      missing: [],
    });
  });

  it('C-PROC-2 item facts: a document cannot be ticked without its photo on the request, nor a field the records do not hold', async () => {
    const { intake, caseId, records, beneficiaryId, memberId, request, photograph, caseSteps } = await setup(
      'kadi',
      { beneficiary: { ...person, address: null }, member: { relation: 'son' } },
    );
    await intake.apply(caseId, { type: 'receptionDone' });
    await intake.apply(caseId, { type: 'serviceChosen', serviceTypeId: 'aid' });
    const provide = (itemId: string) => intake.apply(caseId, { type: 'itemProvided', itemId });
    const notOnRecord = { ok: false, code: 'case_item_not_on_record', missing: [] };
    const queued = (await caseSteps()).length;

    expect(await provide('id_copy')).toEqual(notOnRecord);
    // A photo of the same document on another request of the person does not count for this one.
    await photograph('id_copy', crypto.randomUUID());
    expect(await provide('id_copy')).toEqual(notOnRecord);
    expect(await provide('national_address')).toEqual(notOnRecord);
    expect(await provide('monthly_income')).toEqual(notOnRecord);
    // Nothing refused was saved or queued.
    expect((await request()).providedItems).toEqual([]);
    expect(await caseSteps()).toHaveLength(queued);

    await photograph('id_copy');
    expect(await provide('id_copy')).toMatchObject({ ok: true, request: { providedItems: ['id_copy'] } });
    await records.save('beneficiary', beneficiaryId, { address });
    expect(await provide('national_address')).toMatchObject({ ok: true });
    // An income of zero is an income recorded.
    await records.save('household_member', memberId, { monthlyIncome: 0 });
    expect(await provide('monthly_income')).toMatchObject({ ok: true });
    expect((await request()).providedItems).toEqual(['id_copy', 'national_address', 'monthly_income']);

    // The address is taken off the record after it was ticked: the request cannot go with it claimed.
    await records.save('beneficiary', beneficiaryId, { address: null });
    expect(await intake.apply(caseId, { type: 'submit' })).toEqual(notOnRecord);
    expect((await request()).status).toBe('draft');
  });

  it('C-PROC-2 K-PROC-c submitting with a required item missing is refused, naming the item', async () => {
    const { intake, caseId, documents, throughVerification, sign } = await setup('kadi');
    await throughVerification(
      'aid',
      documents('aid').filter((id) => id !== 'income_proof'),
    );
    await sign();
    const result = await intake.apply(caseId, { type: 'submit' });
    expect(result).toEqual({ ok: false, code: 'case_missing_required_items', missing: ['income_proof'] });
  });

  it('C-PROC-4 K-PROC-d the signature binds a hash of exactly the declared data and its image is on the request; a change after signing is refused', async () => {
    const { intake, caseId, request, records, beneficiaryId, throughVerification, signatureImage } =
      await setup('kadi');
    await throughVerification('aid');
    const hash = await intake.dataHash(caseId, await request());
    // The hash is that of the canonical declared data, computed from the records as stored.
    const members = await records.listOf('household_member', beneficiaryId);
    const text = declaredData({
      beneficiary: (await records.get('beneficiary', beneficiaryId))?.data ?? {},
      members: members.map((m) => ({ id: m.recordId, data: m.data ?? {} })),
      request: await request(),
    });
    expect(hash).toBe(await sha256Hex(bytes(text)));
    expect(text).toContain('"fullName":"نوال الحربي"');
    expect((await intake.facts(caseId, await request())).declared).toBe(text);

    const image = await signatureImage();
    const signature = {
      type: 'declarationSigned' as const,
      dataHash: hash,
      signatureHash: image,
      signerName: 'نوال الحربي',
    };
    // A signature whose image is not on the request is refused.
    expect(await intake.apply(caseId, { ...signature, signatureHash: 'a'.repeat(64) })).toMatchObject({
      ok: false,
      code: 'case_signature_missing',
    });
    expect(await intake.apply(caseId, signature)).toMatchObject({
      ok: true,
      request: {
        declaration: { dataHash: hash, signatureHash: image, signerName: 'نوال الحربي', by: repId },
      },
    });

    // The mobile is corrected after signing: the declaration no longer covers the data.
    await records.save('beneficiary', beneficiaryId, { mobile: '+966551234567' });
    expect(await intake.apply(caseId, { type: 'submit' })).toMatchObject({
      ok: false,
      code: 'case_signature_stale',
    });
    // Signing again with the hash of the data as it was is refused: it is not the data as it stands.
    expect(await intake.apply(caseId, signature)).toMatchObject({
      ok: false,
      code: 'case_declaration_mismatch',
    });
    // Signed again on the data as it now is, it goes, and what was declared is frozen with it.
    const fresh = await intake.dataHash(caseId, await request());
    expect(fresh).not.toBe(hash);
    expect(await intake.apply(caseId, { ...signature, dataHash: fresh })).toMatchObject({ ok: true });
    expect(await intake.apply(caseId, { type: 'submit' })).toMatchObject({
      ok: true,
      request: { status: 'submitted' },
    });
    const declared = (await request()).declared ?? '';
    expect(declared).toContain('"mobile":"+966551234567"');
    expect(await sha256Hex(bytes(declared))).toBe(fresh);
  });

  it('L-CONSENT a request is not submitted for a person without consent to the current privacy notice', async () => {
    const { intake, caseId, request, records, beneficiaryId, throughVerification, sign } = await setup(
      'kadi',
      {
        beneficiary: { ...person, consent: { ...consent, noticeVersion: '2025-01' } },
      },
    );
    await throughVerification('aid');
    expect((await intake.facts(caseId, await request())).consent).toBe(false);
    // Consent comes before the declaration: nothing is signed, nor submitted, without it.
    expect(await sign()).toEqual({ ok: false, code: 'case_consent_missing', missing: [] });
    expect(await intake.apply(caseId, { type: 'submit' })).toMatchObject({
      ok: false,
      code: 'case_consent_missing',
    });
    // Consent to the current notice recorded, the beneficiary signs and it goes.
    await records.save('beneficiary', beneficiaryId, { consent });
    expect((await intake.facts(caseId, await request())).consent).toBe(true);
    expect(await sign()).toMatchObject({ ok: true });
    // A notice replaced after signing needs consent again before submission (consent is not declared data,
    // so the signature itself stands).
    await records.save('beneficiary', beneficiaryId, { consent: { ...consent, noticeVersion: '2025-01' } });
    expect(await intake.apply(caseId, { type: 'submit' })).toEqual({
      ok: false,
      code: 'case_consent_missing',
      missing: [],
    });
    expect((await request()).status).toBe('draft');
    await records.save('beneficiary', beneficiaryId, { consent });
    expect(await intake.apply(caseId, { type: 'submit' })).toMatchObject({
      ok: true,
      request: { status: 'submitted' },
    });
  });

  it('L-CONSENT a person who never consented has no consent on record', async () => {
    const { intake, caseId, request } = await setup('kadi', { beneficiary: without(person, 'consent') });
    expect((await intake.facts(caseId, await request())).consent).toBe(false);
  });

  it('K-PROC-f Kadi: complete at submission, a reply due within 15 working days of completion', async () => {
    const { intake, caseId, request, throughVerification, sign } = await setup('kadi');
    await throughVerification('aid');
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
    const { intake, caseId, request, documents, throughVerification, sign } = await setup('bakkah');
    await throughVerification(
      'food_basket',
      documents('food_basket').filter((id) => id !== 'income_proof'),
    );
    // Leaving with an item missing needs an explicit, recorded exception.
    expect(await intake.apply(caseId, { type: 'exceptionRecorded', reason: ' ' })).toMatchObject({
      ok: false,
      code: 'case_reason_required',
    });
    await intake.apply(caseId, { type: 'exceptionRecorded', reason: 'الإثبات يصل الأسبوع القادم' });
    await sign();
    expect(await intake.apply(caseId, { type: 'submit' })).toMatchObject({ ok: true });
    expect(await request()).toMatchObject({
      status: 'submitted',
      completedAt: null,
      exception: { missingItems: ['income_proof'], by: repId },
      deadline: { kind: 'notBefore', date: '2026-12-06' },
    });
  });

  it('C-PROC-7 K-PROC-e the decision is told by a notification recorded with the step, and the service delivered only on an accepted request', async () => {
    const { intake, as, caseId, beneficiaryId, records, request, throughVerification, sign, outbox } =
      await setup('kadi');
    await throughVerification('aid');
    await sign();
    await intake.apply(caseId, { type: 'submit' });
    const delivered = { type: 'delivered' as const, description: 'سلة غذائية' };
    expect(await intake.apply(caseId, delivered)).toMatchObject({ ok: false, code: 'case_not_accepted' });
    // The committee decides (on its own device, here the same store).
    expect(
      await as('committee', committeeId).decide(caseId, 'accepted', 'مستحق', { amount: 1500 }),
    ).toMatchObject({
      ok: true,
    });
    const decided = async () =>
      worklistOf({
        beneficiaries: [],
        cases: await records.list('case'),
        interactions: [],
        today: '2026-11-22',
        holidays: [],
      }).filter((i) => i.kind === 'decisionToTell');
    expect(await decided()).toHaveLength(1);

    // Told needs a notification of this request on record, by the channel named.
    const told = (notificationId: string) =>
      intake.apply(caseId, { type: 'told', channel: 'phone', notificationId });
    expect(await told(crypto.randomUUID())).toEqual({
      ok: false,
      code: 'case_notification_missing',
      missing: [],
    });
    const ofAnother = crypto.randomUUID();
    await records.save('notification', ofAnother, {
      beneficiaryId,
      caseId: crypto.randomUUID(),
      channel: 'phone',
      text: 'عن طلب آخر',
      sentAt: at,
      by: repId,
    });
    expect(await told(ofAnother)).toMatchObject({ ok: false, code: 'case_notification_missing' });
    expect(await decided()).toHaveLength(1);

    // K-PROC-e: the decision told through a channel, recorded; the worklist no longer asks for it.
    const queued = (await outbox()).length;
    const notificationId = await intake.notify(caseId, 'phone', 'قُبل طلبك، وموعد التسليم الأحد القادم');
    expect(await decided()).toEqual([]);
    expect((await records.get('notification', notificationId))?.data).toMatchObject({
      beneficiaryId,
      caseId,
      channel: 'phone',
      by: repId,
    });
    expect((await request()).decisionTold).toEqual({ at, by: repId, channel: 'phone', notificationId });
    // The notification and the step were saved together: two entries, one after the other.
    const [note, step, ...rest] = (await outbox()).slice(queued);
    expect(rest).toEqual([]);
    expect(note).toMatchObject({ entity: 'notification', op: 'upsert', recordId: notificationId });
    expect(step).toMatchObject({
      entity: 'case',
      op: 'event',
      recordId: caseId,
      event: { type: 'told', channel: 'phone', notificationId },
      seq: (note?.seq ?? 0) + 1,
    });

    expect(await intake.apply(caseId, delivered)).toMatchObject({
      ok: true,
      request: { status: 'delivered', delivery: { by: repId, description: 'سلة غذائية' } },
    });
  });

  it('C-PROC-2 verification finds the problems in the record itself, and they block the declaration until the data is right', async () => {
    const { intake, caseId, records, beneficiaryId, request, sign, caseSteps } = await setup('kadi', {
      beneficiary: { ...person, idExpiry: '2026-11-01' },
    });
    expect(await intake.apply(caseId, { type: 'verified' })).toMatchObject({
      ok: true,
      request: { verification: { by: repId, problems: ['id_expired'] } },
    });
    // The step carries nothing the device found: the findings are the machine's, from the record.
    expect((await caseSteps()).at(-1)).toMatchObject({
      event: { type: 'verified' },
      patch: { verification: { at, by: repId, problems: ['id_expired'] } },
    });
    expect((await caseSteps()).at(-1)?.event).toEqual({ type: 'verified' });
    expect(await sign()).toMatchObject({ ok: false, code: 'case_verification_failed' });

    // The renewed ID recorded, verified again: it passes, and the declaration can be signed.
    await records.save('beneficiary', beneficiaryId, { idExpiry: '2031-05-01' });
    expect(await intake.apply(caseId, { type: 'verified' })).toMatchObject({
      ok: true,
      request: { verification: { problems: [] } },
    });
    expect(await sign()).toMatchObject({ ok: true });
    expect((await request()).declaration).not.toBeNull();
  });

  it('C-PROC-2 an ID expiry not recorded is a verification problem', async () => {
    const { intake, caseId, request } = await setup('kadi', { beneficiary: without(person, 'idExpiry') });
    expect((await intake.facts(caseId, await request())).applicant.idExpiry).toBeNull();
    expect(await intake.apply(caseId, { type: 'verified' })).toMatchObject({
      ok: true,
      request: { verification: { problems: ['id_expiry_missing'] } },
    });
  });

  it('K-PROC-b a document photographed and the item it provides are kept in one transaction, or neither is', async () => {
    const { db, intake, caseId, records, request, files, beneficiaryId, outbox } = await setup('kadi');
    await intake.apply(caseId, { type: 'receptionDone' });
    await intake.apply(caseId, { type: 'serviceChosen', serviceTypeId: 'aid' });
    const photo = (text: string) =>
      files.stage({
        data: bytes(text),
        mimeType: 'image/jpeg',
        kind: 'document',
        beneficiaryId,
        caseId,
        requirementId: 'id_copy',
      });
    const queued = await records.pendingCount();

    // The step's outbox entry fails (the second of the group): the photo's record and bytes go with it.
    let creating = 0;
    const failSecond = () => {
      creating += 1;
      if (creating === 2) throw new Error('disk full');
    };
    db.outbox.hook('creating', failSecond);
    await expect(intake.provideDocument(caseId, 'id_copy', await photo('first try'))).rejects.toThrow(
      'disk full',
    );
    db.outbox.hook('creating').unsubscribe(failSecond);
    expect(await records.pendingCount()).toBe(queued);
    expect(await db.files.count()).toBe(0);
    expect(await records.list('attachment')).toEqual([]);
    expect((await request()).providedItems).toEqual([]);

    const staged = await photo('second try');
    expect(await intake.provideDocument(caseId, 'id_copy', staged)).toMatchObject({
      ok: true,
      request: { providedItems: ['id_copy'] },
    });
    expect(await db.files.get(staged.sha256)).toMatchObject({ state: 'pending' });
    expect((await records.get('attachment', staged.recordId))?.data).toMatchObject({
      caseId,
      requirementId: 'id_copy',
      sha256: staged.sha256,
    });
    // Two changes queued, in order: the attachment, then the step that rests on it.
    expect(await records.pendingCount()).toBe(queued + 2);
    expect((await outbox()).slice(-2).map((m) => [m.entity, m.event])).toEqual([
      ['attachment', undefined],
      ['case', { type: 'itemProvided', itemId: 'id_copy' }],
    ]);
  });

  it('K-PROC-b a photo whose tick is refused (the request went meanwhile) is still kept on the file', async () => {
    const { db, intake, caseId, records, files, beneficiaryId } = await setup('kadi');
    // No service chosen: the item cannot be ticked.
    const staged = await files.stage({
      data: bytes('a photo taken anyway'),
      mimeType: 'image/jpeg',
      kind: 'document',
      beneficiaryId,
      caseId,
      requirementId: 'id_copy',
    });
    expect(await intake.provideDocument(caseId, 'id_copy', staged)).toMatchObject({
      ok: false,
      code: 'case_no_service',
    });
    expect(await db.files.get(staged.sha256)).toBeDefined();
    expect(await records.get('attachment', staged.recordId)).toBeDefined();
  });

  it('C-PROC-2 the ID expiry typed at verification is saved with the step, and judged as typed', async () => {
    const { intake, caseId, records, beneficiaryId, outbox } = await setup('kadi', {
      beneficiary: without(person, 'idExpiry'),
    });
    const before = (await outbox()).length;
    expect(await intake.verify(caseId, { id: beneficiaryId, idExpiry: '2031-05-01' })).toMatchObject({
      ok: true,
      request: { verification: { problems: [] } },
    });
    expect((await records.get('beneficiary', beneficiaryId))?.data?.idExpiry).toBe('2031-05-01');
    expect((await outbox()).slice(before).map((m) => [m.entity, m.event?.type])).toEqual([
      ['beneficiary', undefined],
      ['case', 'verified'],
    ]);
    // Left as recorded (nothing typed): the record is judged as it is.
    expect(await intake.verify(caseId, null)).toMatchObject({
      ok: true,
      request: { verification: { problems: [] } },
    });
  });

  it('C-PROC-5 the decision record and the decided step are saved in one transaction, or neither is', async () => {
    const { db, intake, as, caseId, records, request, throughVerification, sign, outbox } =
      await setup('kadi');
    await throughVerification('aid');
    await sign();
    await intake.apply(caseId, { type: 'submit' });
    const committee = as('committee', committeeId);
    const queued = await records.pendingCount();

    // A refused step writes nothing: neither the decision nor the step.
    expect(await intake.decide(caseId, 'accepted', 'مستحق', { amount: 1500 })).toMatchObject({
      ok: false,
      code: 'case_forbidden_role',
    });
    expect(await committee.decide(caseId, 'rejected', '  ')).toMatchObject({
      ok: false,
      code: 'case_reason_required',
    });
    expect(await records.pendingCount()).toBe(queued);
    expect(await records.list('decision')).toEqual([]);

    // The second write of the group fails (the step's outbox entry): the decision written first is undone.
    let creating = 0;
    const failSecond = () => {
      creating += 1;
      if (creating === 2) throw new Error('disk full');
    };
    db.outbox.hook('creating', failSecond);
    await expect(committee.decide(caseId, 'accepted', 'مستحق', { amount: 1500 })).rejects.toThrow(
      'disk full',
    );
    db.outbox.hook('creating').unsubscribe(failSecond);
    expect(creating).toBe(2);
    expect(await records.pendingCount()).toBe(queued);
    expect(await records.list('decision')).toEqual([]);
    expect((await request()).status).toBe('submitted');

    expect(await committee.decide(caseId, 'accepted', 'مستوفٍ للمعايير', { amount: 1500 })).toMatchObject({
      ok: true,
      request: { status: 'accepted' },
    });
    expect(await records.pendingCount()).toBe(queued + 2);
    const [decision] = await records.list('decision');
    expect(decision?.data).toEqual({
      caseId,
      outcome: 'accepted',
      reason: 'مستوفٍ للمعايير',
      decidedAt: at,
      by: committeeId,
      grant: { amount: 1500 },
    });
    const [written, step] = (await outbox()).slice(queued);
    expect(written).toMatchObject({ entity: 'decision', op: 'upsert', recordId: decision?.recordId });
    expect(step).toMatchObject({
      entity: 'case',
      op: 'event',
      recordId: caseId,
      event: { type: 'decided', outcome: 'accepted', reason: 'مستوفٍ للمعايير', grant: { amount: 1500 } },
      patch: {
        status: 'accepted',
        decision: {
          at,
          by: committeeId,
          outcome: 'accepted',
          reason: 'مستوفٍ للمعايير',
          grant: { amount: 1500 },
        },
      },
    });
    expect(step?.seq).toBe((written?.seq ?? 0) + 1);
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
